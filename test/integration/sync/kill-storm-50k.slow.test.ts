// The kill storm at scale (npm run test:slow): 50,000 objects, a worker process killed every 2,500 items
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

it('a 50,000-object kill storm ends exactly once', { timeout: 1_800_000 }, async () => {
  cloud = await testCloud({ pai: STORM_PAI, oss: STORM_OSS });
  const f = await killStorm(cloud, children, {
    objects: 50_000,
    batchMaxItems: 100,
    killEvery: 2_500,
    timeoutMs: 1_500_000,
  });
  process.stdout.write(`kill storm figures: ${JSON.stringify(f)}\n`);
  expect(f.kills).toBeGreaterThanOrEqual(10);
  expectStormHeld(f);
});
