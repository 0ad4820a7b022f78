// A throwaway local Redis Cluster for tests: three masters with one replica each, redis-server processes on
// free ports with their own temp directory, joined by `redis-cli --cluster create`. Every wait is on a
// condition the cluster reports (cluster_state, roles), never a fixed sleep. stop() kills the processes and
// removes the directories.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { createRedis } from '../../src/queue/connection.ts';
import { freePort } from '../../src/queue/redis-provision.ts';

export interface ClusterNode {
  port: number;
  url: string;
  child: ChildProcess;
}

export interface LocalCluster {
  nodes: ClusterNode[];
  /** The node id -> role and slot ranges as one node sees them. */
  masters(): Promise<Array<{ node: ClusterNode; slots: Array<[number, number]> }>>;
  /** The master that serves this key's slot now. */
  masterOf(key: string): Promise<ClusterNode>;
  /** SIGKILL a node (a crash: no shutdown, no final save). */
  kill(node: ClusterNode): Promise<void>;
  /** Until a replica of the killed master serves its slots and every live node says cluster_state:ok. */
  waitForFailover(killed: ClusterNode, slot: number, timeoutMs?: number): Promise<ClusterNode>;
  stop(): Promise<void>;
}

/** Polls `check` until it returns a value (not undefined), or fails with `what` after timeoutMs. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A port P such that P and its cluster bus port P+10000 are both free. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p + 10_000 > 65_535) continue;
    const busFree = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(p + 10_000, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (busFree) return p;
  }
}

async function startNode(dir: string): Promise<ClusterNode> {
  for (let attempt = 0; ; attempt++) {
    const port = await clusterPort();
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
        ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
        // A crash is noticed after 3 s; generous enough that a busy machine does not fail over by mistake.
        ...['--cluster-node-timeout', '3000', '--cluster-replica-validity-factor', '0'],
        ...['--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
        // Replicas get their first copy at once (the default waits 5 s for more replicas to share it).
        ...['--repl-diskless-sync-delay', '0'],
      ],
      { stdio: 'ignore' },
    );
    const node: ClusterNode = { port, url: `redis://127.0.0.1:${port}`, child };
    try {
      await until(
        `redis-server on port ${port}`,
        async () => {
          if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
          const r = await ping(node);
          return r ? true : undefined;
        },
        10_000,
      );
      return node;
    } catch (err) {
      child.kill('SIGKILL');
      // Another process took the port between the check and the bind: try another one.
      if (attempt >= 4) throw err;
    }
  }
}

async function withNode<T>(node: ClusterNode, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = createRedis(node.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  r.on('error', () => {});
  try {
    await r.connect();
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

async function ping(node: ClusterNode): Promise<boolean> {
  return withNode(node, async (r) => (await r.ping()) === 'PONG').catch(() => false);
}

interface NodeLine {
  id: string;
  port: number;
  flags: string[];
  masterId: string;
  slots: Array<[number, number]>;
}

function parseNodes(text: string): NodeLine[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id = '', addr = '', flags = '', masterId = '', , , , , ...slots] = line.split(' ');
      return {
        id,
        port: Number(/:(\d+)/.exec(addr)?.[1] ?? 0),
        flags: flags.split(','),
        masterId,
        slots: slots
          .filter((s) => !s.startsWith('['))
          .map((s) => {
            const [a, b = a] = s.split('-');
            return [Number(a), Number(b)] as [number, number];
          }),
      };
    });
}

export async function startRedisCluster(): Promise<LocalCluster> {
  if (spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('redis-cli is not on PATH (Debian/Ubuntu: apt-get install redis-tools)');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'oss-pai-sync-cluster-'));
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    await Promise.all(
      nodes.map(async (n) => {
        if (n.child.exitCode !== null || n.child.signalCode !== null) return;
        const exited = new Promise((r) => n.child.once('exit', r));
        n.child.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 6; i++) nodes.push(await startNode(dir));
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    // Joined when every node says ok and sees three masters that each have a replica, and every replica holds
    // its master's data (link up): a replica promoted before its first sync would take over empty.
    await until('cluster_state:ok and replicas in sync on every node', async () => {
      for (const n of nodes) {
        const ok = await withNode(n, async (r) => {
          if (!/cluster_state:ok/.test(String(await r.cluster('INFO')))) return false;
          const lines = parseNodes(String(await r.cluster('NODES')));
          const masters = lines.filter((l) => l.flags.includes('master'));
          const replicas = lines.filter((l) => l.flags.includes('slave'));
          if (masters.length !== 3 || replicas.length !== 3) return false;
          const repl = await r.info('replication');
          return /role:master/.test(repl)
            ? /connected_slaves:1/.test(repl) && /slave0:[^\r\n]*state=online/.test(repl)
            : /master_link_status:up/.test(repl);
        });
        if (!ok) return undefined;
      }
      return true;
    });
  } catch (err) {
    await stop();
    throw err;
  }

  const live = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  const view = async () => {
    for (const n of live()) {
      const lines = await withNode(n, async (r) => parseNodes(String(await r.cluster('NODES')))).catch(
        () => undefined,
      );
      if (lines) return lines;
    }
    throw new Error('no cluster node answers');
  };
  const byPort = (port: number) => {
    const n = nodes.find((x) => x.port === port);
    if (!n) throw new Error(`no node on port ${port}`);
    return n;
  };

  const masters = async () => {
    const lines = await view();
    return lines
      .filter((l) => l.flags.includes('master') && !l.flags.includes('fail') && l.slots.length > 0)
      .map((l) => ({ node: byPort(l.port), slots: l.slots }));
  };
  return {
    nodes,
    masters,
    async masterOf(key) {
      const slot = await withNode(live()[0]!, async (r) => Number(await r.cluster('KEYSLOT', key)));
      const owner = (await masters()).find((m) => m.slots.some(([a, b]) => slot >= a && slot <= b));
      if (!owner) throw new Error(`no master serves slot ${slot}`);
      return owner.node;
    },
    async kill(node) {
      const exited = new Promise((r) => node.child.once('exit', r));
      node.child.kill('SIGKILL');
      await exited;
    },
    async waitForFailover(killed, slot, timeoutMs = 60_000) {
      return until(
        `a replica of port ${killed.port} to take over slot ${slot}`,
        async () => {
          for (const n of live()) {
            const ok = await withNode(n, async (r) =>
              /cluster_state:ok/.test(String(await r.cluster('INFO'))),
            ).catch(() => false);
            if (!ok) return undefined;
          }
          const lines = await view();
          const owner = lines.find(
            (l) =>
              l.flags.includes('master') &&
              !l.flags.includes('fail') &&
              l.slots.some(([a, b]) => slot >= a && slot <= b),
          );
          return owner && owner.port !== killed.port ? byPort(owner.port) : undefined;
        },
        timeoutMs,
      );
    },
    stop,
  };
}
