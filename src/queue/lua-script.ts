// Our Lua scripts, sent by their SHA1 (EVALSHA) instead of their whole text (EVAL) on every call: the
// per-batch checkpoint script alone is ~2.7 KB, sent ten times per 1,000 objects. ioredis's defineCommand
// does the bookkeeping: the first call on a connection (or node of a Cluster) sends EVAL, later calls
// EVALSHA, and a NOSCRIPT answer (Redis restarted, SCRIPT FLUSH, failover to a replica) is retried as EVAL.
// The command is defined on each client the first time the script runs there (clients are created in
// several places: src/queue/connection.ts); its name carries the script's SHA1, so two scripts never share
// one, and it cannot collide with BullMQ's commands defined on the same client.
import { createHash } from 'node:crypto';
import type { RedisClient } from './connection.ts';

type ScriptArg = string | number | Buffer;
type Defined = (...args: ScriptArg[]) => Promise<unknown>;

export class LuaScript {
  private readonly command: string;

  /** `name` only makes the command readable in errors and MONITOR-like traces. */
  constructor(
    name: string,
    readonly lua: string,
    readonly numberOfKeys: number,
  ) {
    this.command = `opsLua_${name}_${createHash('sha1').update(lua).digest('hex').slice(0, 12)}`;
  }

  /** Runs the script with `keys` (exactly numberOfKeys of them) then `args`. */
  run(redis: RedisClient, keys: readonly string[], args: readonly ScriptArg[] = []): Promise<unknown> {
    const client = redis as unknown as Record<string, Defined | undefined>;
    let fn = client[this.command];
    if (typeof fn !== 'function') {
      redis.defineCommand(this.command, { numberOfKeys: this.numberOfKeys, lua: this.lua });
      fn = client[this.command]!;
    }
    return fn.call(redis, ...keys, ...args);
  }
}
