// Delivers event notifications to `events.url` off the request path: a serial queue (so a receiver
// sees events in the order OSS answered), a few retries with exponential backoff, and no way for a
// failing receiver to crash or slow the emulator. Undeliverable events are counted, then dropped.
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type EventDelivery, type OssEventInput, eventBridgeDelivery, mnsDelivery } from './event-payload.ts';
import type { OssEventTarget } from './types.ts';

const MAX_ATTEMPTS = 5;
const FIRST_BACKOFF_MS = 100;
const DELIVERY_TIMEOUT_MS = 5_000;

export const SIGNATURE_HEADER = 'x-oss-pai-sync-signature';

export class EventNotifier {
  private readonly queue: EventDelivery[] = [];
  private running = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  delivered = 0;
  failed = 0;

  constructor(private readonly target: OssEventTarget) {}

  /** `index` distinguishes the events of one DeleteObjects request in CloudEvents ids. */
  publish(e: OssEventInput, index?: number): void {
    if (this.closed) return;
    const id = index === undefined ? e.requestId : `${e.requestId}-${index}`;
    const d = this.target.format === 'mns' ? mnsDelivery(e) : eventBridgeDelivery(e, id);
    if (this.target.secret) {
      d.headers[SIGNATURE_HEADER] =
        `sha256=${createHmac('sha256', this.target.secret).update(d.body).digest('hex')}`;
    }
    this.queue.push(d);
    if (!this.running) void this.drain();
  }

  /** Resolves when everything queued so far was delivered or given up (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = false;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (!this.closed && this.queue.length > 0) {
      const d = this.queue[0] as EventDelivery;
      let ok = false;
      for (let attempt = 0; attempt < MAX_ATTEMPTS && !this.closed; attempt++) {
        if (attempt > 0) await this.sleep(FIRST_BACKOFF_MS * 3 ** (attempt - 1));
        ok = await this.post(d).catch(() => false);
        if (ok) break;
      }
      if (this.closed) return;
      this.queue.shift();
      if (ok) this.delivered++;
      else this.failed++;
    }
    this.running = false;
    this.wake();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timer = setTimeout(resolve, ms);
      this.timer.unref();
    });
  }

  private post(d: EventDelivery): Promise<boolean> {
    return new Promise((resolve) => {
      const url = new URL(this.target.url);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: 'POST',
          headers: { ...d.headers, 'content-length': String(d.body.length) },
          timeout: DELIVERY_TIMEOUT_MS,
          agent: false,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
          res.on('error', () => resolve(false));
        },
      );
      req.on('timeout', () => req.destroy(new Error('event delivery timed out')));
      req.on('error', () => resolve(false));
      req.end(d.body);
    });
  }
}
