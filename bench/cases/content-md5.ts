// Case 7, the reference side: md5sum (and node:crypto) over exactly the bytes the workers hash.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { promisify } from 'node:util';
import { round } from '../lib/measure.ts';

export interface Md5Reference {
  md5sumSeconds: number;
  md5sumMBps: number;
  nodeMd5Seconds: number;
  nodeMd5MBps: number;
}

async function bestOf(rounds: number, fn: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/** Best of 3 (the file is in the page cache after the first read; md5sum's process start is included). */
export async function md5Reference(file: string, bytes: number): Promise<Md5Reference> {
  const md5sum = await bestOf(3, () => promisify(execFile)('md5sum', [file]));
  const node = await bestOf(
    3,
    () =>
      new Promise((resolve, reject) => {
        const h = createHash('md5');
        createReadStream(file, { highWaterMark: 1 << 20 })
          .on('data', (c) => h.update(c))
          .on('end', () => resolve(h.digest('hex')))
          .on('error', reject);
      }),
  );
  const mb = bytes / 2 ** 20;
  return {
    md5sumSeconds: round(md5sum, 3),
    md5sumMBps: Math.round(mb / md5sum),
    nodeMd5Seconds: round(node, 3),
    nodeMd5MBps: Math.round(mb / node),
  };
}
