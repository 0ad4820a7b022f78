// Moves dead-lettered items back into the pipeline: one new run per binding, holding only sync jobs (no
// listing, so no sweep), under the binding's lock like any other run.
import { SYNC_JOB_OPTS } from '../queue/payloads.ts';
import type { SyncItem } from '../queue/payloads.ts';
import type { DeadLetter } from './dead-letter.ts';
import { requeueJobId } from './job-ids.ts';
import type { Services } from './services.ts';
import { startRunWithoutScan } from './start-run.ts';

export async function requeueDeadLetters(
  services: Services,
  limit: number,
): Promise<Array<{ runId: string; items: number }>> {
  const taken = await services.dead.take(limit);
  const byBinding = new Map<string, DeadLetter[]>();
  for (const d of taken) byBinding.set(d.bindingId, [...(byBinding.get(d.bindingId) ?? []), d]);
  const out: Array<{ runId: string; items: number }> = [];
  let firstError: unknown;
  for (const [bindingId, entries] of byBinding) {
    try {
      const binding =
        (await services.runs.binding(entries[0]!.runId)) ?? (await services.runs.bindingSpec(bindingId));
      if (!binding) throw new Error(`binding ${bindingId} is unknown (its records expired); cannot requeue`);
      // Each item starts over: its retry counters reset, and the writer decides create or update again.
      const items: SyncItem[] = entries.map(({ item }) => {
        const { tries: _t, throttles: _th, ...rest } = item;
        return rest;
      });
      const runId = await startRunWithoutScan(services, binding, 'requeue', async (rid) => {
        const jobs = [];
        for (let i = 0; i < items.length; i += 1000) {
          jobs.push({
            name: 'sync',
            data: { runId: rid, items: items.slice(i, i + 1000), attempt: 0 },
            opts: { ...SYNC_JOB_OPTS, jobId: requeueJobId(rid, i / 1000) },
          });
        }
        await services.runs.addPending(
          rid,
          jobs.map((j) => j.opts.jobId),
        );
        await services.syncQueue.addBulk(jobs);
      });
      out.push({ runId, items: items.length });
    } catch (err) {
      // Nothing taken may be lost: this binding's entries go back to the dead-letter list as they were.
      await services.dead.add(entries);
      firstError ??= err;
    }
  }
  if (firstError) throw firstError;
  return out;
}
