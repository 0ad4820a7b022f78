// classifySdkError decides once what a failed PAI call means (throttled / transient / fatal);
// classifyItemResult does the same for one FailedDetails item's free-text Result.
import { ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import {
  ApiCallError,
  classifyItemResult,
  classifySdkError,
  type ApiErrorKind,
  type ItemOutcome,
} from '../../../src/pai/errors.ts';

describe('classifySdkError with objects shaped like openapi-core errors', () => {
  it.each<[string, unknown, ApiErrorKind, string | undefined, number | undefined]>([
    [
      'ThrottlingError with retry-after',
      {
        name: 'ThrottlingError',
        code: 'Throttling.User',
        retryAfter: 1500,
        statusCode: 400,
        message: 'denied',
      },
      'throttled',
      'Throttling.User',
      1500,
    ],
    [
      'Throttling code without a retry-after',
      { code: 'Throttling.Api', statusCode: 400 },
      'throttled',
      'Throttling.Api',
      undefined,
    ],
    ['Throttling on a 503', { code: 'Throttling', statusCode: 503 }, 'throttled', 'Throttling', undefined],
    ['ThrottlingError by name only', { name: 'ThrottlingError' }, 'throttled', undefined, undefined],
    [
      'a zero retry-after is no retry-after',
      { code: 'Throttling.User', retryAfter: 0 },
      'throttled',
      'Throttling.User',
      undefined,
    ],
    [
      'a negative retry-after is no retry-after',
      { code: 'Throttling.User', retryAfter: -5 },
      'throttled',
      'Throttling.User',
      undefined,
    ],
    [
      '500 InternalError',
      { code: 'InternalError', statusCode: 500 },
      'transient',
      'InternalError',
      undefined,
    ],
    [
      '503 ServiceUnavailable',
      { code: 'ServiceUnavailable', statusCode: 503 },
      'transient',
      'ServiceUnavailable',
      undefined,
    ],
    ['status only in data', { code: 'Oops', data: { statusCode: 502 } }, 'transient', 'Oops', undefined],
    ['ECONNRESET', { code: 'ECONNRESET' }, 'transient', 'ECONNRESET', undefined],
    [
      'ETIMEDOUT',
      { code: 'ETIMEDOUT', message: 'connect ETIMEDOUT 10.0.0.1:443' },
      'transient',
      'ETIMEDOUT',
      undefined,
    ],
    ['undici socket error', { code: 'UND_ERR_SOCKET' }, 'transient', 'UND_ERR_SOCKET', undefined],
    ['a bare "socket hang up"', new Error('socket hang up'), 'transient', undefined, undefined],
    ['a bare read timeout', new Error('ReadTimeout(10000)'), 'transient', undefined, undefined],
    [
      '400 InvalidParameter',
      { code: 'InvalidParameter', statusCode: 400 },
      'fatal',
      'InvalidParameter',
      undefined,
    ],
    ['403 Forbidden.RAM', { code: 'Forbidden.RAM', statusCode: 403 }, 'fatal', 'Forbidden.RAM', undefined],
    [
      '404 dataset not found',
      { code: 'DatasetNotFound', statusCode: 404 },
      'fatal',
      'DatasetNotFound',
      undefined,
    ],
    [
      'a 400 whose message says timeout is still a 400',
      { code: 'InvalidTimeout', statusCode: 400, message: 'timeout must be > 0' },
      'fatal',
      'InvalidTimeout',
      undefined,
    ],
    ['a plain Error', new Error('something odd'), 'fatal', undefined, undefined],
  ])('%s', (_name, err, kind, code, retryAfterMs) => {
    const e = classifySdkError(err, 'CreateDatasetFileMetas');
    expect(e).toBeInstanceOf(ApiCallError);
    expect(e.kind).toBe(kind);
    expect(e.code).toBe(code);
    expect(e.retryAfterMs).toBe(retryAfterMs);
    // The original error is kept for logs.
    expect(e.cause).toBe(err);
  });

  it('classifies the real openapi-core error classes', () => {
    const throttled = new ThrottlingError({
      statusCode: 400,
      code: 'Throttling.User',
      message: 'code: 400, Request was denied due to user flow control. request id: R1',
      retryAfter: 2000,
    });
    const server = new ServerError({
      statusCode: 500,
      code: 'InternalError',
      message: 'code: 500, boom request id: R2',
    });
    const client = new ClientError({
      statusCode: 400,
      code: 'InvalidParameter',
      message: 'code: 400, bad request id: R3',
    });
    expect(classifySdkError(throttled, 'a')).toMatchObject({
      kind: 'throttled',
      code: 'Throttling.User',
      retryAfterMs: 2000,
    });
    expect(classifySdkError(server, 'a')).toMatchObject({ kind: 'transient', code: 'InternalError' });
    expect(classifySdkError(client, 'a')).toMatchObject({ kind: 'fatal', code: 'InvalidParameter' });
  });

  it('prefixes the action and keeps only the first line of the message', () => {
    const e = classifySdkError(
      { code: 'InvalidParameter', statusCode: 400, message: 'bad Uri\n  at stack line\n  more' },
      'UpdateDatasetFileMetas',
    );
    expect(e.message).toBe('UpdateDatasetFileMetas: bad Uri');
    expect(e.name).toBe('ApiCallError');
  });

  it('survives non-error throwables', () => {
    expect(classifySdkError('plain string', 'act')).toMatchObject({
      kind: 'fatal',
      message: 'act: plain string',
    });
    expect(classifySdkError(undefined, 'act').kind).toBe('fatal');
    expect(classifySdkError(null, 'act').kind).toBe('fatal');
  });

  it('does not throw on an error whose code is not a string', () => {
    // Some libraries put numeric codes on errors; classifying must never itself throw.
    const e = classifySdkError({ code: 503, statusCode: 503, message: 'unavailable' }, 'act');
    expect(e.kind).toBe('transient');
  });
});

describe('classifyItemResult', () => {
  it.each<[string | undefined, ItemOutcome]>([
    // What the emulator and the real service answer.
    ['Uri already exists', 'exists'],
    ['The file meta already exists.', 'exists'],
    ['Not Found', 'not-found'],
    ['NotFound', 'not-found'],
    ['not found: DatasetFileMetaId dfm-1', 'not-found'],
    ['InvalidParameter: Uri must start with oss://', 'reject'],
    [
      'QuotaExceeded: edition LOGICAL allows at most 1000 ACTIVE file metadata records per dataset version',
      'reject',
    ],
    ['FileName is required', 'reject'],
    ['FileName too long', 'reject'],
    ['Tags not allowed', 'reject'],
    ['unsupported ContentType', 'reject'],
    ['InternalError: please retry', 'retry'],
    // Unknown texts are retried a bounded number of times, never silently taken as success or rejected.
    ['Something unexpected happened', 'retry'],
    ['', 'retry'],
    ['   ', 'retry'],
    [undefined, 'retry'],
  ])('%j -> %s', (result, outcome) => {
    expect(classifyItemResult(result)).toBe(outcome);
  });

  it('retries an "InternalError:" item even when its text mentions a limit', () => {
    // The emulator's contract (src/emulators/pai/results.ts): a Result starting with "InternalError:" is retryable.
    expect(classifyItemResult('InternalError: backend connection limit reached, please retry')).toBe('retry');
  });
});
