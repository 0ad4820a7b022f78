// `node --expose-gc --import tsx bench/emulator-memory.ts [--n N] [--which oss|pai|both]`: the emulators'
// live heap per object. OSS: the bucket seeded with `seedObjects` exactly as the harness does. PAI: file-meta
// records created through the CreateDatasetFileMetas operation (100 items a call, each call's body
// JSON-parsed as the server does), shaped like the product's requests (src/sinks/pai/request.ts), so the
// strings in the store are what an HTTP sync leaves there. Live heap after two full GCs, minus the empty
// process, divided by N; peak RSS is VmHWM.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MemoryStore } from '../src/emulators/oss/store.ts';
import { createFileMetas } from '../src/emulators/pai/operations/create-file-metas.ts';
import type { OperationContext } from '../src/emulators/pai/operations/context.ts';
import { NO_FAULTS } from '../src/emulators/pai/faults.ts';
import { MemoryPaiStore } from '../src/emulators/pai/store.ts';
import { buildRecord } from '../src/sinks/pai/request.ts';
import { keyFor, MAIN_PREFIX } from './lib/keys.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    which: { type: 'string', default: 'both' },
  },
});
const n = Number(args.n);
const which = args.which ?? 'both';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function liveHeap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}
function peakRssMB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}
const mb = (b: number) => (b / 2 ** 20).toFixed(0);
const report = (what: string, bytes: number, ms: number) =>
  process.stdout.write(
    `${what}: N=${n} ${(ms / 1000).toFixed(1)} s, live ${mb(bytes)} MB, ${(bytes / n).toFixed(1)} B/object, ` +
      `peak RSS so far ${peakRssMB().toFixed(0)} MB\n`,
  );

const keep: unknown[] = [];
let base = liveHeap();

if (which === 'oss' || which === 'both') {
  const t0 = performance.now();
  const store = new MemoryStore();
  store.createBucket('bench-bucket');
  function* objects() {
    for (let i = 0; i < n; i++) yield { key: keyFor(MAIN_PREFIX, i), body: 'bench-object-v1' };
  }
  store.seedObjects('bench-bucket', objects());
  const ms = performance.now() - t0;
  keep.push(store);
  const after = liveHeap();
  report('OSS store', after - base, ms);
  base = after;
}

if (which === 'pai' || which === 'both') {
  const t0 = performance.now();
  const store = new MemoryPaiStore();
  const datasetId = store.createDataset({ Name: 'bench', Edition: 'ADVANCED', WorkspaceId: '1' });
  const ctx: OperationContext = {
    store,
    settings: {
      maxItemsPerCall: 100,
      allowDuplicateUris: false,
      editionCaps: { ADVANCED: 50_000_000, LOGICAL: 50_000_000 },
      listItemFields: 'sdk',
    },
    faults: NO_FAULTS,
    random: Math.random,
    stats: {
      calls: {},
      throttled: 0,
      failedItems: 0,
      accepted: { created: 0, updated: 0, deleted: 0 },
      lostAnswers: 0,
    },
    requestId: 'bench',
  };
  const lastModified = Math.floor(Date.now() / 1000) * 1000;
  for (let i = 0; i < n; i += 100) {
    const items = [];
    for (let j = i; j < Math.min(n, i + 100); j++) {
      items.push(
        buildRecord({
          bucket: 'bench-bucket',
          key: keyFor(MAIN_PREFIX, j),
          fingerprint: 'E3B6B0A3C7D1F1E5E9A8F9C0D2B3A4C5',
          fileType: 'image',
          contentType: 'image/jpeg',
          size: 15,
          lastModified,
        } as Parameters<typeof buildRecord>[0]),
      );
    }
    // What the server does with a request body: one JSON.parse, so every string is fresh.
    const body = JSON.parse(
      JSON.stringify({ WorkspaceId: '1', DatasetVersion: 'v1', DatasetFileMetas: items }),
    ) as Record<string, unknown>;
    const answer = createFileMetas({ path: { DatasetId: datasetId }, query: {}, body }, ctx);
    if ((answer.FailedDetails as unknown[] | undefined)?.length) throw new Error('create failed');
  }
  const ms = performance.now() - t0;
  keep.push(store);
  const after = liveHeap();
  report('PAI store', after - base, ms);
}
process.stdout.write(`peak RSS ${peakRssMB().toFixed(0)} MB\n`);
