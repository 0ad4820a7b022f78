// One active run per binding: a Redis key holding the run id. Release and stale takeover are atomic
// compare-and-delete (a plain GET then DEL could delete the lock a NEW run took in between).
import type { RedisClient } from '../queue/connection.ts';
import type { Keys } from '../queue/keys.ts';
import { LuaScript } from '../queue/lua-script.ts';
import type { RunStatus } from './run-types.ts';

const DELETE_IF = new LuaScript(
  'deleteIfHolder',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  1,
);

export class BindingBusyError extends Error {
  constructor(readonly activeRunId: string) {
    super(
      `Another run of this binding is active (${activeRunId}). Wait for it (oss-pai-sync status ${activeRunId}) ` +
        `or cancel it (oss-pai-sync run cancel ${activeRunId}).`,
    );
    this.name = 'BindingBusyError';
  }
}

const ENDED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

export class BindingLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Pick<Keys, 'bindingActive'>,
    private readonly statusOf: (runId: string) => Promise<RunStatus | undefined>,
  ) {}

  async holder(bindingId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.bindingActive(bindingId))) ?? undefined;
  }

  /** Takes the lock for runId; a lock left by a run that already ended (or vanished) is taken over. */
  async acquire(bindingId: string, runId: string): Promise<void> {
    const key = this.keys.bindingActive(bindingId);
    for (let i = 0; i < 2; i++) {
      if ((await this.redis.set(key, runId, 'NX')) === 'OK') return;
      const holder = await this.holder(bindingId);
      const status = holder ? await this.statusOf(holder) : undefined;
      if (holder && status && !ENDED.has(status)) throw new BindingBusyError(holder);
      if (holder) await this.release(bindingId, holder);
    }
    throw new BindingBusyError((await this.holder(bindingId)) ?? 'unknown');
  }

  /** Releases the lock only if runId holds it; true when it did. */
  async release(bindingId: string, runId: string): Promise<boolean> {
    return Number(await DELETE_IF.run(this.redis, [this.keys.bindingActive(bindingId)], [runId])) === 1;
  }
}
