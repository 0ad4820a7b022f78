// Throughput of the fingerprint primitives, to put a number on what the content fingerprint modes cost
// per byte (rclone's rule: a fingerprint mode states its cost). Run: npx tsx bench/hash-bench.ts [MiB]
//
// All in-process rows hash the same bytes in 1 MiB chunks (the shape of an HTTP body); the md5sum row
// is a reference point for "as fast as MD5 goes on this CPU" (file in page cache, includes process start).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { Crc64 } from '../src/sync/fingerprint/crc64.ts';
import { digestStream } from '../src/sync/fingerprint/stream-digest.ts';

const MIB = 1024 * 1024;
const totalMiB = Number(process.argv[2] ?? 256);
const CHUNK = MIB;
const ROUNDS = 3;

function makeData(bytes: number): Buffer {
  // Cheap pseudo-random fill (xorshift32): random enough that no branch predictor or cache trick helps,
  // and far faster than crypto.randomBytes for hundreds of MiB.
  const data = Buffer.allocUnsafe(bytes);
  let x = 0x9e3779b9;
  for (let i = 0; i + 4 <= bytes; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data.writeUInt32LE(x >>> 0, i);
  }
  return data;
}

function* chunks(data: Buffer): Generator<Buffer> {
  for (let i = 0; i < data.length; i += CHUNK) yield data.subarray(i, i + CHUNK);
}

interface Row {
  name: string;
  bestMs: number;
  result: string;
}

/** Best of ROUNDS: the least disturbed run on a shared machine is the closest to the real cost. */
async function measure(name: string, fn: () => Promise<string> | string): Promise<Row> {
  let bestMs = Infinity;
  let result = '';
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    result = await fn();
    bestMs = Math.min(bestMs, performance.now() - start);
  }
  return { name, bestMs, result };
}

async function main(): Promise<void> {
  const data = makeData(totalMiB * MIB);
  const rows: Row[] = [];

  rows.push(
    await measure('Crc64.update', () => {
      const crc = new Crc64();
      for (const c of chunks(data)) crc.update(c);
      return crc.digest();
    }),
  );
  rows.push(
    await measure('node:crypto md5', () => {
      const md5 = createHash('md5');
      for (const c of chunks(data)) md5.update(c);
      return md5.digest('hex').toUpperCase();
    }),
  );
  rows.push(
    await measure('digestStream md5+crc64', async () => {
      const d = await digestStream(Readable.from(chunks(data)), {
        idleTimeoutMs: 10_000,
        expectedBytes: data.length,
      });
      return `${d.md5Hex} ${d.crc64}`;
    }),
  );
  rows.push(
    await measure('digestStream md5 only', async () => {
      const d = await digestStream(Readable.from(chunks(data)), { idleTimeoutMs: 10_000, crc64: false });
      return d.md5Hex;
    }),
  );

  const dir = await mkdtemp(join(tmpdir(), 'hash-bench-'));
  try {
    const file = join(dir, 'data.bin');
    await writeFile(file, data);
    rows.push(
      await measure('md5sum (file, page cache)', async () => {
        const { stdout } = await promisify(execFile)('md5sum', [file]);
        return stdout.split(' ')[0]!.toUpperCase();
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  console.log(
    `hash throughput over ${totalMiB} MiB in ${CHUNK / MIB} MiB chunks (best of ${ROUNDS}), node ${process.version}`,
  );
  console.log('| what | ms | MiB/s | result |');
  console.log('|---|---:|---:|---|');
  for (const row of rows) {
    const mibPerS = totalMiB / (row.bestMs / 1000);
    console.log(`| ${row.name} | ${row.bestMs.toFixed(0)} | ${mibPerS.toFixed(0)} | ${row.result} |`);
  }
}

await main();
