// The backfill at scale (npm run test:slow): 200,000 objects across three worker processes, records
// exactly equal to the objects. Too slow for `npm test` on a 2-core machine; the 20,000-object version of the
// same scenario runs there.
import type { ChildProcess } from 'node:child_process';
import { afterEach, it } from 'vitest';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';
import { backfillAcrossWorkerProcesses } from './backfill-scenario.ts';

let cloud: TestCloud | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null) {
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
  }
  await cloud?.cleanup();
  cloud = undefined;
});

it(
  'a backfill of 200,000 objects across several worker processes ends with records exactly equal to the objects',
  { timeout: 600_000 },
  async () => {
    cloud = await testCloud();
    await backfillAcrossWorkerProcesses(cloud, children, 200_000, 540_000);
  },
);
