// The kill storm at scale (npm run test:slow): 50,000 objects, a worker process killed every 1,000 items
// PAI accepts. Prints its figures (objects, kills, duration, write calls vs the minimum) for README.
import type { ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';
import { STORM_OSS, STORM_PAI, expectStormHeld, killStorm } from './kill-storm-scenario.ts';

let cloud: TestCloud | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    // A process killed by a signal keeps exitCode null: signalCode says it is gone.
    if (c.exitCode === null && c.signalCode === null) {
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    }
  }
  await cloud?.cleanup();
  cloud = undefined;
});

// Every lost answer and every kill makes the sink look its batch up (FileDir + FileName lookups), and the
// end-of-run check of late copies looks up every suspect key again. Before the PAI emulator answered those
// from an index, each lookup evaluated its QueryExpression over all records: at 50,000 objects the run
// crawled past 46,000 records with the test process (hosting the emulators) at 100% CPU, so the test ran
// 20,000 objects for a while. Timeouts are hang guards, not timing goals.
it('a 50,000-object kill storm ends exactly once', { timeout: 3_600_000 }, async () => {
  cloud = await testCloud({ pai: STORM_PAI, oss: STORM_OSS });
  const f = await killStorm(cloud, children, {
    objects: 50_000,
    batchMaxItems: 100,
    killEvery: 1_000,
    timeoutMs: 3_300_000,
  });
  process.stdout.write(`kill storm figures: ${JSON.stringify(f)}\n`);
  // Kills follow progress (one per 1,000 accepted items, the last ones cut short by the end of the run), not
  // the clock: 44 in the run of 2026-12-02, whatever the load.
  expect(f.kills).toBeGreaterThanOrEqual(25);
  expectStormHeld(f);
});
