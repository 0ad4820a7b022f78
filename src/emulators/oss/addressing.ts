// Which bucket and key a request addresses. Rule (documented in README.md, "Addressing"):
//  - Host is an IP literal, `localhost`, a single label without a dot (a container name such as
//    `emulators`: a bucket subdomain always has a dot) or the configured host: path style `/<bucket>/<key>`.
//  - any other Host: virtual-host style, bucket = first DNS label of Host, key = the whole path.
// ali-oss with an IP endpoint rewrites Host to `<bucket>.oss-<region>.aliyuncs.com`, so it lands in
// the second case. If it is also told `sldEnable: true` it sends Host AND a `/<bucket>/` path: for
// that combination a second reading (path style) is offered, and authentication picks the reading
// whose signature matches (the key `<bucket>/...` and the key `...` cannot both verify).
import { isIP } from 'node:net';
import { OssError } from './errors.ts';

const REGIONAL_ENDPOINT = /^oss-[a-z0-9-]+\.aliyuncs\.com$/;

export interface Address {
  bucket: string | undefined;
  /** '' for bucket-level requests. */
  key: string;
}

export function hostName(hostHeader: string | undefined): string {
  const host = (hostHeader ?? '').trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') > 0 ? host.indexOf(']') : undefined);
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

/** True when the Host carries no bucket label: path style, and the admin endpoint is answered. */
export function isServiceHost(name: string, configuredHost: string): boolean {
  return (
    name === '' ||
    isIP(name) !== 0 ||
    name === 'localhost' ||
    !name.includes('.') ||
    name === configuredHost.toLowerCase()
  );
}

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new OssError('InvalidObjectName', 'The object name is not a valid percent-encoded UTF-8 string.');
  }
}

/** Readings of the request in order of preference (at least one). */
export function resolveAddress(
  hostHeader: string | undefined,
  rawPath: string,
  configuredHost: string,
): Address[] {
  const name = hostName(hostHeader);
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const pathStyle = (): Address => {
    const slash = path.indexOf('/');
    if (path === '') return { bucket: undefined, key: '' };
    if (slash < 0) return { bucket: decodeKey(path), key: '' };
    return { bucket: decodeKey(path.slice(0, slash)), key: decodeKey(path.slice(slash + 1)) };
  };
  if (isServiceHost(name, configuredHost)) return [pathStyle()];
  const bucket = name.split('.')[0] ?? '';
  // A service request (ListBuckets): a regional endpoint without a bucket label, or ali-oss with an
  // IP endpoint, which writes `${bucket}.oss-<region>.aliyuncs.com` with an empty bucket.
  if (bucket === '' || REGIONAL_ENDPOINT.test(name)) return [{ bucket: undefined, key: decodeKey(path) }];
  const vhost: Address = { bucket, key: decodeKey(path) };
  const alt = pathStyle();
  return alt.bucket === bucket && path.startsWith(`${bucket}/`) ? [vhost, alt] : [vhost];
}
