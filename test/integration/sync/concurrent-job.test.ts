// The same sync job run twice AT ONCE: on a starved machine a job's lock expires while its worker's create
// call is still in flight, the stalled-job check hands the job to a second worker, and that one finds the
// batch's intent and looks its objects up BEFORE the first call lands: nothing found, so it creates them
// too. PAI accepting duplicate Uris, each object then had two records and nothing removed either (the 50k
// kill storm left 13). Here the interleaving is forced: two executions of one job against the emulator,
// each with its own sink whose calls wait on the other at the chosen points. Whatever the order, the run
// must end with one record per object and counters equal to what PAI accepted.
import type { Job } from 'bullmq';
import { afterEach, expect, it } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import type { SyncJobData } from '../../../src/queue/payloads.ts';
import { ApiCallError } from '../../../src/pai/errors.ts';
import { maybeFinalize } from '../../../src/runs/finalize.ts';
import { startRun, toRunBinding } from '../../../src/runs/start-run.ts';
import type { Sink } from '../../../src/sinks/sink.ts';
import { Checkpoints } from '../../../src/sync/checkpoint.ts';
import { createContextCache, type RunContext } from '../../../src/sync/context.ts';
import { SuspectKeys } from '../../../src/sync/suspect-keys.ts';
import { createSyncProcessor, type SyncPorts } from '../../../src/sync/sync-processor.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';
import { waitFor } from '../../helpers/wait-for.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

const OBJECTS = 10;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Hooks around one execution's sink calls (each may wait before or after the real call). */
interface Hooks {
  /** Replaces the send (the real one is given). */
  send?: (real: Sink['send'], ...args: Parameters<Sink['send']>) => ReturnType<Sink['send']>;
  beforeSend?: () => Promise<void>;
  /** After the write was applied: throwing here is the worker dying before it learns the answer. */
  afterSend?: () => Promise<void>;
  afterLookup?: () => Promise<void>;
}

function hooked(ctx: RunContext, h: Hooks): RunContext {
  const sink: Sink = {
    ...ctx.sink,
    async send(batch, guard) {
      if (h.send) return h.send((b, g) => ctx.sink.send(b, g), batch, guard);
      await h.beforeSend?.();
      const sent = await ctx.sink.send(batch, guard);
      await h.afterSend?.();
      return sent;
    },
    async lookup(keys, guard) {
      const found = await ctx.sink.lookup(keys, guard);
      await h.afterLookup?.();
      return found;
    },
  };
  return { ...ctx, sink };
}

/** The hooks of both executions, and when the second one starts. */
type Scenario = (done: { first: Promise<void>; second: Promise<void> }) => {
  first: Hooks;
  second: Hooks;
  secondStarts: Promise<void>;
};

const SCENARIOS: Array<[string, Scenario]> = [
  [
    "the first execution's create lands after the second one created the objects and checkpointed",
    (done) => {
      const sending = deferred();
      return {
        first: {
          beforeSend: async () => {
            sending.resolve();
            await done.second;
          },
        },
        second: {},
        secondStarts: sending.promise,
      };
    },
  ],
  [
    "the first execution's create lands after the second one's lookup; the first one checkpoints",
    (done) => {
      const looked = deferred();
      const sending = deferred();
      return {
        first: {
          beforeSend: async () => {
            sending.resolve();
            await looked.promise;
          },
        },
        second: { afterLookup: async () => looked.resolve(), beforeSend: () => done.first },
        secondStarts: sending.promise,
      };
    },
  ],
  [
    'the first execution dies right after its create lands, after the second one looked up',
    () => {
      const looked = deferred();
      const sending = deferred();
      return {
        first: {
          beforeSend: async () => {
            sending.resolve();
            await looked.promise;
          },
          afterSend: async () => {
            throw new Error('killed');
          },
        },
        second: { afterLookup: async () => looked.resolve() },
        secondStarts: sending.promise,
      };
    },
  ],
];

const CASES = [true, false].flatMap((dup) => SCENARIOS.map(([name, s]) => [dup, name, s] as const));

/**
 * One sync job of OBJECTS objects, run here by `execute` (given a processor factory taking the hooks of one
 * execution), then the run finalized: it must end with one record per object.
 */
async function oneSyncJob(
  duplicatesAccepted: boolean,
  execute: (
    job: Job<SyncJobData>,
    processor: (h: Hooks) => ReturnType<typeof createSyncProcessor>,
  ) => Promise<void>,
): Promise<{
  accepted: { created: number; updated: number; deleted: number };
  counters: { created: number; updated: number; deleted: number; duplicatesRemoved: number };
}> {
  cloud = await testCloud({ pai: { allowDuplicateUris: duplicatesAccepted } });
  const c = cloud;
  for (let i = 0; i < OBJECTS; i++) c.oss.store.putObject(c.bucket, `twice/${i}.txt`, `x${i}`);
  const flat = { datasetName: 'twice', batchMaxItems: OBJECTS };
  const datasetId = await c.datasetId(flat);
  c.pai.resetStats();
  // Only the scan runs in workers: the sync job is run here.
  c.startWorkers({ kinds: ['scan', 'control'] });
  const runId = await startRun(c.services, toRunBinding(c.config(flat), datasetId));
  let job: Job<SyncJobData> | undefined;
  await waitFor(
    async () => {
      job = (await c.services.syncQueue.getJobs(['waiting', 'prioritized'])).find(
        (j) => j.data.runId === runId,
      );
      return job !== undefined;
    },
    { what: 'the sync job of the scan', timeoutMs: 30_000 },
  );
  expect(job!.data.items).toHaveLength(OBJECTS);

  const s = c.services;
  const ports: SyncPorts = {
    runs: s.runs,
    checkpoints: new Checkpoints(s.redis, s.keys),
    suspects: new SuspectKeys(s.redis, s.keys),
    dead: s.dead,
    syncQueue: s.syncQueue,
    keys: s.keys,
    logger: s.logger,
  };
  const contextFor = createContextCache(s);
  await execute(job!, (h: Hooks) =>
    createSyncProcessor(ports, async (id) => hooked(await contextFor(id), h), { retryBaseMs: 10 }),
  );

  await s.runs.donePending(runId, job!.id!);
  await maybeFinalize(s, contextFor, runId);
  const done = await s.runs.get(runId);
  expect(done?.status).toBe('completed');
  const cmp = compareDatasetWithBucket(c.oss, c.pai, { bucket: c.bucket, datasetId, prefix: 'twice/' });
  expect(cmp.duplicates).toEqual([]);
  expect(cmp.missing).toEqual([]);
  expect(cmp.extra).toEqual([]);
  // The state points at the record that was kept.
  const ctx = await contextFor(runId);
  const live = new Set(c.pai.store.listRecords(datasetId, 'v1').map((r) => r.DatasetFileMetaId));
  for (const e of await ctx.state.getMany(job!.data.items.map((i) => i.key)))
    expect(live.has(e!.metaId)).toBe(true);
  return { accepted: { ...c.pai.stats.accepted }, counters: { ...done!.counters } };
}

it.each(CASES)(
  'one sync job run by two workers at once, PAI accepting duplicate Uris: %s; %s -> one record per object',
  async (duplicatesAccepted, _name, scenario) => {
    const { accepted: acc, counters: n } = await oneSyncJob(duplicatesAccepted, async (job, processor) => {
      const firstDone = deferred();
      const secondDone = deferred();
      // The second execution starts once the first one's write is under way (its intent recorded).
      const { first, second, secondStarts } = scenario({
        first: firstDone.promise,
        second: secondDone.promise,
      });
      const a = processor(first)(job).finally(() => firstDone.resolve());
      const b = secondStarts.then(() => processor(second)(job)).finally(() => secondDone.resolve());
      const [ra, rb] = await Promise.allSettled([a, b]);
      expect(rb.status).toBe('fulfilled');
      if (ra.status === 'rejected') expect((ra.reason as Error).message).toBe('killed');
      // Both wrote: PAI holds two records per object now (or refused the second create).
      expect(cloud!.pai.stats.accepted.created).toBe((duplicatesAccepted ? 2 : 1) * OBJECTS);
    });
    if (duplicatesAccepted) {
      expect(n.created + n.updated + n.deleted).toBe(acc.created + acc.updated + acc.deleted);
      expect(n.duplicatesRemoved).toBe(OBJECTS);
    } else {
      // The losing execution's "already exists" healed into an update PAI applied: that write is not
      // counted (a known gap, README "Exactly once"), but nothing was duplicated or removed.
      expect(n.duplicatesRemoved).toBe(0);
      expect(n.created + n.updated).toBeGreaterThanOrEqual(OBJECTS);
    }
  },
);

it('a create answered 503 that PAI applies only after the lookup resolving it -> one record per object', async () => {
  const { accepted: acc, counters: n } = await oneSyncJob(true, async (job, processor) => {
    // The first create: answered 503 at once, applied once the lookup resolving that unsure answer has
    // returned (it found nothing, so the batch is created again).
    const looked = deferred();
    let late: Promise<unknown> | undefined;
    await processor({
      send: async (real, batch, guard) => {
        if (late) return real(batch, guard);
        late = looked.promise.then(() => real(batch, guard));
        return { create: { ok: false, error: new ApiCallError('transient', 'ServiceUnavailable', '503') } };
      },
      afterLookup: async () => {
        looked.resolve();
        await late;
      },
    })(job);
    expect(cloud!.pai.stats.accepted.created).toBe(2 * OBJECTS);
  });
  expect(n.created + n.updated + n.deleted).toBe(acc.created + acc.updated + acc.deleted);
  expect(n.duplicatesRemoved).toBe(OBJECTS);
});
