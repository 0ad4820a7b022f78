// How an IMM target rides in a binding: the config's target carries kind 'imm' with immProject and
// immDataset; the binding's datasetId is "imm:<project>/<dataset>", which keeps binding ids, state keys and
// run records distinct from every PAI dataset (whose ids never contain ':').
import type { ImmTarget } from '../../imm/imm-api.ts';

interface TargetFields {
  kind?: 'pai' | 'imm';
  immProject?: string | undefined;
  immDataset?: string | undefined;
}

export function immTarget(t: TargetFields): ImmTarget | undefined {
  if (t.kind !== 'imm' || !t.immProject || !t.immDataset) return undefined;
  return { project: t.immProject, dataset: t.immDataset };
}

export function immTargetId(t: TargetFields): string {
  return `imm:${t.immProject ?? ''}/${t.immDataset ?? ''}`;
}

/** The API gate scope of an IMM binding: IMM throttles per project (and endpoint or region). */
export function immGateScope(t: TargetFields & { immEndpoint?: string | undefined }, region: string): string {
  return `imm|${t.immEndpoint ?? region}|${t.immProject ?? ''}`;
}

/** How reports name a binding's target: "IMM dataset project/dataset" or "dataset <id> <version>". */
export function describeTarget(datasetId: string, datasetVersion: string): string {
  return datasetId.startsWith('imm:')
    ? `IMM dataset ${datasetId.slice('imm:'.length)}`
    : `dataset ${datasetId} ${datasetVersion}`;
}
