// startPaiEmulator: the node:http server. Per request, in this order (each step may answer early):
//   admin path (unsigned) -> read body -> latency fault -> ACS3 signature -> route -> x-acs-action check
//   -> count the call -> rate limit (Throttling.User) -> errorRate fault -> the operation
//   -> lostAnswerRate fault (writes only: the operation is applied, then the connection is reset).
// Signature before routing so an unsigned probe learns nothing; throttling after authentication because
// the real limit is per user.
import { listen } from '../../net/listen.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { verifyAcs3 } from './acs3-signature.ts';
import { ADMIN_PREFIX, commonAdminRoutes, handleAdmin, type AdminRoute } from '../admin-routes.ts';
import { PaiApiError } from './api-error.ts';
import { NO_FAULTS, mergeFaults } from './faults.ts';
import { parseJsonBody, parseQuery, readBody, sendError, sendJson, splitUrl } from './http-io.ts';
import { newRequestId } from './ids.ts';
import type { OperationSettings } from './operations/context.ts';
import { Persister, loadStore } from './persistence.ts';
import { createRateLimiter, RATE_WINDOWS, type RateWindow } from './rate-limiter.ts';
import { matchRoute } from './routes.ts';
import { MemoryPaiStore } from './store.ts';
import type { PaiCredential, PaiEmulator, PaiEmulatorOptions, PaiFaults, PaiStats } from './types.ts';

export const DEFAULT_CREDENTIAL: PaiCredential = {
  accessKeyId: 'emulator-ak',
  accessKeySecret: 'emulator-secret',
};

/** Calls the lostAnswerRate fault applies to: the ones that change records. */
const WRITE_ACTIONS = new Set(['CreateDatasetFileMetas', 'UpdateDatasetFileMetas', 'DeleteDatasetFileMetas']);

function checkRps(rps: unknown): number {
  if (typeof rps !== 'number' || !Number.isFinite(rps) || rps < 0) {
    throw new PaiApiError(400, 'InvalidParameter', 'rps must be a number >= 0 (0 = unlimited)');
  }
  return rps;
}

function checkRateWindow(w: unknown): RateWindow {
  if (!RATE_WINDOWS.includes(w as RateWindow)) {
    throw new PaiApiError(400, 'InvalidParameter', `rateWindow must be one of ${RATE_WINDOWS.join(', ')}`);
  }
  return w as RateWindow;
}

function emptyStats(): PaiStats {
  return {
    calls: {},
    throttled: 0,
    failedItems: 0,
    accepted: { created: 0, updated: 0, deleted: 0 },
    lostAnswers: 0,
  };
}

export async function startPaiEmulator(opts: PaiEmulatorOptions = {}): Promise<PaiEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const credentials = new Map((opts.credentials ?? [DEFAULT_CREDENTIAL]).map((c) => [c.accessKeyId, c]));
  const settings: OperationSettings = {
    maxItemsPerCall: opts.maxItemsPerCall ?? 100,
    allowDuplicateUris: opts.allowDuplicateUris ?? false,
    listItemFields: opts.listItemFields ?? 'sdk',
    editionCaps: {
      ADVANCED: opts.editionCaps?.ADVANCED ?? 1_000_000,
      LOGICAL: opts.editionCaps?.LOGICAL ?? 3_000_000,
    },
  };
  const maxClockSkewMs = opts.maxClockSkewMs ?? 15 * 60_000;
  const random = opts.random ?? Math.random;
  let faults: PaiFaults = mergeFaults(NO_FAULTS, opts.faults ?? {});
  let rps = checkRps(opts.rps ?? 0);
  let rateWindow = checkRateWindow(opts.rateWindow ?? 'sliding');
  let limiter = createRateLimiter(rateWindow, rps);
  const stats = emptyStats();

  const store = new MemoryPaiStore();
  let persister: Persister | undefined;
  if (opts.dataFile) {
    await loadStore(opts.dataFile, store);
    const p = new Persister(opts.dataFile, store);
    persister = p;
    store.onChange = () => p.schedule();
  }

  const resetStats = (): void => {
    stats.calls = {};
    stats.throttled = 0;
    stats.failedItems = 0;
    stats.accepted = { created: 0, updated: 0, deleted: 0 };
    stats.lostAnswers = 0;
  };
  const setFaults = (f: Partial<PaiFaults>): void => {
    faults = mergeFaults(faults, f);
  };
  const setRps = (next: number): void => {
    rps = checkRps(next);
    limiter.setRps(rps);
  };
  // A new window starts empty: switching forgets what the old one had admitted.
  const setRateWindow = (next: RateWindow): void => {
    rateWindow = checkRateWindow(next);
    limiter = createRateLimiter(rateWindow, rps);
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const hostId = req.headers.host ?? host;
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
      const match = matchRoute(method, rawPath);
      if (!match) {
        throw new PaiApiError(
          404,
          'InvalidAction.NotFound',
          `Specified api is not found, please check your url and method: ${method} ${rawPath}`,
        );
      }
      const declared = req.headers['x-acs-action'];
      if (declared !== undefined && declared !== match.action) {
        throw new PaiApiError(
          400,
          'InvalidAction.Mismatch',
          `The x-acs-action header "${String(declared)}" does not match ${method} ${rawPath}, which is ${match.action}.`,
        );
      }
      stats.calls[match.action] = (stats.calls[match.action] ?? 0) + 1;
      const waitMs = limiter.tryAcquire(Date.now());
      if (waitMs > 0) {
        stats.throttled++;
        throw new PaiApiError(400, 'Throttling.User', 'Request was denied due to user flow control.', {
          'x-acs-retry-after': String(waitMs),
        });
      }
      if (faults.errorRate > 0 && random() < faults.errorRate) {
        throw random() < 0.5
          ? new PaiApiError(
              500,
              'InternalError',
              'The request processing has failed due to some unknown error.',
            )
          : new PaiApiError(
              503,
              'ServiceUnavailable',
              'The request has failed due to a temporary failure of the server.',
            );
      }
      const answer = match.operation(
        { path: match.path, query, body: parseJsonBody(body) },
        { store, settings, faults, random, stats, requestId },
      );
      if (faults.lostAnswerRate > 0 && WRITE_ACTIONS.has(match.action) && random() < faults.lostAnswerRate) {
        // The write is applied (above); the answer never arrives: the client sees a reset connection.
        stats.lostAnswers++;
        req.socket.resetAndDestroy();
        return;
      }
      sendJson(res, 200, answer, requestId);
    } catch (err) {
      const e =
        err instanceof PaiApiError
          ? err
          : new PaiApiError(
              500,
              'InternalError',
              `The emulator failed: ${err instanceof Error ? err.message : String(err)}`,
            );
      if (!res.headersSent) sendError(res, e, requestId, hostId);
      else res.destroy();
    }
  }

  // GET/PUT /-/admin/faults, GET/DELETE /-/admin/stats, GET/PUT /-/admin/rps (src/emulators/admin-routes.ts),
  // and GET/PUT /-/admin/rate-window.
  const adminRoutes: AdminRoute[] = [
    ...commonAdminRoutes({
      faults: () => ({ ...faults }),
      setFaults,
      stats: () => stats,
      resetStats,
      rateName: 'rps',
      rate: () => rps,
      setRate: setRps,
    }),
    { method: 'GET', path: 'rate-window', answer: () => ({ rateWindow }) },
    {
      method: 'PUT',
      path: 'rate-window',
      answer: (body) => {
        setRateWindow(body.rateWindow as RateWindow);
        return { rateWindow };
      },
    },
  ];

  const server = createServer((req, res) => {
    const requestId = newRequestId();
    const url = req.url ?? '/';
    if (url.startsWith(ADMIN_PREFIX)) {
      void handleAdmin(req, res, splitUrl(url).rawPath, adminRoutes, requestId);
      return;
    }
    void handleApi(req, res, requestId);
  });

  // A request line or headers past Node's limit (a very long QueryExpression in the URL) never reach the
  // handler: Node would answer 431 with an empty body, which the SDK reports as "Unexpected end of JSON
  // input". Answer the service's JSON error shape instead, so the client sees a code and a message.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const requestId = newRequestId();
    const body = JSON.stringify({
      RequestId: requestId,
      HostId: host,
      Code: tooLarge ? 'RequestHeaderFieldsTooLarge' : 'BadRequest',
      Message: tooLarge
        ? 'the request line and headers exceed the size limit (16 KiB): shorten the query string, e.g. the QueryExpression'
        : `malformed HTTP request (${err.code ?? 'parse error'})`,
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        'content-type: application/json;charset=utf-8\r\n' +
        `x-acs-request-id: ${requestId}\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
  });

  // SDK agents keep sockets alive; a server that drops idle sockets first (Node's default is 5 s) makes
  // the next call on such a socket fail with ECONNRESET after any pause longer than that.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const port = await listen(server, opts.port ?? 0, host, 'PAI emulator');

  return {
    endpoint: `${host}:${port}`,
    port,
    store,
    get stats() {
      return stats;
    },
    resetStats,
    setFaults,
    setRps,
    setRateWindow,
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets of SDK agents would hold close() open until they time out.
        server.closeAllConnections();
      });
      await persister?.close();
    },
  };
}
