// Keys of a run whose records may have a copy nobody saw: the lookup that resolves an unfinished write
// (a retried job's intent, an unsure answer) only sees what has landed BY THEN. A write can still land
// after it: the same job run twice at once (its lock expired on a starved machine and a second worker took
// it while the first one's call was in flight), an answer lost before PAI applied the write, a list that
// lags behind writes. Such keys are collected here and looked up again when the run ends
// (src/runs/late-copies.ts), when every job of the run is over.
import type { RedisClient } from '../queue/connection.ts';
import type { Keys } from '../queue/keys.ts';

/** As long as a job's checkpoint lives (a run may be paused for days). */
const TTL_S = 7 * 24 * 3600;

export class SuspectKeys {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async add(runId: string, objectKeys: readonly string[]): Promise<void> {
    if (objectKeys.length === 0) return;
    const k = this.keys.runSuspects(runId);
    await this.redis
      .multi()
      .sadd(k, ...objectKeys)
      .expire(k, TTL_S)
      .exec();
  }

  async any(runId: string): Promise<boolean> {
    return (await this.redis.scard(this.keys.runSuspects(runId))) > 0;
  }

  async *scan(runId: string, pageSize = 500): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.sscan(this.keys.runSuspects(runId), cursor, 'COUNT', pageSize);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }

  async clear(runId: string): Promise<void> {
    await this.redis.del(this.keys.runSuspects(runId));
  }
}
