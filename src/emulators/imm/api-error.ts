// One error class for every non-2xx answer; the server turns it into IMM's POP error body
// {RequestId, HostId, Code, Message, Recommend}. Codes follow IMM's "Error handling" page (InvalidArgument,
// Missing{Parameter}, LimitExceededError, ResourceNotFound, ResourceAlreadyExists); see README for the
// choices where that page is silent.
export class ImmApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Extra response headers (x-acs-retry-after on throttling). */
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ImmApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function missingParameter(name: string): ImmApiError {
  return new ImmApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
}

export function invalidArgument(message: string): ImmApiError {
  return new ImmApiError(400, 'InvalidArgument', message);
}

export function limitExceeded(name: string, max: number, got: number): ImmApiError {
  return new ImmApiError(
    400,
    'LimitExceededError',
    `input quota exceed the max value: ${name} holds ${got} items, at most ${max} are allowed`,
  );
}

export function resourceNotFound(type: string, name: string): ImmApiError {
  return new ImmApiError(404, 'ResourceNotFound', `The specified resource ${type} "${name}" is not found.`);
}

export function resourceExists(type: string, name: string): ImmApiError {
  return new ImmApiError(
    409,
    'ResourceAlreadyExists',
    `The specified resource ${type} "${name}" already exists.`,
  );
}
