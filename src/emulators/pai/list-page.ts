// One ListDatasetFileMetas page and its TotalCount, two ways that must answer alike (test/unit/emulators/pai/
// list-page.test.ts runs both on the same stores):
//   - scanPage walks the records in the requested order from the cursor and stops one match after the page
//     is full (that match only proves a next page exists): O(page + skipped records), plus O(records) for
//     TotalCount when a filter is set;
//   - indexedPage, when the query requires exact FileName values (the sync's lookups), takes the candidates
//     from the version's FileKeyIndex, keeps those matching the whole query, orders them as the scan would
//     and cuts the page after the cursor: O(candidates log candidates), whatever the number of records.
import { matchesQuery, type ListQuery } from './list-query.ts';
import { comparePosition } from './sorted-index.ts';
import { sortValue, type StoredRecord, type VersionRecords } from './version-records.ts';

export interface ListPage {
  page: StoredRecord[];
  /** A match follows the page (the answer carries a NextToken). */
  more: boolean;
  /** Every record matching the query, cursor ignored. */
  total: number;
}

export function listPage(records: VersionRecords, q: ListQuery): ListPage {
  return q.keys ? indexedPage(records, q) : scanPage(records, q);
}

export function scanPage(records: VersionRecords, q: ListQuery): ListPage {
  const page: StoredRecord[] = [];
  let more = false;
  for (const s of records.scan(q.sortBy, q.desc, q.after)) {
    if (!matchesQuery(q, s)) continue;
    if (page.length === q.maxResults) {
      more = true;
      break;
    }
    page.push(s);
  }

  let total: number;
  if (q.filters.length === 0) {
    const deleted = records.size - records.activeCount;
    total = q.status === 'ACTIVE' ? records.activeCount : q.status === 'DELETED' ? deleted : records.size;
  } else {
    total = 0;
    for (const s of records.records()) if (matchesQuery(q, s)) total++;
  }
  return { page, more, total };
}

/** Requires `q.keys`; answers exactly what scanPage answers. */
export function indexedPage(records: VersionRecords, q: ListQuery): ListPage {
  if (!q.keys) throw new Error('indexedPage needs a query with exact keys');
  const matches: StoredRecord[] = [];
  // Candidates come in creation order (seq), which is the order of a scan without SortBy.
  for (const seq of records.seqsWithKeys(q.keys.names, q.keys.dirs)) {
    const s = records.at(seq);
    if (matchesQuery(q, s)) matches.push(s);
  }
  const key = q.sortBy;
  // The scan's orders: (sort value, seq) with missing values first, or seq; DESC is the reverse.
  if (key !== undefined)
    matches.sort((a, b) => comparePosition(sortValue(a, key), a.seq, sortValue(b, key), b.seq));
  if (q.desc) matches.reverse();
  // Keyset cursor: strictly after the position in the order (below it for DESC), as scan() resumes.
  const after = q.after;
  const start =
    after === undefined
      ? 0
      : matches.findIndex((s) => {
          const c =
            key === undefined
              ? s.seq - after.seq
              : comparePosition(sortValue(s, key), s.seq, after.value, after.seq);
          return q.desc ? c < 0 : c > 0;
        });
  const rest = start < 0 ? [] : matches.slice(start);
  return {
    page: rest.slice(0, q.maxResults),
    more: rest.length > q.maxResults,
    total: matches.length,
  };
}
