// Every failure of a PAI call is classified once, here, into what the caller should do with it.

export type ApiErrorKind =
  /** Slow down: the gateway said Throttling*. retryAfterMs from x-acs-retry-after when given. */
  | 'throttled'
  /** 5xx, timeouts, resets: retry the same call later. */
  | 'transient'
  /** Anything else (4xx): retrying the same request cannot help; fix config or data. */
  | 'fatal';

export class ApiCallError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly code: string | undefined,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiCallError';
  }
}

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

interface SdkErrorLike {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  retryAfter?: number;
  data?: { statusCode?: number };
}

export function classifySdkError(err: unknown, action: string): ApiCallError {
  const e = (err ?? {}) as SdkErrorLike;
  const code = typeof e.code === 'string' ? e.code : e.code === undefined ? undefined : String(e.code);
  const status = e.statusCode ?? e.data?.statusCode;
  const msg = `${action}: ${(e.message ?? String(err)).split('\n')[0]}`;
  if ((code && code.includes('Throttling')) || e.name === 'ThrottlingError') {
    const retry = typeof e.retryAfter === 'number' && e.retryAfter > 0 ? e.retryAfter : undefined;
    return new ApiCallError('throttled', msg, code, retry, { cause: err });
  }
  if (status !== undefined && status >= 500)
    return new ApiCallError('transient', msg, code, undefined, { cause: err });
  if (code && TRANSIENT_NETWORK_CODES.has(code))
    return new ApiCallError('transient', msg, code, undefined, { cause: err });
  if (status === undefined && /timeout|socket hang up|ECONNRESET|network/i.test(e.message ?? '')) {
    return new ApiCallError('transient', msg, code, undefined, { cause: err });
  }
  return new ApiCallError('fatal', msg, code, undefined, { cause: err });
}

/** What to do with one item that came back in FailedDetails. */
export type ItemOutcome = 'retry' | 'exists' | 'not-found' | 'reject';

/**
 * Result is free text (undocumented). The emulator's texts and the real service's known ones are matched here;
 * anything unknown is treated as retryable a bounded number of times, then dead-lettered with its text, so an
 * unfamiliar transient error is not lost and an unfamiliar permanent one does not loop forever.
 */
export function classifyItemResult(result: string | undefined): ItemOutcome {
  const r = (result ?? '').trim();
  if (/already exists/i.test(r)) return 'exists';
  if (/^not ?found/i.test(r)) return 'not-found';
  // Texts that say "try again" win over any word below (e.g. "InternalError: connection limit, please retry").
  if (/^(InternalError|Throttling|ServiceUnavailable|Timeout)\b|\b(retry|try again|temporar)/i.test(r))
    return 'retry';
  if (/^(InvalidParameter|MissingParameter|QuotaExceeded|Forbidden)\b/i.test(r)) return 'reject';
  if (/\b(required|invalid\w*|must be|exceed\w*|quota\w*|cap|not allowed|unsupported|too long)\b/i.test(r))
    return 'reject';
  return 'retry';
}
