// The event receiver over real HTTP (node:http server on 127.0.0.1:0, fetch/node:http clients). The sink is
// a small recording object at the EventSink seam: what reaches it is exactly what would be queued.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signBody,
  signTimestamped,
  startEventServer,
  type EventLogger,
  type EventServer,
  type EventServerOptions,
  type EventSink,
  type ObjectEvent,
} from '../../../src/triggers/events/index.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { base64, cloudEvent, mnsXml, ossJson, ossRecord } from '../../unit/triggers/events/fixtures.ts';

const SECRET = 'integration-secret-value';

interface RecordingSink extends EventSink {
  calls: ObjectEvent[][];
  /** Next accept() result; default resolves at once. */
  next: () => Promise<void>;
  /** Resolves when accept() is first called. */
  called: Promise<void>;
}

function recordingSink(coveredBuckets = ['testbucket']): RecordingSink {
  let markCalled!: () => void;
  const sink: RecordingSink = {
    calls: [],
    next: () => Promise.resolve(),
    called: new Promise<void>((r) => (markCalled = r)),
    covers: (bucket) => coveredBuckets.includes(bucket),
    accept(events) {
      sink.calls.push(events);
      markCalled();
      return sink.next();
    },
  };
  return sink;
}

interface LogLine {
  level: string;
  obj: object;
  msg: string | undefined;
}
function recordingLogger(): EventLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const servers: EventServer[] = [];
afterEach(async () => {
  // Every test's server must close: a leaked socket would keep close() pending and fail the hook.
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(opts: Partial<EventServerOptions> & { sink: EventSink }): Promise<EventServer> {
  const s = await startEventServer({ secret: SECRET, ...opts });
  servers.push(s);
  return s;
}

function post(s: EventServer, body: string | Buffer, headers: Record<string, string> = {}, path = '/events') {
  return fetch(s.url + path, { method: 'POST', body, headers });
}

function signedPost(s: EventServer, body: string, headers: Record<string, string> = {}, path = '/events') {
  return post(
    s,
    body,
    { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(SECRET, body), ...headers },
    path,
  );
}

describe('startEventServer configuration', () => {
  it('refuses to start without a secret unless allowUnauthenticated', async () => {
    await expect(startEventServer({ secret: undefined, sink: recordingSink() })).rejects.toThrow(
      /secret is required/,
    );
    await expect(startEventServer({ secret: '', sink: recordingSink() })).rejects.toThrow(
      /secret is required/,
    );
  });

  it('listens on 127.0.0.1 and an ephemeral port by default', async () => {
    const s = await start({ sink: recordingSink() });
    expect(s.port).toBeGreaterThan(0);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
  });
});

describe('authentication', () => {
  const body = ossJson(ossRecord());

  it('401 without the signature header, saying what is expected; nothing reaches the sink', async () => {
    const sink = recordingSink();
    const s = await start({ sink });
    const res = await post(s, body, { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    const json = (await res.json()) as { error: string; message: string };
    expect(json.error).toBe('unauthorized');
    expect(json.message).toMatch(/missing x-oss-pai-sync-signature header/);
    expect(json.message).toMatch(/sha256=<hex HMAC-SHA256/);
    expect(sink.calls).toHaveLength(0);
    expect(s.stats).toMatchObject({ received: 1, rejected: 1, accepted: 0 });
  });

  it('401 for a signature by another secret, or a bearer token carrying the secret', async () => {
    const sink = recordingSink();
    const s = await start({ sink });
    const wrong = await post(s, body, { [SIGNATURE_HEADER]: signBody('not-the-secret', body) });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/^invalid /);
    const bearer = await post(s, body, { authorization: `Bearer ${SECRET}` });
    expect(bearer.status).toBe(401);
    await bearer.body?.cancel();
    expect(sink.calls).toHaveLength(0);
  });

  it('the signature covers the raw bytes: a re-serialised body fails', async () => {
    const sink = recordingSink();
    const s = await start({ sink });
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    const res = await post(s, pretty, { [SIGNATURE_HEADER]: signBody(SECRET, body) });
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it('allowUnauthenticated without a secret accepts unsigned deliveries', async () => {
    const sink = recordingSink();
    const s = await start({ sink, secret: undefined, allowUnauthenticated: true });
    const res = await post(s, body);
    expect(res.status).toBe(204);
    expect(sink.calls).toHaveLength(1);
  });
});

describe('rejections enqueue nothing', () => {
  it('400 with the parse problem for malformed bodies', async () => {
    const sink = recordingSink();
    const s = await start({ sink });
    const broken =
      '{"events":[{"eventName":"ObjectCreated:PutObject","eventTime":"2022-08-13T06:45:43.000Z","oss":{"bucket":{"name":"testbucket"},"object":{}}}]}';
    const res = await signedPost(s, broken);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'bad_request',
      message: 'events[0].oss.object.key is missing or not a non-empty string',
    });
    const notJson = await signedPost(s, '{nope');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toMatch(/not valid JSON/);
    expect(sink.calls).toHaveLength(0);
    expect(s.stats).toMatchObject({ received: 2, rejected: 2, refused: 0 });
  });

  it('413 when Content-Length exceeds maxBodyBytes', async () => {
    const sink = recordingSink();
    const s = await start({ sink, maxBodyBytes: 1024 });
    const big = ossJson(ossRecord({ key: 'k'.repeat(2000) }));
    const res = await signedPost(s, big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/limit of 1024 bytes/);
    expect(sink.calls).toHaveLength(0);
  });

  it('413 for a chunked body (no Content-Length) that grows past the limit', async () => {
    const sink = recordingSink();
    const s = await start({ sink, maxBodyBytes: 1024 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        s.url + '/events',
        { method: 'POST', headers: { 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write('x'.repeat(512));
      req.end();
    });
    expect(status).toBe(413);
    expect(sink.calls).toHaveLength(0);
  });

  it('a body exactly at the limit is read (and judged on its content)', async () => {
    const sink = recordingSink();
    const body = ossJson(ossRecord());
    const s = await start({ sink, maxBodyBytes: Buffer.byteLength(body) });
    const res = await signedPost(s, body);
    expect(res.status).toBe(204);
  });

  it('404 for unknown paths and 405 for wrong methods', async () => {
    const s = await start({ sink: recordingSink() });
    const nf = await fetch(s.url + '/nope', { method: 'POST', body: '{}' });
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { message: string }).message).toMatch(/POST events to \/events/);
    const get = await fetch(s.url + '/events');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    await get.body?.cancel();
    const postHealth = await fetch(s.url + '/healthz', { method: 'POST', body: '' });
    expect(postHealth.status).toBe(405);
    await postHealth.body?.cancel();
  });
});

describe('acknowledged without queueing', () => {
  it('events for uncovered buckets and ignored names -> 204, sink not called', async () => {
    const sink = recordingSink(['testbucket']);
    const s = await start({ sink });
    const body = ossJson(
      ossRecord({ bucket: 'someone-elses' }),
      ossRecord({ eventName: 'ObjectCreated:UploadPart' }),
      ossRecord({ eventName: 'ObjectDownloaded:GetObject' }),
    );
    const res = await signedPost(s, body);
    expect(res.status).toBe(204);
    expect(res.headers.get('x-oss-pai-sync-ignored')).toBe('3');
    expect(res.headers.get('x-oss-pai-sync-accepted')).toBe('0');
    expect(sink.calls).toHaveLength(0);
    expect(s.stats).toEqual({ received: 1, accepted: 0, ignored: 3, rejected: 0, refused: 0 });
  });
});

describe('accepted deliveries', () => {
  it('answers only after sink.accept resolved, with exactly the covered events', async () => {
    const sink = recordingSink(['testbucket']);
    let release!: () => void;
    sink.next = () => new Promise<void>((r) => (release = r));
    const s = await start({ sink });
    const key = 'uploads/数据 a+b%20#?.png';
    const body = ossJson(
      ossRecord({ key }),
      ossRecord({ bucket: 'uncovered', key: 'x' }),
      ossRecord({ key: 'gone.txt', eventName: 'ObjectRemoved:DeleteObject' }),
    );
    let settled = false;
    const pending = signedPost(s, body).then((r) => {
      settled = true;
      return r;
    });
    await sink.called;
    // accept() is running and unresolved: the receiver must still be holding the answer. Give the
    // client every chance to see a premature answer before checking.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    expect(s.stats.accepted).toBe(0);

    release();
    const res = await pending;
    expect(res.status).toBe(204);
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]).toEqual([
      expect.objectContaining({
        bucket: 'testbucket',
        key,
        kind: 'created',
        eventName: 'ObjectCreated:PutObject',
      }),
      expect.objectContaining({ bucket: 'testbucket', key: 'gone.txt', kind: 'removed' }),
    ]);
    expect(s.stats).toEqual({ received: 1, accepted: 2, ignored: 1, rejected: 0, refused: 0 });
  });

  it('503 when the sink rejects, so MNS/EventBridge redeliver', async () => {
    const sink = recordingSink();
    sink.next = () => Promise.reject(new Error('redis down'));
    const s = await start({ sink });
    const res = await signedPost(s, ossJson(ossRecord()));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const json = (await res.json()) as { error: string; message: string };
    expect(json.error).toBe('unavailable');
    expect(json.message).toMatch(/redis down/);
    expect(s.stats).toMatchObject({ received: 1, accepted: 0, rejected: 1, refused: 0 });
  });

  it('MNS XML (base64 message) on /notifications and a CloudEvents batch on /', async () => {
    const sink = recordingSink();
    const s = await start({ sink });
    const xml = mnsXml(base64(ossJson(ossRecord({ key: 'via/mns.txt' }))));
    const r1 = await post(
      s,
      xml,
      { 'content-type': 'text/xml;charset=utf-8', [SIGNATURE_HEADER]: signBody(SECRET, xml) },
      '/notifications',
    );
    expect(r1.status).toBe(204);
    const batch = JSON.stringify([
      cloudEvent(ossRecord({ key: 'via/eb-1' })),
      cloudEvent(ossRecord({ key: 'via/eb-2' })),
    ]);
    const r2 = await signedPost(s, batch, { 'content-type': 'application/cloudevents-batch+json' }, '/');
    expect(r2.status).toBe(204);
    expect(sink.calls.map((c) => c.map((e) => e.key))).toEqual([['via/mns.txt'], ['via/eb-1', 'via/eb-2']]);
  });
});

describe('/healthz', () => {
  it('200 without a health function', async () => {
    const s = await start({ sink: recordingSink() });
    const res = await fetch(s.url + '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, stats: { received: 0 } });
  });

  it('200 or 503 following health(), with its detail; 503 when health() throws', async () => {
    let state: { ok: boolean; detail?: Record<string, unknown> } | Error = {
      ok: true,
      detail: { redis: 'up' },
    };
    const s = await start({
      sink: recordingSink(),
      health: () => (state instanceof Error ? Promise.reject(state) : Promise.resolve(state)),
    });
    const up = await fetch(s.url + '/healthz');
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ ok: true, redis: 'up' });

    state = { ok: false, detail: { redis: 'down' } };
    const down = await fetch(s.url + '/healthz');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, redis: 'down' });

    state = new Error('probe failed');
    const broken = await fetch(s.url + '/healthz');
    expect(broken.status).toBe(503);
    expect(await broken.json()).toMatchObject({ ok: false, error: 'probe failed' });
  });
});

describe('logging', () => {
  it('one line per delivery, never the secret or the signature', async () => {
    const logger = recordingLogger();
    const sink = recordingSink();
    const s = await start({ sink, logger });
    const body = ossJson(ossRecord());
    const sig = signBody(SECRET, body);
    expect((await post(s, body, { [SIGNATURE_HEADER]: sig })).status).toBe(204);
    const bad = await post(s, body, { [SIGNATURE_HEADER]: signBody('x', body) });
    expect(bad.status).toBe(401);
    await bad.body?.cancel();

    const deliveries = logger.lines.filter((l) => (l.obj as { event?: string }).event === 'events.delivery');
    expect(deliveries.map((l) => [l.level, (l.obj as { status: number }).status])).toEqual([
      ['info', 204],
      ['warn', 401],
    ]);
    expect(deliveries[0]?.obj).toMatchObject({ accepted: 1, ignored: 0, format: 'oss-events' });
    const all = JSON.stringify(logger.lines);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(sig.slice(7));
  });
});

describe('keys OSS cannot hold', () => {
  it('an event whose key has a NUL or is over 1,023 bytes is refused on its own; the others go on', async () => {
    const sink = recordingSink();
    const logger = recordingLogger();
    const s = await start({ sink, logger });
    const body = ossJson(
      ossRecord({ key: 'ok/a.txt' }),
      ossRecord({ key: 'bad/nul\u0000.txt' }),
      ossRecord({ key: `long/${'é'.repeat(510)}` }), // 5 + 1,020 bytes
      ossRecord({ key: `edge/${'x'.repeat(1018)}` }), // exactly 1,023 bytes: fine
    );
    const res = await signedPost(s, body);
    expect(res.status).toBe(204);
    expect(res.headers.get('x-oss-pai-sync-refused')).toBe('2');
    expect(sink.calls.flat().map((e) => e.key)).toEqual(['ok/a.txt', `edge/${'x'.repeat(1018)}`]);
    expect(s.stats).toMatchObject({ accepted: 2, refused: 2, rejected: 0 });
    const refusals = logger.lines.filter((l) => (l.obj as { event?: string }).event === 'events.refused');
    expect(refusals.map((l) => (l.obj as { reason: string }).reason)).toEqual([
      'object key contains a NUL character',
      'object key is 1025 bytes (OSS allows at most 1023)',
    ]);
  });
});

describe('a client that disconnects mid-body', () => {
  it('is logged at debug, not as an internal error, and nothing is queued', async () => {
    const sink = recordingSink();
    const logger = recordingLogger();
    const s = await start({ sink, logger });
    await new Promise<void>((resolve) => {
      const req = request(s.url + '/events', {
        method: 'POST',
        headers: { 'content-length': '1000', [SIGNATURE_HEADER]: signBody(SECRET, 'x') },
      });
      req.on('error', () => resolve());
      req.write('{"events": [', () => setImmediate(() => req.destroy()));
      req.on('close', () => resolve());
    });
    const gone = () => logger.lines.find((l) => (l.obj as { event?: string }).event === 'events.client_gone');
    expect((await waitFor(gone, { what: 'the client_gone log line' })).level).toBe('debug');
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(sink.calls).toHaveLength(0);
  });
});

describe('replay protection (replayWindowS)', () => {
  const NOW = 1_800_000_000_000;
  const body = ossJson(ossRecord({ key: 'r/a.txt' }));
  const at = (ts: number, signedTs = ts) => ({
    'content-type': 'application/json',
    [TIMESTAMP_HEADER]: String(ts),
    [SIGNATURE_HEADER]: signTimestamped(SECRET, String(signedTs), body),
  });

  it('accepts a delivery signed with a timestamp inside the window', async () => {
    const sink = recordingSink();
    const s = await start({ sink, replayWindowS: 300, now: () => NOW });
    expect((await post(s, body, at(NOW / 1000 - 299))).status).toBe(204);
    expect((await post(s, body, at(NOW / 1000 + 299))).status).toBe(204);
    expect(sink.calls).toHaveLength(2);
  });

  it.each([
    ['outside the window', at(NOW / 1000 - 301), /is 301 s away from now \(window 300 s\)/],
    [
      'without the timestamp',
      { [SIGNATURE_HEADER]: signBody(SECRET, body) },
      /missing x-oss-pai-sync-timestamp/,
    ],
    [
      'with a timestamp the signature does not cover',
      at(NOW / 1000, NOW / 1000 - 5),
      /invalid x-oss-pai-sync-signature/,
    ],
    [
      'signed over the body only',
      { [TIMESTAMP_HEADER]: String(NOW / 1000), [SIGNATURE_HEADER]: signBody(SECRET, body) },
      /invalid x-oss-pai-sync-signature/,
    ],
    [
      'with a timestamp that is not unix seconds',
      { ...at(NOW / 1000), [TIMESTAMP_HEADER]: '2027-01-01T00:00:00Z' },
      /must be whole unix seconds/,
    ],
  ])('401 %s; nothing reaches the sink', async (_name, headers, message) => {
    const sink = recordingSink();
    const s = await start({ sink, replayWindowS: 300, now: () => NOW });
    const res = await post(s, body, headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
    expect(sink.calls).toHaveLength(0);
  });

  it('needs a secret', async () => {
    await expect(
      startEventServer({
        secret: undefined,
        allowUnauthenticated: true,
        replayWindowS: 60,
        sink: recordingSink(),
      }),
    ).rejects.toThrow(/replay protection needs a shared secret/);
  });
});
