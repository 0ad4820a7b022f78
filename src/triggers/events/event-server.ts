// The HTTP receiver. Order of checks per delivery (each exit enqueues nothing):
//   method/path (404/405) -> size (413) -> signature over raw bytes (401) -> parse (400)
//   -> drop ignored names and uncovered buckets/keys -> sink.accept (503 if it fails) -> 204.
// The 2xx is sent only after sink.accept resolved: MNS and EventBridge redeliver on anything else, so a
// crash between receipt and queueing loses nothing. MNS wants exactly 204 (its documented success code).

import { listen } from '../../net/listen.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { EventParseError, type ObjectEvent } from './object-event.ts';
import { parseDeliveryDetailed } from './parse-delivery.ts';
import { invalidKeyReason } from './key-check.ts';
import { ClientGoneError, readBody } from './read-body.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, checkTimestamped, verifySignature } from './signature.ts';

export interface EventSink {
  /** Called with the events of one delivery that some binding covers; must resolve only once they are durably queued. */
  accept(events: ObjectEvent[]): Promise<void>;
  /** True when some binding covers this bucket/key (others are acknowledged and ignored). */
  covers(bucket: string, key: string): boolean;
}

export interface EventLogger {
  debug?(o: object, m?: string): void;
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export interface EventServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port; read it back from EventServer.port). */
  port?: number;
  /** Shared HMAC secret; required unless allowUnauthenticated. */
  secret: string | undefined;
  /** Default false: auth is on by default. With a secret set, the signature is checked regardless. */
  allowUnauthenticated?: boolean;
  /**
   * Replay protection, off by default: when set, every delivery must carry x-oss-pai-sync-timestamp (unix
   * seconds) within this many seconds of now, and the signature covers `<timestamp>.<body>`.
   */
  replayWindowS?: number;
  /** The clock for replayWindowS (tests). */
  now?: () => number;
  /** Default 1 MiB; larger bodies get 413. */
  maxBodyBytes?: number;
  sink: EventSink;
  logger?: EventLogger;
  /** GET /metrics (Prometheus) and the count of received events; none when absent. */
  metrics?: {
    render(): Promise<{ contentType: string; body: string }>;
    eventsReceived(result: string, n: number): void;
  };
  /** For GET /healthz; without it /healthz answers 200 while the server is up. */
  health?: () => Promise<{ ok: boolean; detail?: Record<string, unknown> }>;
}

export interface EventServerStats {
  /** Deliveries (POSTs to an event path) received. */
  received: number;
  /** Events handed to the sink and acknowledged by it. */
  accepted: number;
  /** Events acknowledged but not handed over: irrelevant event names, or no binding covers bucket/key. */
  ignored: number;
  /** Deliveries answered with an error (401, 400, 413, 503): nothing of them was queued. */
  rejected: number;
  /** Events refused on their own (a key OSS cannot hold); the rest of their delivery went on. */
  refused: number;
}

export interface EventServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  readonly stats: EventServerStats;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** POST targets. '/' and '/notifications' because MNS posts to the endpoint's own path, or to /notifications when it has none. */
export const EVENT_PATHS: readonly string[] = ['/events', '/', '/notifications'];
const HEALTH_PATH = '/healthz';

function sendJson(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function startEventServer(opts: EventServerOptions): Promise<EventServer> {
  const secret = opts.secret === '' ? undefined : opts.secret;
  if (secret === undefined && !opts.allowUnauthenticated) {
    throw new Error(
      'event receiver: a shared secret is required (or set allowUnauthenticated to run without one, ' +
        'only behind a network boundary you trust)',
    );
  }
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new Error(`event receiver: maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  }
  const { sink, logger, health, metrics } = opts;
  const stats: EventServerStats = { received: 0, accepted: 0, ignored: 0, rejected: 0, refused: 0 };
  const replayWindowS = opts.replayWindowS;
  if (replayWindowS !== undefined && secret === undefined) {
    throw new Error('event receiver: replay protection needs a shared secret (the timestamp is signed)');
  }
  const now = opts.now ?? Date.now;

  async function handleHealth(res: ServerResponse): Promise<void> {
    if (!health) return sendJson(res, 200, { ok: true, stats });
    try {
      const h = await health();
      sendJson(res, h.ok ? 200 : 503, { ...h.detail, ok: h.ok, stats });
    } catch (err) {
      sendJson(res, 503, { ok: false, error: (err as Error).message, stats });
    }
  }

  async function handleDelivery(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    stats.received++;
    const started = Date.now();
    // One log line per delivery: `done` is called exactly once on every exit below.
    const done = (status: number, level: 'info' | 'warn' | 'error', fields: object, msg: string): void => {
      if (status >= 400) stats.rejected++;
      logger?.[level]({ event: 'events.delivery', path, status, ms: Date.now() - started, ...fields }, msg);
    };
    const reject = (
      status: number,
      error: string,
      message: string,
      level: 'warn' | 'error' = 'warn',
    ): void => {
      sendJson(res, status, { error, message }, status === 503 ? { 'retry-after': '5' } : {});
      metrics?.eventsReceived(error, 1);
      done(status, level, { error, reason: message }, 'event delivery rejected');
    };

    const declared = Number(firstHeader(req.headers['content-length']));
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      // Keep the connection usable for the client to read the answer; node discards the unread body.
      req.resume();
      return reject(413, 'payload_too_large', `body exceeds the limit of ${maxBodyBytes} bytes`);
    }
    const read = await readBody(req, maxBodyBytes);
    if (read.tooLarge)
      return reject(413, 'payload_too_large', `body exceeds the limit of ${maxBodyBytes} bytes`);
    const body = read.body;

    if (secret !== undefined && replayWindowS !== undefined) {
      const sig = firstHeader(req.headers[SIGNATURE_HEADER]);
      const problem = checkTimestamped(
        secret,
        body,
        firstHeader(req.headers[TIMESTAMP_HEADER]),
        sig,
        replayWindowS,
        now(),
      );
      if (problem) return reject(401, 'unauthorized', problem);
    } else if (secret !== undefined) {
      const sig = firstHeader(req.headers[SIGNATURE_HEADER]);
      if (!verifySignature(secret, body, sig)) {
        // Never echo the received signature or anything derived from the secret.
        return reject(
          401,
          'unauthorized',
          `${sig === undefined ? 'missing' : 'invalid'} ${SIGNATURE_HEADER} header: expected ` +
            `"sha256=<hex HMAC-SHA256 of the raw request body, keyed with the shared secret>"`,
        );
      }
    }

    let parsed;
    try {
      parsed = parseDeliveryDetailed(body, req.headers);
    } catch (err) {
      if (err instanceof EventParseError) return reject(400, 'bad_request', err.message);
      throw err;
    }

    // Keys OSS cannot hold: refused one by one, logged, never queued.
    const valid: ObjectEvent[] = [];
    let refused = 0;
    for (const e of parsed.events) {
      const why = invalidKeyReason(e.key);
      if (why === undefined) valid.push(e);
      else {
        refused++;
        logger?.warn(
          { event: 'events.refused', bucket: e.bucket, key: e.key.slice(0, 200), reason: why },
          'event refused',
        );
      }
    }

    let covered: ObjectEvent[];
    try {
      covered = valid.filter((e) => sink.covers(e.bucket, e.key));
    } catch (err) {
      return reject(
        503,
        'unavailable',
        `could not match events to bindings: ${(err as Error).message}`,
        'error',
      );
    }
    const ignored = parsed.ignored + valid.length - covered.length;

    if (covered.length > 0) {
      try {
        await sink.accept(covered);
      } catch (err) {
        return reject(
          503,
          'unavailable',
          `events could not be queued, retry later: ${(err as Error).message}`,
          'error',
        );
      }
    }
    stats.accepted += covered.length;
    stats.ignored += ignored;
    stats.refused += refused;
    metrics?.eventsReceived('accepted', covered.length);
    metrics?.eventsReceived('ignored', ignored);
    if (refused > 0) metrics?.eventsReceived('refused', refused);
    res.writeHead(204, {
      'x-oss-pai-sync-accepted': String(covered.length),
      'x-oss-pai-sync-ignored': String(ignored),
      'x-oss-pai-sync-refused': String(refused),
    });
    res.end();
    done(
      204,
      'info',
      { format: parsed.format, accepted: covered.length, ignored, refused },
      'event delivery handled',
    );
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    if (path === HEALTH_PATH) {
      if (req.method === 'GET' || req.method === 'HEAD') return handleHealth(res);
      req.resume();
      return sendJson(res, 405, { error: 'method_not_allowed', message: 'use GET' }, { allow: 'GET, HEAD' });
    }
    if (path === '/metrics' && metrics && (req.method === 'GET' || req.method === 'HEAD')) {
      const m = await metrics.render();
      res.writeHead(200, { 'content-type': m.contentType });
      return void res.end(m.body);
    }
    if (EVENT_PATHS.includes(path)) {
      if (req.method === 'POST') return handleDelivery(req, res, path);
      req.resume();
      return sendJson(res, 405, { error: 'method_not_allowed', message: 'use POST' }, { allow: 'POST' });
    }
    req.resume();
    sendJson(res, 404, {
      error: 'not_found',
      message: `no such path; POST events to ${EVENT_PATHS.join(' or ')}, GET ${HEALTH_PATH}`,
    });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (err instanceof ClientGoneError) {
        // Not our failure, and nothing was queued: worth a debug line, not an internal-error alarm.
        logger?.debug?.({ event: 'events.client_gone', path: req.url }, err.message);
        res.destroy();
        return;
      }
      logger?.error({ event: 'events.internal_error', err: (err as Error).message }, 'event receiver failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'internal error' });
      else res.destroy();
    });
  });

  const host = opts.host ?? '127.0.0.1';
  const port = await listen(server, opts.port ?? 0, host, 'event receiver');
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger?.info(
    { event: 'events.listening', url, authenticated: secret !== undefined, maxBodyBytes },
    'event receiver listening',
  );

  return {
    url,
    port,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Idle keep-alive sockets would otherwise hold close() open until their timeout.
        server.closeIdleConnections();
      }),
  };
}
