// Waits until an events binding has nothing left to do: its backlog is empty, no control job is waiting,
// delayed or active, and every run (event drains start runs) has ended. Checked twice in a row, so a drain
// that was just handing over to a run is not mistaken for quiet.
import type { Services } from '../../src/runs/services.ts';
import { waitFor } from './wait-for.ts';

export async function eventsSettled(services: Services, bindingKey: string): Promise<void> {
  let quiet = 0;
  await waitFor(
    async () => {
      const pending = await services.redis.zcard(services.keys.bindingEvents(bindingKey));
      const counts = await services.controlQueue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      const sync = await services.syncQueue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      const runs = await Promise.all((await services.runs.list(1000)).map((id) => services.runs.status(id)));
      const idle =
        pending === 0 &&
        Object.values(counts).every((n) => n === 0) &&
        Object.values(sync).every((n) => n === 0) &&
        runs.every((s) => s === 'completed' || s === 'failed' || s === 'cancelled');
      quiet = idle ? quiet + 1 : 0;
      return quiet >= 2;
    },
    { what: 'the event drains to settle' },
  );
}
