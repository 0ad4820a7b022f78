// The Result texts of FailedDetails items. PAI documents only "Not Found" and calls Result free text, so
// the emulator commits to stable PREFIXES the worker can classify (README "Result texts"):
//   retryable  -> starts with "InternalError:"       (try the item again later)
//   permanent  -> anything else: "Not Found", "Uri already exists", "InvalidParameter:", "QuotaExceeded:"
export const RESULT = {
  retryable: 'InternalError: please retry',
  notFound: 'Not Found',
  uriExists: 'Uri already exists',
  invalidPrefix: 'InvalidParameter:',
  quotaPrefix: 'QuotaExceeded:',
  success: 'Success',
} as const;

export function quotaExceeded(edition: string, cap: number): string {
  return `${RESULT.quotaPrefix} edition ${edition} allows at most ${cap} ACTIVE file metadata records per dataset version`;
}
