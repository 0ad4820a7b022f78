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
