// OSS error answers. One class carries what the XML body and the headers need; a small catalog keeps
// status, message and EC of each code in one table (EC values other than NoSuchKey's documented
// 0026-00000001 are emulator placeholders in the real format: clients must not branch on them).
import { XML_DECLARATION, el } from './xml.ts';

interface ErrorSpec {
  status: number;
  message: string;
  ec: string;
}

const CATALOG = {
  AccessDenied: { status: 403, message: 'AccessDenied', ec: '0003-00000001' },
  SignatureDoesNotMatch: {
    status: 403,
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    ec: '0002-00000040',
  },
  // OSS answers 403 here (ali-oss README's 400 is a typo carried over from S3-era docs): see README.md.
  InvalidAccessKeyId: {
    status: 403,
    message: 'The OSS Access Key Id you provided does not exist in our records.',
    ec: '0002-00000902',
  },
  InvalidSecurityToken: {
    status: 403,
    message: 'The security token you provided is invalid.',
    ec: '0002-00000904',
  },
  RequestTimeTooSkewed: {
    status: 403,
    message: 'The difference between the request time and the current time is too large.',
    ec: '0002-00000504',
  },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist.', ec: '0015-00000101' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.', ec: '0026-00000001' },
  InvalidArgument: { status: 400, message: 'Invalid argument.', ec: '0017-00000001' },
  InvalidDigest: {
    status: 400,
    message: 'The Content-MD5 you specified did not match what we received.',
    ec: '0016-00000009',
  },
  InvalidObjectName: { status: 400, message: 'The specified object name is invalid.', ec: '0016-00000005' },
  MalformedXML: {
    status: 400,
    message: 'The XML you provided was not well-formed or did not validate against our published schema.',
    ec: '0016-00000608',
  },
  InvalidRange: { status: 416, message: 'The requested range cannot be satisfied', ec: '0026-00000004' },
  ObjectNotAppendable: {
    status: 409,
    message: 'The operation is not valid for the object type.',
    ec: '0026-00000011',
  },
  PositionNotEqualToLength: {
    status: 409,
    message: 'Position is not equal to file length',
    ec: '0026-00000016',
  },
  PreconditionFailed: {
    status: 412,
    message: 'At least one of the pre-conditions you specified did not hold.',
    ec: '0026-00000006',
  },
  BucketAlreadyExists: {
    status: 409,
    message:
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    ec: '0015-00000104',
  },
  BucketNotEmpty: {
    status: 409,
    message: 'The bucket you tried to delete is not empty.',
    ec: '0015-00000301',
  },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.', ec: '0015-00000001' },
  NoSuchUpload: {
    status: 404,
    message:
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    ec: '0042-00000002',
  },
  InvalidPart: {
    status: 400,
    message:
      "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
    ec: '0042-00000302',
  },
  InvalidPartOrder: {
    status: 400,
    message:
      'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
    ec: '0042-00000303',
  },
  EntityTooSmall: {
    status: 400,
    message: 'Your proposed upload smaller than the minimum allowed size.',
    ec: '0042-00000304',
  },
  InvalidTag: { status: 400, message: 'The tag provided was not a valid tag.', ec: '0027-00000007' },
  BadRequest: { status: 400, message: 'Bad request.', ec: '0016-00000001' },
  MethodNotAllowed: {
    status: 405,
    message: 'The specified method is not allowed against this resource.',
    ec: '0007-00000001',
  },
  NotImplemented: {
    status: 501,
    message: 'This operation is not implemented by the emulator.',
    ec: '0000-00000501',
  },
  SlowDown: { status: 503, message: 'Please reduce your request rate.', ec: '0000-00000503' },
  InternalError: {
    status: 500,
    message: 'We encountered an internal error. Please try again.',
    ec: '0000-00000500',
  },
} satisfies Record<string, ErrorSpec>;

export type OssErrorCode = keyof typeof CATALOG;

export class OssError extends Error {
  readonly code: OssErrorCode;
  readonly status: number;
  readonly ec: string;
  /** Extra elements of the XML body, in order (e.g. StringToSign, Key). */
  readonly extra: ReadonlyArray<readonly [string, string]>;

  constructor(code: OssErrorCode, message?: string, extra: ReadonlyArray<readonly [string, string]> = []) {
    const spec: ErrorSpec = CATALOG[code];
    super(message ?? spec.message);
    this.name = 'OssError';
    this.code = code;
    this.status = spec.status;
    this.ec = spec.ec;
    this.extra = extra;
  }
}

/** The `<Error>` document exactly as OSS lays it out. */
export function errorXml(err: OssError, requestId: string, hostId: string): string {
  return (
    XML_DECLARATION +
    '<Error>\n' +
    `  ${el('Code', err.code)}\n` +
    `  ${el('Message', err.message)}\n` +
    `  ${el('RequestId', requestId)}\n` +
    `  ${el('HostId', hostId)}\n` +
    err.extra.map(([k, v]) => `  ${el(k, v)}\n`).join('') +
    `  ${el('EC', err.ec)}\n` +
    `  ${el('RecommendDoc', `https://api.aliyun.com/troubleshoot?q=${err.ec}`)}\n` +
    '</Error>\n'
  );
}
