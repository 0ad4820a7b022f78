// Server-generated ids. PAI documents neither derivation; the emulator uses random ids in the documented
// shapes (README): 'd-' + 18 lowercase alphanumerics for datasets. File-meta record ids (64 lowercase hex)
// are derived per record in file-meta-ids.ts, unpredictable as well, so a client can never compute one.
import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newDatasetId(): string {
  const bytes = randomBytes(18);
  let id = 'd-';
  for (const b of bytes) id += ALPHANUMERIC[b % ALPHANUMERIC.length];
  return id;
}

export function newRequestId(): string {
  const hex = randomBytes(16).toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
