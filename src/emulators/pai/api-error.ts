// One error class for every non-2xx answer. The JSON body ({RequestId, HostId, Code, Message, Recommend})
// is built by the server from it; @alicloud/openapi-core classifies by Code ("Throttling" anywhere in it ->
// ThrottlingError) and then by status (4xx ClientError, 5xx ServerError).
export class PaiApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Extra response headers (x-acs-retry-after on throttling). */
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'PaiApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

// POP's wording of the common parameter errors, so messages read like the real gateway's.
export function missingParameter(name: string): PaiApiError {
  return new PaiApiError(
    400,
    'MissingParameter',
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
}

export function invalidParameter(name: string, why: string): PaiApiError {
  return new PaiApiError(400, 'InvalidParameter', `The parameter "${name}" is invalid: ${why}`);
}
