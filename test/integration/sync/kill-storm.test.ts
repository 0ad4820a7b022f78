// Exactly once under a kill storm (see kill-storm-scenario.ts), at a size `npm test` affords. The 50,000-
// object storm is kill-storm-50k.slow.test.ts (npm run test:slow).
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

it(
  'a worker process SIGKILLed again and again, PAI losing answers and accepting duplicate Uris: every object ' +
    'gets exactly one record, the counters equal what PAI accepted, a second sync writes nothing',
  { timeout: 400_000 },
  async () => {
    // A tenth of the write answers lost (the 50k storm uses 5%): with ~70 write calls, a run with none
    // lost is a 1-in-1,000 chance at most, so the lost-answer path is exercised every time.
    cloud = await testCloud({
      pai: { ...STORM_PAI, faults: { ...STORM_PAI.faults, lostAnswerRate: 0.1 } },
      oss: STORM_OSS,
    });
    const f = await killStorm(cloud, children, {
      objects: 3000,
      batchMaxItems: 50,
      killEvery: 250,
      timeoutMs: 300_000,
    });
    process.stdout.write(`kill storm figures: ${JSON.stringify(f)}\n`);
    expect(f.kills).toBeGreaterThanOrEqual(3);
    expect(f.lostAnswers).toBeGreaterThan(0);
    expectStormHeld(f);
  },
);
