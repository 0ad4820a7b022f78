// startImmEmulator: the node:http server. Per request, in this order (each step may answer early):
//   admin path (unsigned) -> read body -> latency fault -> ACS3 signature -> POST / + x-acs-version check
//   -> x-acs-action names an operation -> count the call -> per-project rate limit (Throttling)
//   -> errorRate fault -> the operation.
// The ACS3 verifier is the PAI emulator's (one gateway, two products); its PaiApiError answers are carried
// over unchanged into IMM's error body.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen } from '../../net/listen.ts';
import { verifyAcs3 } from '../pai/acs3-signature.ts';
import { parseQuery, readBody, sendJson, splitUrl } from '../pai/http-io.ts';
import { newRequestId } from '../pai/ids.ts';
import { SlidingWindowLimiter } from '../pai/rate-limiter.ts';
import { ADMIN_PREFIX, commonAdminRoutes, handleAdmin, type AdminRoute } from '../admin-routes.ts';
import { ImmApiError } from './api-error.ts';
import { NO_FAULTS, checkQps, mergeFaults } from './faults.ts';
import { Indexer } from './indexer.ts';
import { checkName } from './names.ts';
import { API_VERSION, OPERATIONS } from './routes.ts';
import { MemoryImmStore } from './store.ts';
import type { ImmCredential, ImmEmulator, ImmEmulatorOptions, ImmFaults, ImmStats } from './types.ts';

export const DEFAULT_CREDENTIAL: ImmCredential = {
  accessKeyId: 'emulator-ak',
  accessKeySecret: 'emulator-secret',
};

function emptyStats(): ImmStats {
  return { calls: {}, throttled: 0, indexed: 0, indexFailed: 0, pendingIndex: 0 };
}

function asImmError(err: unknown): ImmApiError {
  if (err instanceof ImmApiError) return err;
  const e = err as { status?: unknown; code?: unknown; message?: unknown; headers?: unknown };
  if (typeof e?.status === 'number' && typeof e.code === 'string') {
    return new ImmApiError(e.status, e.code, String(e.message), (e.headers as Record<string, string>) ?? {});
  }
  return new ImmApiError(
    500,
    'InternalError',
    `The emulator failed: ${err instanceof Error ? err.message : String(err)}`,
  );
}

export async function startImmEmulator(opts: ImmEmulatorOptions = {}): Promise<ImmEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const region = opts.region ?? 'cn-hangzhou';
  const credentials = new Map((opts.credentials ?? [DEFAULT_CREDENTIAL]).map((c) => [c.accessKeyId, c]));
  const maxClockSkewMs = opts.maxClockSkewMs ?? 15 * 60_000;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const throttleStyle = opts.throttleStyle ?? 'imm';
  let faults: ImmFaults = mergeFaults(NO_FAULTS, opts.faults ?? {});
  let qps = checkQps(opts.qps ?? 0);
  const limiters = new Map<string, SlidingWindowLimiter>();
  const stats = emptyStats();
  const store = new MemoryImmStore();
  for (const p of opts.projects ?? []) {
    checkName('ProjectName', p);
    store.createProject(p);
  }
  const indexer = new Indexer({
    faults: () => faults,
    random,
    stats,
    ...(opts.objectSource ? { objectSource: opts.objectSource } : {}),
    newRequestId,
    failedFilesKeepFields: opts.failedFilesKeepFields ?? true,
  });

  const resetStats = (): void => {
    const pending = stats.pendingIndex;
    Object.assign(stats, emptyStats(), { pendingIndex: pending });
  };
  const setFaults = (f: Partial<ImmFaults>): void => {
    faults = mergeFaults(faults, f);
  };
  const setQps = (next: number): void => {
    qps = checkQps(next);
    for (const l of limiters.values()) l.setRps(qps);
  };
  const limiterFor = (project: string): SlidingWindowLimiter => {
    let l = limiters.get(project);
    if (!l) {
      l = new SlidingWindowLimiter(qps);
      limiters.set(project, l);
    }
    return l;
  };

  function throttled(waitMs: number): ImmApiError {
    const headers = { 'x-acs-retry-after': String(waitMs) };
    return throttleStyle === 'pop'
      ? new ImmApiError(400, 'Throttling.User', 'Request was denied due to user flow control.', headers)
      : new ImmApiError(429, 'Throttling', 'Request was denied due to request throttling.', headers);
  }

  function sendError(res: ServerResponse, err: ImmApiError, requestId: string, hostId: string): void {
    const recommend = `https://next.api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=imm&requestId=${requestId}`;
    sendJson(
      res,
      err.status,
      { RequestId: requestId, HostId: hostId, Code: err.code, Message: err.message, Recommend: recommend },
      requestId,
      err.headers,
    );
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const hostId = `imm.${region}.aliyuncs.com`;
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      const { rawPath, rawQuery } = splitUrl(req.url ?? '/');
      const body = await readBody(req);
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const query = parseQuery(rawQuery);
      verifyAcs3(
        { method, rawPath, query, headers: req.headers, body },
        { findCredential: (ak) => credentials.get(ak), nowMs: Date.now(), maxClockSkewMs },
      );
      const action = req.headers['x-acs-action'];
      if (typeof action !== 'string' || action === '') {
        throw new ImmApiError(
          400,
          'MissingAction',
          'Action is mandatory for this action (header x-acs-action).',
        );
      }
      const version = req.headers['x-acs-version'];
      if (version !== API_VERSION) {
        throw new ImmApiError(
          400,
          'InvalidVersion',
          `Specified parameter Version "${String(version)}" is not valid; IMM speaks ${API_VERSION}.`,
        );
      }
      const operation = OPERATIONS[action];
      if (!operation || rawPath !== '/' || (method !== 'POST' && method !== 'GET')) {
        throw new ImmApiError(
          404,
          'InvalidAction.NotFound',
          `Specified api is not found, please check your url and method: ${method} ${rawPath} ${action}`,
        );
      }
      stats.calls[action] = (stats.calls[action] ?? 0) + 1;
      const waitMs = limiterFor(query.ProjectName ?? '').tryAcquire(now());
      if (waitMs > 0) {
        stats.throttled++;
        throw throttled(waitMs);
      }
      if (faults.errorRate > 0 && random() < faults.errorRate) {
        throw random() < 0.5
          ? new ImmApiError(
              500,
              'InternalError',
              'The request processing has failed due to some unknown error.',
            )
          : new ImmApiError(
              503,
              'ServiceUnavailable',
              'The request has failed due to a temporary failure of the server.',
            );
      }
      const answer = operation(query, {
        store,
        indexer,
        requestId,
        newRequestId,
        strictDelete: opts.strictDelete ?? false,
      });
      sendJson(res, 200, answer, requestId);
    } catch (err) {
      const e = asImmError(err);
      if (!res.headersSent) sendError(res, e, requestId, hostId);
      else res.destroy();
    }
  }

  // The PAI emulator's admin routes (qps for rps), and PUT /-/admin/projects/NAME: creates a project without
  // an SDK (for `emulate` users and scripts).
  const adminRoutes: AdminRoute[] = [
    ...commonAdminRoutes({
      faults: () => ({ ...faults }),
      setFaults,
      stats: () => stats,
      resetStats,
      rateName: 'qps',
      rate: () => qps,
      setRate: setQps,
    }),
    {
      method: 'PUT',
      path: 'projects/',
      answer: (_body, name) => {
        checkName('ProjectName', name);
        store.createProject(name);
        return { ProjectName: name };
      },
    },
  ];

  // RPC calls carry every parameter in the URL: 100 files with long keys need more than Node's 16 KB
  // header limit (the real gateway's limit is undocumented; see README).
  const server = createServer({ maxHeaderSize: 128 * 1024 }, (req, res) => {
    const requestId = newRequestId();
    const url = req.url ?? '/';
    if (url.startsWith(ADMIN_PREFIX)) {
      void handleAdmin(req, res, splitUrl(url).rawPath, adminRoutes, requestId);
      return;
    }
    void handleApi(req, res, requestId);
  });
  // SDK agents keep sockets alive; see the PAI emulator for why the server must not drop them first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const port = await listen(server, opts.port ?? 0, host, 'IMM emulator');

  return {
    endpoint: `${host}:${port}`,
    port,
    store,
    get stats() {
      return stats;
    },
    resetStats,
    setFaults,
    setQps,
    idle: () => indexer.idle(),
    async close() {
      indexer.close();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
