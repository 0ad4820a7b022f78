// The emulators in their own process, so that their CPU does not pollute the workers' figures and the
// harness stays light. Driven by the harness over the Node IPC channel (see lib/ipc-protocol.ts).
import { writeFileSync, openSync, writeSync, closeSync, readFileSync } from 'node:fs';
import { EMULATOR_KEY } from '../src/demo/local-cloud.ts';
import { startOssEmulator, type OssEmulator } from '../src/emulators/oss/index.ts';
import { startPaiEmulator, type PaiEmulator } from '../src/emulators/pai/index.ts';
import type { MemoryPaiStore } from '../src/emulators/pai/store.ts';
import type { EmulatorOps, OpName, Request, Response } from './lib/ipc-protocol.ts';
import { keyFor, pseudoRandomBytes } from './lib/keys.ts';

let oss: OssEmulator | undefined;
let pai: PaiEmulator | undefined;
let bucket = '';

const need = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('emulators not started');
  return v;
};

/** VmHWM: the process's peak resident memory so far. */
function peakRssMB(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

type Handlers = { [K in OpName]: (args: EmulatorOps[K]['args']) => Promise<EmulatorOps[K]['result']> };

const handlers: Handlers = {
  async start(args) {
    bucket = args.bucket;
    oss = await startOssEmulator({ credentials: [EMULATOR_KEY], buckets: [bucket] });
    // The edition cap is raised: several 1M-object datasets live side by side in one bench run.
    pai = await startPaiEmulator({
      credentials: [EMULATOR_KEY],
      editionCaps: { ADVANCED: 50_000_000, LOGICAL: 50_000_000 },
    });
    return { ossEndpoint: oss.endpoint, paiEndpoint: pai.endpoint };
  },
  async seed({ prefix, count }) {
    const t0 = performance.now();
    function* objects() {
      // One short shared body: seedObjects hashes it once (the fast bulk path).
      for (let i = 0; i < count; i++) yield { key: keyFor(prefix, i), body: 'bench-object-v1' };
    }
    const seeded = need(oss).store.seedObjects(bucket, objects());
    return { seeded, ms: performance.now() - t0 };
  },
  async seedLarge({ prefix, count, bytes, file }) {
    const t0 = performance.now();
    // The same bytes go to a file so the harness can time md5sum on exactly what the workers hash.
    writeFileSync(file, '');
    const fd = openSync(file, 'a');
    try {
      const objects = [];
      for (let i = 0; i < count; i++) {
        const body = pseudoRandomBytes(bytes, i + 1);
        writeSync(fd, body);
        objects.push({ key: keyFor(prefix, i), body });
      }
      const seeded = need(oss).store.seedObjects(bucket, objects);
      return { seeded, ms: performance.now() - t0 };
    } finally {
      closeSync(fd);
    }
  },
  async change({ prefix, count, every, tag }) {
    let changed = 0;
    for (let i = 0; i < count; i += every) {
      need(oss).store.putObject(bucket, keyFor(prefix, i), `bench-object-${tag}-${i}`);
      changed++;
    }
    return { changed };
  },
  async stats() {
    const cpu = process.cpuUsage();
    return {
      oss: structuredClone(need(oss).stats),
      pai: structuredClone(need(pai).stats),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      rssMB: process.memoryUsage().rss / 2 ** 20,
      peakRssMB: peakRssMB(),
    };
  },
  async heap() {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    return {
      heapUsedMB: m.heapUsed / 2 ** 20,
      externalMB: m.external / 2 ** 20,
      rssMB: m.rss / 2 ** 20,
      peakRssMB: peakRssMB(),
    };
  },
  async setPaiLatency({ latencyMs }) {
    need(pai).setFaults({ latencyMs });
    return { latencyMs };
  },
  async setRps({ rps, window }) {
    need(pai).setRps(rps);
    if (window) need(pai).setRateWindow(window);
    return { rps };
  },
  async recordCount({ datasetId }) {
    // The count, not listRecords(): at 10M that would copy every record into one array.
    const store = need(pai).store as MemoryPaiStore;
    return { active: store.datasets.get(datasetId)?.versions.get('v1')?.activeCount ?? 0 };
  },
  async close() {
    await Promise.all([oss?.close(), pai?.close()]);
    return { ok: true };
  },
};

process.on('message', (msg: Request) => {
  const handler = handlers[msg.op] as (args: unknown) => Promise<unknown>;
  handler(msg.args).then(
    (result) => process.send!({ id: msg.id, ok: true, result } satisfies Response),
    (err: unknown) =>
      process.send!({ id: msg.id, ok: false, error: (err as Error).stack ?? String(err) } satisfies Response),
  );
});
// The harness going away (even by a crash) must not leave the emulators running.
process.on('disconnect', () => process.exit(0));
