// ListDatasetFileMetas NextToken: an opaque keyset cursor, base64url(JSON), carrying the sort it was made
// for and the position (sort value, seq) of the last record answered. Resuming "strictly after that
// position" stays correct when records are added, changed or deleted between pages, where an offset would
// skip or repeat records.
import { invalidParameter } from './api-error.ts';
import type { ScanPosition, SortKey } from './version-records.ts';

interface TokenBody {
  k: SortKey | '';
  o: 'ASC' | 'DESC';
  v: number | null;
  q: number;
}

export function encodeNextToken(key: SortKey | undefined, desc: boolean, pos: ScanPosition): string {
  const body: TokenBody = { k: key ?? '', o: desc ? 'DESC' : 'ASC', v: pos.value, q: pos.seq };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Decodes a token and checks it was made for the same sort; 400 InvalidParameter otherwise. */
export function decodeNextToken(token: string, key: SortKey | undefined, desc: boolean): ScanPosition {
  let body: Partial<TokenBody>;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
  } catch {
    throw invalidParameter('NextToken', 'is not a token returned by this API');
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    !Number.isSafeInteger(body.q) ||
    (body.v !== null && typeof body.v !== 'number')
  ) {
    throw invalidParameter('NextToken', 'is not a token returned by this API');
  }
  if (body.k !== (key ?? '') || body.o !== (desc ? 'DESC' : 'ASC')) {
    throw invalidParameter(
      'NextToken',
      'was returned for a different SortBy/Order; keep them the same while paging',
    );
  }
  return { value: body.v ?? null, seq: body.q as number };
}
