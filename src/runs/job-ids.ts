// Deterministic job ids: re-enqueueing the same page is a no-op while the job exists. BullMQ ids must not
// contain ':' and must not be all digits; run ids start with a letter.
export const scanJobId = (runId: string, partitionId: string, page: number) =>
  `${runId}.s.${partitionId}.${page}`;
export const syncJobId = (runId: string, partitionId: string, page: number) =>
  `${runId}.y.${partitionId}.${page}`;
export const retryJobId = (parentId: string, attempt: number) =>
  `${parentId.replace(/\.r\d+$/, '')}.r${attempt}`;
