// Puts the target's records in key order without holding them in memory: ListDatasetFileMetas cannot sort by
// Uri (SortBy takes only FileCreateTime / FileUpdateTime), so the records are spilled into a temporary Redis
// sorted set, all at score 0, whose members begin with the object key. Redis orders such members by bytes,
// which is OSS's listing order (UTF-8 bytes), and "key\0..." sorts before "key<anything>...", so every record
// of a key is adjacent and the set reads back as groups in listing order. The set expires on its own
// (refreshed while it is written) if the process dies; a finished verify deletes it.
//   member: <key> \0 JSON [id, fingerprint, size, updatedAt]   (keys containing NUL are not supported)
import type { RedisClient } from '../queue/connection.ts';
import type { TargetRecord } from './record-source.ts';

const SEP = '\0';
const TTL_SECONDS = 6 * 3600;

export function encodeRecord(r: TargetRecord): string {
  return `${r.key}${SEP}${JSON.stringify([r.id, r.fingerprint ?? null, r.size ?? null, r.updatedAt ?? null])}`;
}

export function decodeRecord(member: string): TargetRecord {
  const i = member.indexOf(SEP);
  const [id, fingerprint, size, updatedAt] = JSON.parse(member.slice(i + 1)) as [
    string,
    string | null,
    number | null,
    number | null,
  ];
  return {
    key: member.slice(0, i),
    id,
    ...(fingerprint !== null ? { fingerprint } : {}),
    ...(size !== null ? { size } : {}),
    ...(updatedAt !== null ? { updatedAt } : {}),
  };
}

export interface RecordGroup {
  key: string;
  records: TargetRecord[];
}

export class RecordSpill {
  constructor(
    private readonly redis: RedisClient,
    readonly key: string,
  ) {}

  async add(records: readonly TargetRecord[]): Promise<void> {
    if (records.length === 0) return;
    const args: (string | number)[] = [];
    for (const r of records) args.push(0, encodeRecord(r));
    await this.redis
      .multi()
      .zadd(this.key, ...args)
      .expire(this.key, TTL_SECONDS)
      .exec();
  }

  /** The records grouped by key, in key (byte) order, `chunk` members per Redis call. */
  async *groups(chunk = 2000): AsyncGenerator<RecordGroup> {
    let min: Buffer | string = '-';
    let open: RecordGroup | undefined;
    for (;;) {
      const members = (await this.redis.call(
        'ZRANGEBYLEX',
        this.key,
        min,
        '+',
        'LIMIT',
        0,
        chunk,
      )) as string[];
      for (const m of members) {
        const r = decodeRecord(m);
        if (open && open.key === r.key) {
          open.records.push(r);
          continue;
        }
        if (open) yield open;
        open = { key: r.key, records: [r] };
      }
      if (members.length < chunk) break;
      // Members are unique, so "strictly after the last one read" resumes exactly.
      min = Buffer.from(`(${members[members.length - 1]!}`);
    }
    if (open) yield open;
  }

  async drop(): Promise<void> {
    await this.redis.del(this.key);
  }
}
