// The triggers with an IMM binding: a cron schedule starts runs that index into IMM, and upload events
// (MNS shape, signed) index new and overwritten objects and remove deleted ones.
import { afterEach, expect, it } from 'vitest';
import { LOCAL_IMM_PROJECT } from '../../../../src/demo/local-cloud.ts';
import type { RunRecord } from '../../../../src/runs/run-types.ts';
import { createEventSink } from '../../../../src/triggers/event-sink.ts';
import { startEventServer, type EventServer, type EventSink } from '../../../../src/triggers/events/index.ts';
import { addSchedule, removeSchedule } from '../../../../src/triggers/schedules.ts';
import { testCloud, type TestCloud } from '../../../helpers/cloud.ts';
import { waitFor } from '../../../helpers/wait-for.ts';

let cloud: TestCloud | undefined;
let server: EventServer | undefined;
afterEach(async () => {
  await server?.close();
  await cloud?.cleanup();
  server = undefined;
  cloud = undefined;
});

const IMM = { target: 'imm', immProject: LOCAL_IMM_PROJECT, immDataset: 'triggered' };

it('a schedule starts runs of an IMM binding: the first indexes every object, the next find nothing to do', async () => {
  cloud = await testCloud();
  for (let i = 0; i < 40; i++) cloud.oss.store.putObject(cloud.bucket, `s/${i}.txt`, `x${i}`);
  await addSchedule(cloud.services.controlQueue, 'imm-every-2s', '*/2 * * * * *', 'UTC', cloud.flat(IMM));
  cloud.startWorkers();
  const c = cloud;
  const ended = async (): Promise<RunRecord[]> => {
    const runs = await Promise.all((await c.services.runs.list(100)).map((id) => c.services.runs.get(id)));
    return runs.filter((r): r is RunRecord => r?.status === 'completed');
  };
  await waitFor(async () => (await ended()).length >= 2, {
    what: 'two scheduled runs completed',
    timeoutMs: 180_000,
  });
  expect(await removeSchedule(cloud.services.controlQueue, 'imm-every-2s')).toBe(true);
  const runs = (await ended()).sort((a, b) => a.createdAt - b.createdAt);
  expect(runs[0]!.kind).toBe('scheduled');
  expect(runs[0]!.counters.created).toBe(40);
  expect(runs[1]!.counters).toMatchObject({ unchanged: 40, created: 0 });
  expect(cloud.imm.store.getDataset(LOCAL_IMM_PROJECT, 'triggered')?.FileCount).toBe(40);
});

it('upload events index new and overwritten objects into IMM and remove deleted ones', async () => {
  const holder: { sink?: EventSink } = {};
  server = await startEventServer({
    secret: 'imm-secret',
    sink: { covers: (b, k) => holder.sink!.covers(b, k), accept: (e) => holder.sink!.accept(e) },
  });
  cloud = await testCloud({
    oss: { events: { url: `${server.url}/events`, format: 'mns', secret: 'imm-secret' } },
    imm: { faults: { indexDelayMs: 20 } },
  });
  const flat = cloud.flat({ ...IMM, prefix: 'up/' });
  holder.sink = createEventSink(
    cloud.services,
    [{ flat, config: cloud.config({ ...IMM, prefix: 'up/' }) }],
    100,
  );
  cloud.startWorkers();
  await cloud.datasetId({ ...IMM, prefix: 'up/' });
  const client = cloud.ossClient();
  const c = cloud;
  const file = (key: string) =>
    c.imm.store.listFiles(LOCAL_IMM_PROJECT, 'triggered').find((f) => f.URI === `oss://${c.bucket}/${key}`);

  for (let i = 0; i < 5; i++) await client.put(`up/e-${i}.jpg`, Buffer.from(`v1 ${i}`));
  await waitFor(() => [0, 1, 2, 3, 4].every((i) => file(`up/e-${i}.jpg`)?.ObjectStatus === 'Indexed'), {
    what: 'five uploads indexed',
  });
  await client.put('up/e-0.jpg', Buffer.from('v2 overwritten'));
  const headers = (await client.head('up/e-0.jpg')).res.headers as Record<string, string>;
  const etag = String(headers.etag).replace(/"/g, '');
  await waitFor(() => file('up/e-0.jpg')?.CustomLabels?.SyncFingerprint === etag, {
    what: 'the overwrite indexed',
  });
  await client.delete('up/e-1.jpg');
  await waitFor(() => file('up/e-1.jpg') === undefined, { what: 'the deleted object removed' });
  expect(cloud.imm.store.getDataset(LOCAL_IMM_PROJECT, 'triggered')?.FileCount).toBe(4);
});
