// `node --expose-gc --import tsx bench/emulator-memory.ts [--n N] [--which oss|pai|both] [--lookups K]`:
// the emulators' live heap per object. OSS: the bucket seeded with `seedObjects` exactly as the harness
// does. PAI: file-meta records created through the CreateDatasetFileMetas operation (100 items a call, each
// call's body JSON-parsed as the server does), shaped like the product's requests (src/sinks/pai/request.ts),
// so the strings in the store are what an HTTP sync leaves there. Live heap after two full GCs, minus the
// empty process, divided by N; ArrayBuffer backing stores (typed-array columns and indexes), which the V8
// heap figure leaves out, are reported apart as `array buffers`; peak RSS is VmHWM. `--lookups K` then
// times K ListDatasetFileMetas lookups shaped like the sink's (src/sinks/pai/lookup.ts: one FileDir, 20
// FileNames, spread over the records) and measures again (with the emulator's lookup index, which the first
// lookup builds).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MemoryStore } from '../src/emulators/oss/store.ts';
import { createFileMetas } from '../src/emulators/pai/operations/create-file-metas.ts';
import { listFileMetas } from '../src/emulators/pai/operations/list-file-metas.ts';
import type { OperationContext } from '../src/emulators/pai/operations/context.ts';
import { NO_FAULTS } from '../src/emulators/pai/faults.ts';
import { MemoryPaiStore } from '../src/emulators/pai/store.ts';
import { lookupExpressions } from '../src/sinks/pai/lookup.ts';
import { buildRecord } from '../src/sinks/pai/request.ts';
import { keyFor, MAIN_PREFIX } from './lib/keys.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    which: { type: 'string', default: 'both' },
    lookups: { type: 'string', default: '0' },
  },
});
const n = Number(args.n);
const which = args.which ?? 'both';
const lookups = Number(args.lookups);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

// heapUsed leaves out ArrayBuffer backing stores (the stores' typed-array columns and indexes live there):
// they are reported apart, as `arrayBuffers`.
function liveHeap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}
const buffers = () => process.memoryUsage().arrayBuffers;
function peakRssMB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}
const mb = (b: number) => (b / 2 ** 20).toFixed(0);
const report = (what: string, bytes: number, ms: number) =>
  process.stdout.write(
    `${what}: N=${n} ${(ms / 1000).toFixed(1)} s, live ${mb(bytes)} MB, ${(bytes / n).toFixed(1)} B/object, ` +
      `array buffers ${((buffers() - baseBuffers) / n).toFixed(1)} B/object, ` +
      `peak RSS so far ${peakRssMB().toFixed(0)} MB\n`,
  );

const keep: unknown[] = [];
let base = liveHeap();
let baseBuffers = buffers();

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
  baseBuffers = buffers();
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

  if (lookups > 0) {
    // Lookup i asks for 20 keys of one folder, the folders spread over the whole store.
    const times: number[] = [];
    for (let i = 0; i < lookups; i++) {
      const first = Math.floor(((i + 0.5) * n) / lookups / 1000) * 1000;
      const keys = Array.from({ length: 20 }, (_, j) => keyFor(MAIN_PREFIX, Math.min(n - 1, first + j * 7)));
      const [expression] = lookupExpressions(keys);
      const t = performance.now();
      const answer = listFileMetas(
        {
          path: { DatasetId: datasetId },
          query: { WorkspaceId: '1', DatasetVersion: 'v1', MaxResults: '100', QueryExpression: expression! },
          body: {},
        },
        ctx,
      );
      times.push(performance.now() - t);
      if (answer.TotalCount !== new Set(keys).size)
        throw new Error(`lookup found ${String(answer.TotalCount)}`);
    }
    const rest = times.slice(1).sort((a, b) => a - b);
    const median = rest.length > 0 ? rest[Math.floor(rest.length / 2)]! : Number.NaN;
    process.stdout.write(
      `PAI lookups: ${lookups} of 20 keys, first ${times[0]!.toFixed(2)} ms, then median ${median.toFixed(3)} ms, ` +
        `max ${Math.max(...rest).toFixed(3)} ms\n`,
    );
    report('PAI store after lookups', liveHeap() - base, ms);
  }
}
process.stdout.write(`peak RSS ${peakRssMB().toFixed(0)} MB\n`);
