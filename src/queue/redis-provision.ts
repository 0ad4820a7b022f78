// Finds a Redis for tests and the demo, in the order users expect: an explicit REDIS_URL, a private
// redis-server started from PATH (isolated: free port, own temp dir, nothing persisted), a throwaway
// container through testcontainers (a development dependency: in a checkout only), and otherwise one message
// that says how to get Redis.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ProvisionedRedis {
  url: string;
  /** Where it came from, for logs: 'env' | 'redis-server' | 'testcontainers'. */
  source: 'env' | 'redis-server' | 'testcontainers';
  stop(): Promise<void>;
}

export const NO_REDIS_MESSAGE =
  'No Redis available. Do one of: set REDIS_URL=redis://host:6379 (Redis >= 6.2); ' +
  'install redis-server so it is on PATH (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis); ' +
  'or start a Docker engine so a Redis container can be started.';

/** Without testcontainers (an installed package: it is a development dependency) there is no Docker fallback. */
export const NO_REDIS_INSTALLED_MESSAGE =
  'No Redis available. Do one of: set REDIS_URL=redis://host:6379 (Redis >= 6.2); ' +
  'or install redis-server so it is on PATH (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function hasRedisServer(): boolean {
  const r = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`);
}

async function startRedisServer(): Promise<ProvisionedRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'oss-pai-sync-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  try {
    await waitForPort(port, child, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    source: 'redis-server',
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startContainer(): Promise<ProvisionedRedis> {
  // Imported lazily: testcontainers is large and only needed on machines without redis-server.
  const { GenericContainer } = await import('testcontainers');
  const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
  return {
    url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
    source: 'testcontainers',
    async stop() {
      await container.stop();
    },
  };
}

export async function provisionRedis(env: NodeJS.ProcessEnv = process.env): Promise<ProvisionedRedis> {
  if (env.REDIS_URL) {
    return { url: env.REDIS_URL, source: 'env', stop: async () => {} };
  }
  if (hasRedisServer()) return startRedisServer();
  try {
    return await startContainer();
  } catch (err) {
    // testcontainers is a development dependency (tests and a checkout's demo): an installed package runs
    // without it, and then only REDIS_URL and redis-server are ways to a Redis.
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND')
      throw new Error(NO_REDIS_INSTALLED_MESSAGE);
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`${NO_REDIS_MESSAGE} (testcontainers: ${why})`);
  }
}
