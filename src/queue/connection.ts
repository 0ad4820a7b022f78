// ioredis connections with the options BullMQ requires, and a fail-fast check with a message a user can act on.
import { Redis, type RedisOptions } from 'ioredis';

export class RedisUnavailableError extends Error {}

function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

export function createRedis(url: string, extra: RedisOptions = {}): Redis {
  // BullMQ workers need maxRetriesPerRequest: null (blocking commands must wait through reconnects).
  return new Redis(url, { maxRetriesPerRequest: null, ...extra });
}

/** Connects once with a short timeout, so a wrong URL fails in seconds with one clear line. */
export async function checkRedis(url: string, timeoutMs = 5_000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  probe.on('error', (err: Error) => {
    lastError = err;
  });
  try {
    await probe.connect();
    const info = await probe.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '0';
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 6 || (major === 6 && minor < 2)) {
      throw new RedisUnavailableError(
        `Redis at ${redact(url)} is version ${version}; oss-pai-sync needs Redis >= 6.2.`,
      );
    }
  } catch (err) {
    if (err instanceof RedisUnavailableError) throw err;
    // ioredis rejects with "Connection is closed"; the socket error (ECONNREFUSED, ENOTFOUND...) says more.
    const why = (lastError ?? (err as Error)).message.split('\n')[0];
    throw new RedisUnavailableError(
      `Cannot reach Redis at ${redact(url)} (${why}). Start Redis or pass --redis-url / set REDIS_URL ` +
        '(redis://[user:password@]host:port, rediss:// for TLS).',
    );
  } finally {
    probe.disconnect();
  }
}
