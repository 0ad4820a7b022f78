// A fixed set of columns for people; --json/--ndjson give every field.
const COLUMNS = ['Uri', 'DataSize', 'FileType', 'FileUpdateTime', 'FileFingerPrint', 'DatasetFileMetaId'];

export function formatTable(rows: readonly Record<string, unknown>[]): string {
  const cells = rows.map((r) => COLUMNS.map((c) => (r[c] === undefined ? '' : String(r[c]))));
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), ...cells.map(line)].join('\n');
}
