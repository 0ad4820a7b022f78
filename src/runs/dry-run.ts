// --dry-run: the same listing and the same merge as a real run, page by page (bounded memory), but no job,
// no API write and no state change. Prints what a run would do.
import { stateStoreFor, type WorkerDeps } from '../sync/context.ts';
import { createKeyFilter } from '../sync/key-filter.ts';
import { planPage } from '../sync/planner.ts';
import type { RunBinding } from './run-types.ts';

export interface DryRunPlan {
  source: string;
  datasetId: string;
  listed: number;
  skipped: number;
  create: number;
  update: number;
  unchanged: number;
  delete: number;
  deleteRefused: boolean;
  sample: { create: string[]; update: string[]; delete: string[] };
}

const SAMPLE = 5;

export async function planDryRun(
  deps: Pick<WorkerDeps, 'redis' | 'keys' | 'makeObjectStore'>,
  binding: RunBinding,
): Promise<DryRunPlan> {
  const store = await deps.makeObjectStore(binding.source);
  const state = stateStoreFor(deps, binding);
  const s = binding.source;
  const filter = createKeyFilter(s.prefix, s.include, s.exclude);
  const plan: DryRunPlan = {
    source: `oss://${s.bucket}/${s.prefix}`,
    datasetId: binding.target.datasetId,
    listed: 0,
    skipped: 0,
    create: 0,
    update: 0,
    unchanged: 0,
    delete: 0,
    deleteRefused: false,
    sample: { create: [], update: [], delete: [] },
  };
  let token: string | undefined;
  let lastKey: string | undefined;
  for (;;) {
    const page = await store.listPage({
      prefix: s.prefix,
      maxKeys: 1000,
      ...(token ? { continuationToken: token } : {}),
    });
    const end = page.nextContinuationToken === undefined;
    const pageLast = page.objects.length > 0 ? page.objects[page.objects.length - 1]!.key : lastKey;
    const range = await state.range({
      ...(lastKey !== undefined ? { after: lastKey } : s.prefix ? { from: s.prefix } : {}),
      ...(end
        ? s.prefix
          ? { beforePrefixEnd: s.prefix }
          : {}
        : pageLast !== undefined
          ? { through: pageLast }
          : {}),
    });
    const kept = page.objects.filter((o) => filter(o.key));
    const p = planPage(kept, range);
    plan.listed += page.objects.length;
    plan.skipped += page.objects.length - kept.length;
    plan.unchanged += p.unchanged;
    for (const it of p.items) {
      plan[it.op]++;
      const sample = plan.sample[it.op];
      if (sample.length < SAMPLE) sample.push(it.key);
    }
    if (binding.options.delete) {
      plan.delete += p.vanished.length;
      for (const v of p.vanished) if (plan.sample.delete.length < SAMPLE) plan.sample.delete.push(v.key);
    }
    if (end) break;
    token = page.nextContinuationToken;
    lastKey = pageLast;
  }
  plan.deleteRefused = plan.delete > binding.options.maxDelete;
  return plan;
}

export function formatPlan(p: DryRunPlan): string {
  const lines = [
    `dry run: ${p.source} -> dataset ${p.datasetId} (nothing was written)`,
    `  listed ${p.listed}  skipped ${p.skipped}  would create ${p.create}  update ${p.update}  delete ${p.delete}  unchanged ${p.unchanged}`,
  ];
  for (const k of ['create', 'update', 'delete'] as const) {
    if (p.sample[k].length > 0)
      lines.push(`  e.g. ${k}: ${p.sample[k].map((x) => JSON.stringify(x)).join(', ')}`);
  }
  if (p.deleteRefused) lines.push('  the sweep would be refused: more deletions than --max-delete');
  return lines.join('\n');
}
