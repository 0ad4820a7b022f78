// Items that cannot be delivered: rejected by PAI, or still failing after maxRetries requeues. Kept in a
// Redis list with PAI's Result text, so nothing is silently lost and `dead-letter requeue` can try again.
import type { RedisClient } from '../queue/connection.ts';
import type { SyncItem } from '../queue/payloads.ts';
import type { Keys } from '../queue/keys.ts';

export interface DeadLetter {
  runId: string;
  bindingId: string;
  item: SyncItem;
  reason: string;
  at: number;
}

export class DeadLetterStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async add(entries: DeadLetter[]): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.rpush(this.keys.deadLetter(), ...entries.map((e) => JSON.stringify(e)));
  }

  async count(): Promise<number> {
    return this.redis.llen(this.keys.deadLetter());
  }

  async list(start = 0, limit = 100): Promise<DeadLetter[]> {
    const raw = await this.redis.lrange(this.keys.deadLetter(), start, start + limit - 1);
    return raw.map((r) => JSON.parse(r) as DeadLetter);
  }

  /** Atomically takes up to `limit` entries off the list (for requeueing). */
  async take(limit: number): Promise<DeadLetter[]> {
    const raw = (await this.redis.lpop(this.keys.deadLetter(), limit)) ?? [];
    return raw.map((r) => JSON.parse(r) as DeadLetter);
  }
}
