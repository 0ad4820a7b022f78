// One pass over an object's body: MD5 (what a simple-PUT ETag is) and CRC-64 (what OSS reports for
// every upload method), with memory bounded by one chunk: nothing is buffered beyond what the stream
// hands us. Cost: the full object is read once; the caller decides when that is worth paying.
//
// The idle timer exists because ali-oss's `timeout` stops at the response headers for getStream:
// a body that stalls mid-way would otherwise keep the job (and the socket) forever.
import { createHash } from 'node:crypto';
import { Crc64 } from './crc64.ts';

export interface StreamDigest {
  /** Upper-case hex, the form OSS uses in ETags. */
  md5Hex: string;
  /** Unsigned decimal CRC-64/XZ, the form of `x-oss-hash-crc64ecma`; '' when crc64 was turned off. */
  crc64: string;
  bytes: number;
}

export interface DigestStreamOptions {
  /** Longest gap between two chunks (and before the first one) before the stream is given up. */
  idleTimeoutMs: number;
  signal?: AbortSignal;
  /** The size the listing or HEAD announced; a different count means a truncated or changed body. */
  expectedBytes?: number;
  /** Compute CRC-64 as well (default true); turn off when only the MD5 is wanted, it halves the CPU. */
  crc64?: boolean;
}

/** No data for `idleMs`: the connection is stalled. Transient; retrying the read is the remedy. */
export class StreamIdleTimeoutError extends Error {
  override readonly name = 'StreamIdleTimeoutError';
  constructor(
    readonly idleMs: number,
    readonly bytesRead: number,
  ) {
    super(`stream idle for ${idleMs} ms after ${bytesRead} bytes`);
  }
}

/** The body had a different length than announced: truncated, or the object changed under us. Transient. */
export class StreamLengthMismatchError extends Error {
  override readonly name = 'StreamLengthMismatchError';
  constructor(
    readonly expectedBytes: number,
    /** Bytes seen when the mismatch was detected (reading stops as soon as the count is exceeded). */
    readonly actualBytes: number,
  ) {
    super(`stream length mismatch: expected ${expectedBytes} bytes, got ${actualBytes}`);
  }
}

/** The stream closed without 'end' (e.g. the socket was destroyed): the body is incomplete. Transient. */
export class StreamPrematureCloseError extends Error {
  override readonly name = 'StreamPrematureCloseError';
  constructor(readonly bytesRead: number) {
    super(`stream closed before its end after ${bytesRead} bytes`);
  }
}

/** Narrow view of what we need beyond NodeJS.ReadableStream: Readable and IncomingMessage both have it. */
interface Destroyable {
  destroy?: (error?: Error) => void;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('digest aborted', { cause: reason });
  err.name = 'AbortError';
  return err;
}

/**
 * Consumes a readable (e.g. ali-oss getStream().stream), hashing MD5 and CRC-64 in one pass.
 * Destroys the stream and rejects with StreamIdleTimeoutError when no data arrives for idleTimeoutMs;
 * rejects (and destroys) on abort via signal; rejects with StreamLengthMismatchError when expectedBytes
 * differs; rejects with the stream's own error when it emits one. The stream is always consumed or
 * destroyed on return, so an HTTP socket goes back to its pool or is closed.
 */
export function digestStream(
  stream: NodeJS.ReadableStream,
  opts: DigestStreamOptions,
): Promise<StreamDigest> {
  const { idleTimeoutMs, signal, expectedBytes } = opts;
  const md5 = createHash('md5');
  const crc = opts.crc64 === false ? undefined : new Crc64();
  let bytes = 0;

  return new Promise<StreamDigest>((resolve, reject) => {
    let settled = false;

    const onData = (chunk: Uint8Array | string): void => {
      if (settled) return;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      md5.update(buf);
      crc?.update(buf);
      bytes += buf.length;
      // A body longer than announced can never become right: stop reading now rather than at the end.
      if (expectedBytes !== undefined && bytes > expectedBytes) {
        fail(new StreamLengthMismatchError(expectedBytes, bytes));
        return;
      }
      // refresh() re-arms the same timer: cheaper than clear+set for every chunk.
      idleTimer.refresh();
    };

    const onEnd = (): void => {
      if (settled) return;
      if (expectedBytes !== undefined && bytes !== expectedBytes) {
        fail(new StreamLengthMismatchError(expectedBytes, bytes));
        return;
      }
      settle();
      resolve({ md5Hex: md5.digest('hex').toUpperCase(), crc64: crc ? crc.digest() : '', bytes });
    };

    const onError = (err: Error): void => fail(err);
    // 'close' without 'end' first: the producer went away mid-body (no error is emitted in some cases).
    const onClose = (): void => fail(new StreamPrematureCloseError(bytes));
    const onAbort = (): void => fail(abortReason(signal as AbortSignal));

    const idleTimer = setTimeout(() => fail(new StreamIdleTimeoutError(idleTimeoutMs, bytes)), idleTimeoutMs);

    function settle(): void {
      settled = true;
      clearTimeout(idleTimer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    }

    function fail(err: Error): void {
      if (settled) return;
      settle();
      // Destroying may still emit 'error' later (e.g. from the socket); without a listener that would be
      // an uncaught exception, so swallow whatever arrives after we have given up.
      stream.on('error', ignore);
      (stream as Destroyable).destroy?.();
      reject(err);
    }

    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('error', onError);
    stream.on('end', onEnd);
    stream.on('close', onClose);
    // Attaching 'data' switches the stream to flowing mode; hashing is synchronous, so no chunk is kept.
    stream.on('data', onData);
    stream.resume();
  });
}

function ignore(): void {}
