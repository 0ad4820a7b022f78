// The event sink's group commit (src/triggers/event-sink.ts): deliveries that arrive while a backlog write
// is in flight share the next write, each resolves only once its keys are in Redis, and a failed write
// fails exactly the deliveries that joined it. Real Redis; the batches follow from the order of calls.
import { afterEach, expect, it } from 'vitest';
import { createEventSink, eventBindingKey } from '../../../src/triggers/event-sink.ts';
import type { ObjectEvent } from '../../../src/triggers/events/index.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

async function setup() {
  cloud = await testCloud();
  const config = cloud.config({ datasetName: 'group-commit' });
  const sink = createEventSink(
    cloud.services,
    [{ flat: cloud.flat({ datasetName: 'group-commit' }), config }],
    60_000,
  );
  const backlogKey = cloud.services.keys.bindingEvents(eventBindingKey(config));
  const c = cloud;
  const event = (key: string): ObjectEvent[] => [
    {
      bucket: c.bucket,
      key,
      kind: 'created',
      eventName: 'ObjectCreated:PutObject',
      eventTime: new Date().toISOString(),
    },
  ];
  return { c, sink, backlogKey, event };
}

it('deliveries arriving during a write share the next one; each resolves with its keys in the backlog', async () => {
  const { c, sink, backlogKey, event } = await setup();
  // The first delivery starts a write at once; the 39 after it, made before that write answers, join one.
  const keys = Array.from({ length: 40 }, (_, i) => `k/${i}`);
  await Promise.all(keys.map((k) => sink.accept(event(k))));
  const withScores = await c.services.redis.zrange(backlogKey, 0, -1, 'WITHSCORES');
  const members = withScores.filter((_, i) => i % 2 === 0);
  expect(members.sort()).toEqual([...keys].sort());
  // Arrival is stamped once per backlog write (Redis TIME inside the script): two writes, two stamps at most.
  expect(new Set(withScores.filter((_, i) => i % 2 === 1)).size).toBeLessThanOrEqual(2);
});

it('a failed write fails the deliveries it carried (503, redelivered); later deliveries go through', async () => {
  const { c, sink, backlogKey, event } = await setup();
  // A backlog key of the wrong type makes every backlog write fail (WRONGTYPE) until it is removed.
  await c.services.redis.set(backlogKey, 'not a sorted set');
  const results = await Promise.allSettled(['a', 'b', 'x'].map((k) => sink.accept(event(k))));
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  await c.services.redis.del(backlogKey);
  await sink.accept(event('c'));
  expect(await c.services.redis.zrange(backlogKey, 0, -1)).toEqual(['c']);
});
