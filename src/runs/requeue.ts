// Moves dead-lettered items back into the pipeline: one new run per binding, holding only sync jobs (no
// listing, so no sweep), under the binding's lock like any other run.
import { SYNC_JOB_OPTS } from '../queue/payloads.ts';
import type { SyncItem } from '../queue/payloads.ts';
import type { Services } from './services.ts';
import { startRunWithoutScan } from './start-run.ts';

export async function requeueDeadLetters(
  services: Services,
  limit: number,
): Promise<Array<{ runId: string; items: number }>> {
  const taken = await services.dead.take(limit);
  const byBinding = new Map<string, { sourceRun: string; items: SyncItem[] }>();
  for (const d of taken) {
    const g = byBinding.get(d.bindingId) ?? { sourceRun: d.runId, items: [] };
    // The item starts over: its attempt count is per job, and its op is decided again by the writer's healing.
    g.items.push(d.item);
    byBinding.set(d.bindingId, g);
  }
  const out: Array<{ runId: string; items: number }> = [];
  for (const [, g] of byBinding) {
    const binding = await services.runs.binding(g.sourceRun);
    if (!binding) {
      // Without the run record we do not know where to write: put the items back rather than lose them.
      await services.dead.add(
        g.items.map((item) => ({
          runId: g.sourceRun,
          bindingId: '',
          item,
          reason: 'run record missing; cannot requeue',
          at: Date.now(),
        })),
      );
      continue;
    }
    const runId = await startRunWithoutScan(services, binding, 'requeue', async (rid) => {
      const jobs = [];
      for (let i = 0; i < g.items.length; i += 1000) {
        jobs.push({
          name: 'sync',
          data: { runId: rid, items: g.items.slice(i, i + 1000), attempt: 0 },
          opts: { ...SYNC_JOB_OPTS, jobId: `${rid}.q.${i / 1000}` },
        });
      }
      await services.runs.addPending(
        rid,
        jobs.map((j) => j.opts.jobId),
      );
      await services.syncQueue.addBulk(jobs);
    });
    out.push({ runId, items: g.items.length });
  }
  return out;
}
