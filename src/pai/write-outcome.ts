// How to read a write answer per item. Status true: every item not in FailedDetails succeeded. Status false
// with FailedDetails: the listed items failed, the others succeeded. Status false with NO FailedDetails is an
// answer we cannot attribute: nothing is counted as success (never count Status:false as success).
import type { WriteResponse } from './dataset-api.ts';
import { classifyItemResult } from './errors.ts';

export function unattributedFailure(res: WriteResponse): boolean {
  return !res.status && res.failed.length === 0;
}

/** For DeleteDatasetFileMetas: which ids are gone ("Not Found" counts as gone: someone deleted it already). */
export function deleteOutcome(
  res: WriteResponse,
  ids: readonly string[],
): { gone: string[]; failed: string[] } {
  if (unattributedFailure(res)) return { gone: [], failed: [...ids] };
  const reasons = new Map(res.failed.map((f) => [f.DatasetFileMetaId, f.Result]));
  const gone: string[] = [];
  const failed: string[] = [];
  for (const id of ids) {
    const why = reasons.get(id);
    if (!reasons.has(id) || classifyItemResult(why) === 'not-found') gone.push(id);
    else failed.push(id);
  }
  return { gone, failed };
}
