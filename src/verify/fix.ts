// `verify --fix`: records a FixStep per drifted key in a temporary Redis list while verify merges (bounded
// memory at any amount of drift), then, once the guard allowed it, applies the state corrections, deletes
// duplicate records, and leaves the writing to a normal run started by the caller.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../queue/connection.ts';
import type { Keys } from '../queue/keys.ts';
import type { ObjectEntry } from '../oss/object-store.ts';
import type { StateStore } from '../sync/state-store.ts';
import type { DriftCounts, Verdict } from './drift.ts';
import { fixStep, type FixStep } from './fix-plan.ts';
import type { RecordSource } from './record-source.ts';

export class FixRefusedError extends Error {}

const TTL_SECONDS = 6 * 3600;
const BATCH = 500;

/** Refuses a fix that would delete more than maxDelete records, or any when deletes are off. */
export function checkFixAllowed(c: DriftCounts, opts: { delete: boolean; maxDelete: number }): void {
  const deletes = c.orphaned + c.duplicates;
  if (deletes === 0) return;
  if (!opts.delete)
    throw new FixRefusedError(
      `--fix would delete ${deletes} record(s) (${c.orphaned} orphaned, ${c.duplicates} duplicate) but deletes are off (--no-delete); nothing was changed`,
    );
  if (deletes > opts.maxDelete)
    throw new FixRefusedError(
      `--fix would delete ${deletes} record(s) (${c.orphaned} orphaned, ${c.duplicates} duplicate), more than --max-delete ${opts.maxDelete}; nothing was changed. Check the binding, then raise --max-delete`,
    );
}

export class FixJournal {
  private buffer: string[] = [];
  readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    keys: Pick<Keys, 'verifyFixJournal'>,
  ) {
    this.key = keys.verifyFixJournal(randomBytes(6).toString('hex'));
  }

  /** The verify `onDrift` callback. */
  readonly record = async (key: string, object: ObjectEntry | undefined, v: Verdict): Promise<void> => {
    this.buffer.push(JSON.stringify(fixStep(key, object, v)));
    if (this.buffer.length >= BATCH) await this.flush();
  };

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const items = this.buffer;
    this.buffer = [];
    await this.redis
      .multi()
      .rpush(this.key, ...items)
      .expire(this.key, TTL_SECONDS)
      .exec();
  }

  private async *steps(): AsyncGenerator<FixStep[]> {
    await this.flush();
    for (let start = 0; ; start += BATCH) {
      const raw = await this.redis.lrange(this.key, start, start + BATCH - 1);
      if (raw.length === 0) return;
      yield raw.map((s) => JSON.parse(s) as FixStep);
    }
  }

  /** Applies every step: state corrections, then the extra records' deletion. Returns what it did. */
  async apply(state: StateStore, records: RecordSource): Promise<{ state: number; dropped: number }> {
    let changed = 0;
    let dropped = 0;
    try {
      for await (const steps of this.steps()) {
        const forget = steps.flatMap((s) => (s.state.op === 'forget' ? [s.state.key] : []));
        const known = await Promise.all(forget.map((k) => state.get(k)));
        await state.remove(known.flatMap((e) => (e ? [e.member] : [])));
        await state.put(
          steps.flatMap((s) =>
            s.state.op === 'point'
              ? [
                  {
                    key: s.state.key,
                    metaId: s.state.id,
                    etag: s.state.etag,
                    size: s.state.size,
                    lastModified: s.state.lastModified,
                  },
                ]
              : [],
          ),
        );
        changed += steps.length;
        const drop = steps.flatMap((s) => s.drop);
        if (drop.length > 0) await records.deleteRecords(drop);
        dropped += drop.length;
      }
    } finally {
      await this.redis.del(this.key);
    }
    return { state: changed, dropped };
  }

  async discard(): Promise<void> {
    this.buffer = [];
    await this.redis.del(this.key);
  }
}
