// Log lines for a person at a terminal: "12:04:05 INFO  run started runId=r1 partitions=4". Off a terminal
// the logger writes pino's JSON lines unchanged (for collectors); this only reformats, it never drops fields.

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s="]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** One pino JSON line -> one readable line (the input unchanged if it is not a JSON object). */
export function prettyLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  if (o === null || typeof o !== 'object') return json;
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 19) : '';
  const level = LEVELS[o.level as number] ?? String(o.level);
  const fields = Object.entries(o)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(' ');
  return `${time} ${level} ${String(o.msg ?? '')}${fields ? ` ${fields}` : ''}`;
}

/** A pino destination that reformats each line before writing it to `out`. */
export function prettyDestination(out: NodeJS.WritableStream): { write(chunk: string): boolean } {
  return {
    write(chunk: string): boolean {
      const lines = chunk.split('\n').filter((l) => l.length > 0);
      return out.write(lines.map((l) => `${prettyLine(l)}\n`).join(''));
    },
  };
}
