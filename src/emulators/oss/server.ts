// startOssEmulator: the node:http server tying addressing, faults, authentication and the operation
// handlers together. Per request, in this order: admin routing, stats, faults, body, auth, bucket
// check, handler. Faults come before auth so a misconfigured client still sees them.
import { listen } from '../../net/listen.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleAdmin } from './admin.ts';
import { writeAdminObjects } from './admin-objects.ts';
import { type Address, hostName, isServiceHost, resolveAddress } from './addressing.ts';
import { authenticate } from './authenticate.ts';
import { DEFAULT_CREDENTIAL, DEFAULT_REGION } from './constants.ts';
import { OssError } from './errors.ts';
import { EventNotifier } from './event-notifier.ts';
import { NO_FAULTS, hit, mergeFaults } from './faults.ts';
import { newRequestId, normalizeHeaders, readBody, sendError } from './http-util.ts';
import { classify } from './operations.ts';
import { Persistence } from './persistence.ts';
import type { RequestContext } from './request-context.ts';
import { MemoryStore } from './store.ts';
import type { OssEmulator, OssEmulatorOptions, OssFaults, OssStats } from './types.ts';

/** The emulator plus internals that tests and the CLI may use (not part of the stable API). */
export interface OssEmulatorInternal extends OssEmulator {
  readonly faults: Readonly<OssFaults>;
  /** Resolves when queued event notifications were delivered or given up. */
  eventsIdle(): Promise<void>;
  readonly eventStats: {
    delivered: number;
    failed: number;
    retried: number;
    dropped: number;
    pending: number;
  };
}

export async function startOssEmulator(opts: OssEmulatorOptions = {}): Promise<OssEmulatorInternal> {
  const host = opts.host ?? '127.0.0.1';
  const region = opts.region ?? DEFAULT_REGION;
  const credentials = opts.credentials ?? [{ ...DEFAULT_CREDENTIAL }];
  const maxClockSkewMs = opts.maxClockSkewMs ?? 15 * 60_000;
  const clock = opts.clock ?? Date.now;
  const store = new MemoryStore(opts.dataDir ? new Persistence(opts.dataDir) : undefined);
  for (const b of opts.buckets ?? []) store.createBucket(b);
  let faults = mergeFaults(NO_FAULTS, opts.faults ?? {});
  const notifier = opts.events ? new EventNotifier(opts.events) : undefined;
  const stats: OssStats = { requests: 0, byOperation: {} };
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let closed = false;

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    res.setHeader('x-oss-request-id', requestId);
    res.setHeader('Server', 'AliyunOSS');
    const isHead = req.method === 'HEAD';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const queryList = [...new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '')];
    const query = new Map(queryList);
    const hostHeader = req.headers.host;
    const hostId = hostHeader ?? host;

    if (isServiceHost(hostName(hostHeader), host) && rawPath.startsWith('/-/admin/')) {
      return handleAdmin(req, res, rawPath, {
        getFaults: () => faults,
        setFaults: (patch) => (faults = mergeFaults(faults, patch)),
        getStats: () => ({
          ...stats,
          events: notifier ? notifier.counts() : null,
        }),
        createBucket: (name) => store.createBucket(name),
        writeObjects: (bucket, raw) => writeAdminObjects(store, bucket, raw, region),
      });
    }

    stats.requests++;
    let addresses: Address[];
    try {
      addresses = resolveAddress(hostHeader, rawPath, host);
    } catch (e) {
      stats.byOperation.Invalid = (stats.byOperation.Invalid ?? 0) + 1;
      req.resume();
      return sendError(res, e as OssError, requestId, hostId, isHead);
    }
    const method = req.method ?? 'GET';
    const primary = classify(method, addresses[0] as Address, query, req.headers);
    stats.byOperation[primary.name] = (stats.byOperation[primary.name] ?? 0) + 1;

    if (faults.latencyMs > 0) await delay(faults.latencyMs);
    if (closed) return;
    if (hit(faults.resetRate)) {
      req.socket.destroy();
      return;
    }
    try {
      if (hit(faults.slowDownRate)) throw new OssError('SlowDown');
      const body =
        primary.readsBody || method === 'PUT' || method === 'POST' ? await readBody(req) : Buffer.alloc(0);
      const headers = normalizeHeaders(req);
      const chosen = authenticate(
        { method, headers, query: queryList, addresses },
        { credentials, region, maxClockSkewMs, now: clock() },
      );
      const address = addresses[chosen] as Address;
      const op = chosen === 0 ? primary : classify(method, address, query, req.headers);
      const bucket = address.bucket ?? '';
      if (op.scope === 'existing' && !store.hasBucket(bucket)) {
        throw new OssError('NoSuchBucket', undefined, [['BucketName', bucket]]);
      }
      const ctx: RequestContext = {
        req,
        res,
        requestId,
        hostId,
        bucket,
        key: address.key,
        query,
        headers,
        body,
        store,
        region,
        notify: (e, index) =>
          notifier?.publish(
            {
              ...e,
              bucket,
              region,
              requestId,
              sourceIp: req.socket.remoteAddress ?? '',
              time: new Date(),
            },
            index,
          ),
        shouldStallBody: () => hit(faults.stallBodyRate),
      };
      op.handler(ctx);
    } catch (e) {
      req.resume();
      const err = e instanceof OssError ? e : new OssError('InternalError', (e as Error).message);
      sendError(res, err, requestId, hostId, isHead);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // Last resort: a bug must not take the emulator down.
      if (!res.headersSent)
        sendError(res, new OssError('InternalError', String(e)), newRequestId(), host, req.method === 'HEAD');
    });
  });
  // ali-oss keeps idle sockets 15 s; closing ours sooner races with reuse (socket hang up).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  const port = await listen(server, opts.port ?? 0, host, 'OSS emulator');
  const endpointHost = host.includes(':') ? `[${host}]` : host;

  return {
    endpoint: `http://${endpointHost}:${port}`,
    port,
    store,
    stats,
    get faults() {
      return faults;
    },
    eventStats: {
      get delivered() {
        return notifier?.delivered ?? 0;
      },
      get failed() {
        return notifier?.failed ?? 0;
      },
      get retried() {
        return notifier?.retried ?? 0;
      },
      get dropped() {
        return notifier?.dropped ?? 0;
      },
      get pending() {
        return notifier?.pending ?? 0;
      },
    },
    eventsIdle: () => notifier?.idle() ?? Promise.resolve(),
    resetStats() {
      stats.requests = 0;
      for (const k of Object.keys(stats.byOperation)) delete stats.byOperation[k];
    },
    setFaults(f) {
      faults = mergeFaults(faults, f);
    },
    async close() {
      if (closed) return;
      closed = true;
      notifier?.close();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      // Destroys idle keep-alive sockets and stalled responses alike, so close() cannot hang.
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      await done;
    },
  };
}
