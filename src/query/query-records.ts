// `query`: the records a QueryExpression (the ListDatasetFileMetas DSL) selects, page by page up to a limit,
// as PAI gives them. A malformed expression is PAI's to judge: its message (with the position) is passed on.
import { retryApiCall } from '../pai/call-retry.ts';
import type { DatasetApi, DatasetTarget } from '../pai/dataset-api.ts';
import { ApiCallError } from '../pai/errors.ts';

export class QueryError extends Error {}

/** "InvalidParameter: code: 400, QueryExpression: ... at position 9 request id: X" -> the service's words. */
export function serviceMessage(err: ApiCallError): string {
  const m = /code: \d+, ([\s\S]*?)(?: request id: \S*)?$/.exec(err.message);
  return m?.[1]?.trim() || err.message;
}

export async function* queryRecords(
  api: DatasetApi,
  target: DatasetTarget,
  expression: string,
  limit: number,
): AsyncGenerator<Record<string, unknown>> {
  let left = limit;
  let nextToken: string | undefined;
  while (left > 0) {
    const token = nextToken;
    const page = await retryApiCall(() =>
      api.listFileMetas(target, {
        maxResults: Math.min(100, left),
        queryExpression: expression,
        ...(token ? { nextToken: token } : {}),
      }),
    ).catch((err: unknown) => {
      if (err instanceof ApiCallError && err.kind === 'fatal')
        throw new QueryError(`the query was refused: ${serviceMessage(err)}`, { cause: err });
      throw err;
    });
    for (const r of page.records.slice(0, left)) yield r.raw ?? { ...r };
    left -= page.records.length;
    nextToken = page.nextToken;
    if (!nextToken) return;
  }
}
