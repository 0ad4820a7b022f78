// SimpleQuery over the Indexed files of a dataset. Without Sort the order is URI ascending and NextToken
// is base64("<OwnerId>:<Project>:<Dataset>:<last URI>") (the shape of the API reference example), so a
// page resumes exactly after the last URI whatever was indexed or deleted meanwhile. With Sort the token
// carries an offset instead. A URI prefix query scans only its key range.
import { invalidArgument } from '../api-error.ts';
import { OWNER_ID } from '../indexer.ts';
import { optBool, optInt, optJson, optString, reqString, stringArray } from '../params.ts';
import { checkSortField, planQuery, sortValue } from '../query.ts';
import type { ImmFileRecord } from '../types.ts';
import { fileView, type Operation } from './context.ts';

function lowerBound(sorted: readonly string[], target: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const AGGREGATES = new Set(['count', 'sum', 'min', 'max', 'average', 'distinct', 'group']);

function aggregate(
  files: ImmFileRecord[],
  field: string,
  op: string,
  maxGroups: number,
): Record<string, unknown> {
  const kind = checkSortField(field);
  const values = files.map((f) => sortValue(f, field, kind)).filter((v) => v !== undefined);
  const nums = values.filter((v): v is number => typeof v === 'number');
  const out: Record<string, unknown> = { Field: field, Operation: op };
  if (op === 'count') out.Value = values.length;
  else if (op === 'distinct') out.Value = new Set(values).size;
  else if (op === 'group') {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    out.Groups = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, maxGroups)
      .map(([Value, Count]) => ({ Value, Count }));
  } else {
    if (kind === 'text')
      throw invalidArgument(`The aggregation ${op} needs a numeric or time field, not ${field}.`);
    if (op === 'sum') out.Value = nums.reduce((a, b) => a + b, 0);
    else if (op === 'average') out.Value = nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : 0;
    else if (op === 'min') out.Value = nums.length ? Math.min(...nums) : 0;
    else out.Value = nums.length ? Math.max(...nums) : 0;
  }
  return out;
}

export const simpleQuery: Operation = (q, ctx) => {
  const d = ctx.store.dataset(reqString(q, 'ProjectName'), reqString(q, 'DatasetName'));
  const plan = planQuery(optJson(q, 'Query'));
  const withFields = stringArray(q, 'WithFields', false);
  const withoutTotalHits = optBool(q, 'WithoutTotalHits') === true;
  const aggregations = optJson(q, 'Aggregations');
  const indexed = (f: ImmFileRecord | undefined): f is ImmFileRecord =>
    f?.ObjectStatus === 'Indexed' && plan.test(f);

  if (aggregations !== undefined) {
    if (!Array.isArray(aggregations) || aggregations.length === 0) {
      throw invalidArgument('The parameter Aggregations must be a non-empty JSON array.');
    }
    const maxGroups = optInt(q, 'MaxResults', 0, 2000, 0) || 100;
    const matching = d
      .sortedUris()
      .map((u) => d.files.get(u))
      .filter(indexed);
    return {
      RequestId: ctx.requestId,
      Aggregations: aggregations.map((a: Record<string, unknown>) => {
        if (typeof a?.Field !== 'string' || typeof a.Operation !== 'string' || !AGGREGATES.has(a.Operation)) {
          throw invalidArgument(
            'Each aggregation needs a Field and an Operation (count, sum, min, max, average, distinct, group).',
          );
        }
        return aggregate(matching, a.Field, a.Operation, maxGroups);
      }),
      ...(withoutTotalHits ? {} : { TotalHits: matching.length }),
    };
  }

  const max = optInt(q, 'MaxResults', 0, 100, 0) || 100;
  const token = optString(q, 'NextToken');
  const head = `${OWNER_ID}:${d.ProjectName}:${d.DatasetName}:`;
  let resume: string | undefined;
  if (token !== undefined) {
    resume = Buffer.from(token, 'base64').toString('utf8');
    if (!resume.startsWith(head)) throw invalidArgument('The parameter NextToken is invalid.');
    resume = resume.slice(head.length);
  }
  const uris = d.sortedUris();
  const sort = optString(q, 'Sort');

  if (sort === undefined) {
    let i = resume === undefined ? 0 : lowerBound(uris, resume);
    if (resume !== undefined && uris[i] === resume) i++;
    if (plan.uriPrefix !== undefined) i = Math.max(i, lowerBound(uris, plan.uriPrefix));
    const inRange = (u: string): boolean => plan.uriPrefix === undefined || u.startsWith(plan.uriPrefix);
    const page: ImmFileRecord[] = [];
    let more = false;
    for (; i < uris.length; i++) {
      const u = uris[i]!;
      if (!inRange(u)) break;
      const f = d.files.get(u);
      if (!indexed(f)) continue;
      if (page.length === max) {
        more = true;
        break;
      }
      page.push(f);
    }
    let total: number | undefined;
    if (!withoutTotalHits) {
      const start = plan.uriPrefix === undefined ? 0 : lowerBound(uris, plan.uriPrefix);
      total = 0;
      for (let j = start; j < uris.length && inRange(uris[j]!); j++)
        if (indexed(d.files.get(uris[j]!))) total++;
    }
    const last = page[page.length - 1];
    return {
      RequestId: ctx.requestId,
      Files: page.map((f) => fileView(f, withFields)),
      NextToken: more && last ? Buffer.from(`${head}${last.URI}`).toString('base64') : '',
      ...(total === undefined ? {} : { TotalHits: total }),
    };
  }

  const fields = sort.split(',').map((s) => s.trim());
  if (fields.length > 5) throw invalidArgument('The parameter Sort holds more than five fields.');
  const orders = (optString(q, 'Order') ?? '').split(',').map((s) => s.trim().toLowerCase());
  if (orders.length > fields.length)
    throw invalidArgument('The parameter Order holds more entries than Sort.');
  for (const o of orders)
    if (o !== '' && o !== 'asc' && o !== 'desc')
      throw invalidArgument(`The Order "${o}" is not asc or desc.`);
  const keys = fields.map((field, i) => ({
    field,
    kind: checkSortField(field),
    // Documented: the first order defaults to desc, later ones missing default to asc.
    desc: (orders[i] || (i === 0 ? 'desc' : 'asc')) === 'desc',
  }));
  const matching = uris.map((u) => d.files.get(u)).filter(indexed);
  matching.sort((a, b) => {
    for (const k of keys) {
      const x = sortValue(a, k.field, k.kind);
      const y = sortValue(b, k.field, k.kind);
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x < y ? -1 : 1) * (k.desc ? -1 : 1);
    }
    return a.URI < b.URI ? -1 : a.URI > b.URI ? 1 : 0;
  });
  let offset = 0;
  if (resume !== undefined) {
    if (!/^#\d+$/.test(resume)) throw invalidArgument('The parameter NextToken is invalid.');
    offset = Number(resume.slice(1));
  }
  const page = matching.slice(offset, offset + max);
  const next = offset + page.length;
  return {
    RequestId: ctx.requestId,
    Files: page.map((f) => fileView(f, withFields)),
    NextToken: next < matching.length ? Buffer.from(`${head}#${next}`).toString('base64') : '',
    ...(withoutTotalHits ? {} : { TotalHits: matching.length }),
  };
};
