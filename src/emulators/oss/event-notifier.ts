// Delivers event notifications to `events.url` off the request path, fast enough to keep up with
// uploads: one keep-alive agent, `maxInFlight` lanes delivering concurrently, and MNS-like retries
// (event-retry-policy.ts). Events of one object always take the same lane, so a receiver sees the
// events of a key in the order OSS answered them; events of different keys may interleave (as with
// MNS). A retried event holds its lane only. The queue is bounded: past `maxQueued` waiting events,
// new ones are dropped and counted. No failing receiver can crash or slow the emulator.
import { createHmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type EventDelivery, type OssEventInput, eventBridgeDelivery, mnsDelivery } from './event-payload.ts';
import { type EventRetryPolicy, isDelivered, retryDelayMs } from './event-retry-policy.ts';
import type { OssEventTarget } from './types.ts';

export const SIGNATURE_HEADER = 'x-oss-pai-sync-signature';

export const NOTIFIER_DEFAULTS = {
  maxInFlight: 8,
  retryPolicy: 'backoff' as EventRetryPolicy,
  retryScale: 0.01,
  maxQueued: 100_000,
  timeoutMs: 5_000,
};

/** A FIFO with O(1) push and shift (Array#shift is O(n) on long queues). */
class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(v: T): void {
    this.items.push(v);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    const v = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

interface Lane {
  queue: Fifo<EventDelivery>;
  running: boolean;
}

/** FNV-1a: spreads keys over lanes; stable, so one key always maps to one lane. */
export function laneOf(key: string, lanes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % lanes;
}

export class EventNotifier {
  private readonly lanes: Lane[];
  private readonly agent: HttpAgent;
  private readonly url: URL;
  private readonly opts: typeof NOTIFIER_DEFAULTS;
  private readonly timers = new Set<NodeJS.Timeout>();
  private queued = 0;
  private closed = false;
  private waiters: Array<() => void> = [];
  delivered = 0;
  failed = 0;
  retried = 0;
  dropped = 0;

  constructor(private readonly target: OssEventTarget) {
    this.opts = {
      maxInFlight: target.maxInFlight ?? NOTIFIER_DEFAULTS.maxInFlight,
      retryPolicy: target.retryPolicy ?? NOTIFIER_DEFAULTS.retryPolicy,
      retryScale: target.retryScale ?? NOTIFIER_DEFAULTS.retryScale,
      maxQueued: target.maxQueued ?? NOTIFIER_DEFAULTS.maxQueued,
      timeoutMs: NOTIFIER_DEFAULTS.timeoutMs,
    };
    this.url = new URL(target.url);
    const Agent = this.url.protocol === 'https:' ? HttpsAgent : HttpAgent;
    this.agent = new Agent({ keepAlive: true, maxSockets: this.opts.maxInFlight });
    this.lanes = Array.from({ length: this.opts.maxInFlight }, () => ({ queue: new Fifo(), running: false }));
  }

  /** `index` distinguishes the events of one DeleteObjects request in CloudEvents ids. */
  publish(e: OssEventInput, index?: number): void {
    if (this.closed) return;
    if (this.queued >= this.opts.maxQueued) {
      this.dropped++;
      return;
    }
    const id = index === undefined ? e.requestId : `${e.requestId}-${index}`;
    const d = this.target.format === 'mns' ? mnsDelivery(e) : eventBridgeDelivery(e, id);
    if (this.target.secret) {
      d.headers[SIGNATURE_HEADER] =
        `sha256=${createHmac('sha256', this.target.secret).update(d.body).digest('hex')}`;
    }
    const lane = this.lanes[laneOf(`${e.bucket}/${e.key}`, this.lanes.length)] as Lane;
    lane.queue.push(d);
    this.queued++;
    if (!lane.running) void this.drain(lane);
  }

  /** Events accepted but not yet delivered or given up. */
  get pending(): number {
    return this.queued;
  }

  /** The counters `GET /-/admin/stats` shows under `events`. */
  counts(): { delivered: number; failed: number; retried: number; dropped: number; pending: number } {
    const { delivered, failed, retried, dropped, pending } = this;
    return { delivered, failed, retried, dropped, pending };
  }

  /** Resolves when everything queued so far was delivered or given up (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const lane of this.lanes) lane.queue.clear();
    this.queued = 0;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.agent.destroy();
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }

  private async drain(lane: Lane): Promise<void> {
    lane.running = true;
    while (!this.closed && lane.queue.length > 0) {
      const d = lane.queue.peek() as EventDelivery;
      let ok = false;
      for (let retry = 0; !this.closed; retry++) {
        const wait = retryDelayMs(this.opts.retryPolicy, retry, this.opts.retryScale);
        if (wait === undefined) break;
        if (retry > 0) {
          this.retried++;
          await this.sleep(wait);
          if (this.closed) break;
        }
        ok = await this.post(d);
        if (ok) break;
      }
      if (this.closed) return;
      lane.queue.shift();
      this.queued--;
      if (ok) this.delivered++;
      else this.failed++;
      if (this.queued === 0) this.wake();
    }
    lane.running = false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      t.unref();
      this.timers.add(t);
    });
  }

  private post(d: EventDelivery): Promise<boolean> {
    return new Promise((resolve) => {
      const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        this.url,
        {
          method: 'POST',
          headers: { ...d.headers, 'content-length': String(d.body.length) },
          timeout: this.opts.timeoutMs,
          agent: this.agent,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(isDelivered(res.statusCode ?? 0)));
          res.on('error', () => resolve(false));
        },
      );
      req.on('timeout', () => req.destroy(new Error('event delivery timed out')));
      req.on('error', () => resolve(false));
      req.end(d.body);
    });
  }
}
