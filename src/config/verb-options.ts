// The table of the flags that belong to one verb rather than to a binding (ports, concurrency, limits):
// name, default, unit, range and help in one row. The CLI builds these flags from it and checks every value
// while it parses the command line, so a bad value stops the command before anything connects.

export type VerbOptionKind = 'int' | 'string' | 'host' | 'bool';

export interface VerbOptionSpec {
  /** The verbs that take the flag, as typed: 'worker', 'events serve', 'dead-letter list'. */
  verbs: readonly string[];
  /** Flag without the leading --. */
  flag: string;
  kind: VerbOptionKind;
  /** Placeholder shown in --help. */
  arg?: string;
  /** Default (absent: none, the flag is optional). */
  default?: number | string;
  /** Unit of a number ("ms", "jobs"), shown in help and README. */
  unit?: string;
  /** Inclusive range of an int. */
  min?: number;
  max?: number;
  help: string;
}

export const VERB_OPTION_TABLE: readonly VerbOptionSpec[] = [
  {
    verbs: ['dashboard'],
    flag: 'host',
    kind: 'host',
    arg: 'HOST',
    default: '127.0.0.1',
    help: 'address to listen on (the dashboard has no login: keep it on 127.0.0.1 or behind a proxy)',
  },
  {
    verbs: ['dashboard'],
    flag: 'port',
    kind: 'int',
    arg: 'N',
    default: 3000,
    min: 0,
    max: 65_535,
    help: 'port to listen on (0 = any free port)',
  },
  {
    verbs: ['worker'],
    flag: 'metrics-port',
    kind: 'int',
    arg: 'N',
    min: 0,
    max: 65535,
    help: 'serve GET /metrics (Prometheus) on this port (0 picks a free one)',
  },
  {
    verbs: ['worker'],
    flag: 'metrics-host',
    kind: 'host',
    arg: 'HOST',
    default: '0.0.0.0',
    help: 'address of the metrics server',
  },
  {
    verbs: ['verify'],
    flag: 'sample',
    kind: 'int',
    arg: 'N',
    default: 10,
    unit: 'keys',
    min: 0,
    max: 10_000,
    help: 'sample keys shown per kind of drift',
  },
  {
    verbs: ['query'],
    flag: 'limit',
    kind: 'int',
    arg: 'N',
    default: 100,
    unit: 'records',
    min: 1,
    max: 100_000_000,
    help: 'at most this many records',
  },
  {
    verbs: ['worker'],
    flag: 'kinds',
    kind: 'string',
    arg: 'LIST',
    default: 'scan,sync,control',
    help: 'which queues to work: any of scan,sync,control',
  },
  {
    verbs: ['worker', 'sync', 'backfill'],
    flag: 'max-queued-jobs',
    kind: 'int',
    arg: 'N',
    default: 200,
    unit: 'jobs',
    min: 1,
    max: 1_000_000,
    help: 'list no further while more sync jobs than this wait (backpressure)',
  },
  {
    verbs: ['worker'],
    flag: 'scan-concurrency',
    kind: 'int',
    arg: 'N',
    default: 4,
    unit: 'jobs',
    min: 1,
    max: 256,
    help: 'listing pages processed at once by this process',
  },
  {
    verbs: ['worker'],
    flag: 'sync-concurrency',
    kind: 'int',
    arg: 'N',
    default: 8,
    unit: 'jobs',
    min: 1,
    max: 256,
    help: 'sync jobs processed at once by this process',
  },
  {
    verbs: ['worker', 'events serve'],
    flag: 'control-concurrency',
    kind: 'int',
    arg: 'N',
    default: 8,
    unit: 'jobs',
    min: 1,
    max: 256,
    help: 'control jobs (cron ticks, upload-event drains) processed at once by this process',
  },
  {
    verbs: ['worker'],
    flag: 'lock-duration-ms',
    kind: 'int',
    arg: 'MS',
    default: 30_000,
    unit: 'ms',
    min: 1_000,
    max: 3_600_000,
    help: 'job lock lifetime; jobs of a killed worker are retried after about this long',
  },
  {
    verbs: ['events serve'],
    flag: 'host',
    kind: 'host',
    arg: 'HOST',
    default: '127.0.0.1',
    help: 'address to listen on (0.0.0.0 for every interface)',
  },
  {
    verbs: ['events serve'],
    flag: 'port',
    kind: 'int',
    arg: 'N',
    default: 8080,
    min: 0,
    max: 65_535,
    help: 'port to listen on (0 = any free port)',
  },
  {
    verbs: ['events serve'],
    flag: 'debounce-ms',
    kind: 'int',
    arg: 'MS',
    default: 1_000,
    unit: 'ms',
    min: 0,
    max: 3_600_000,
    help: 'group the events of a binding over this window',
  },
  {
    verbs: ['events serve'],
    flag: 'replay-window-s',
    kind: 'int',
    arg: 'S',
    unit: 's',
    min: 1,
    max: 86_400,
    help: 'replay protection: require a signed x-oss-pai-sync-timestamp within this many seconds of now; off unless given',
  },
  {
    verbs: ['backfill'],
    flag: 'workers',
    kind: 'int',
    arg: 'N',
    default: 0,
    unit: 'processes',
    min: 0,
    max: 64,
    help: 'worker processes to start here (0 = work in this process)',
  },
  {
    verbs: ['backfill'],
    flag: 'depth',
    kind: 'int',
    arg: 'N',
    default: 2,
    unit: 'levels',
    min: 0,
    max: 16,
    help: 'how many "/" levels to discover',
  },
  {
    verbs: ['backfill'],
    flag: 'max-partitions',
    kind: 'int',
    arg: 'N',
    default: 256,
    unit: 'ranges',
    min: 1,
    max: 10_000,
    help: 'at most this many key ranges',
  },
  {
    verbs: ['status'],
    flag: 'limit',
    kind: 'int',
    arg: 'N',
    default: 10,
    unit: 'runs',
    min: 1,
    max: 1_000,
    help: 'how many recent runs to list',
  },
  {
    verbs: ['dead-letter list'],
    flag: 'limit',
    kind: 'int',
    arg: 'N',
    default: 100,
    unit: 'items',
    min: 1,
    max: 1_000_000,
    help: 'at most this many',
  },
  {
    verbs: ['dead-letter requeue'],
    flag: 'limit',
    kind: 'int',
    arg: 'N',
    default: 10_000,
    unit: 'items',
    min: 1,
    max: 1_000_000,
    help: 'at most this many',
  },
];

export function verbOptions(verb: string): VerbOptionSpec[] {
  return VERB_OPTION_TABLE.filter((o) => o.verbs.includes(verb));
}

/** Help text with default and unit, as --help and README show it. */
export function verbOptionHelp(o: VerbOptionSpec): string {
  const range = o.kind === 'int' && o.min !== undefined && o.max !== undefined ? `, ${o.min}-${o.max}` : '';
  const unit = o.unit ? ` ${o.unit}` : '';
  const dflt =
    o.default !== undefined ? ` (default ${o.default}${unit}${range})` : range ? ` (${range.slice(2)})` : '';
  return `${o.help}${dflt}`;
}

/**
 * Checks one raw value; returns the typed value or throws a message without the flag name (the caller adds
 * it). Pure, so that the table of accepted and refused values is a unit test.
 */
export function parseVerbOption(o: VerbOptionSpec, raw: string): number | string {
  if (o.kind === 'int') {
    const t = raw.trim();
    if (!/^-?\d+$/.test(t)) throw new Error(`expected a whole number${rangeText(o)}, got "${raw}"`);
    const n = Number(t);
    if ((o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max)) {
      throw new Error(`must be${rangeText(o)}, got ${t}`);
    }
    return n;
  }
  if (o.kind === 'host') {
    // A host name or an IPv4/IPv6 address; never a URL (a common slip: --host http://0.0.0.0).
    if (!/^[A-Za-z0-9.:[\]-]{1,253}$/.test(raw) || raw.includes('//')) {
      throw new Error(`expected a host name or IP address such as 127.0.0.1, got "${raw}"`);
    }
    return raw;
  }
  if (raw.length === 0) throw new Error('must not be empty');
  return raw;
}

function rangeText(o: VerbOptionSpec): string {
  if (o.min !== undefined && o.max !== undefined) return ` from ${o.min} to ${o.max}`;
  if (o.min !== undefined) return ` >= ${o.min}`;
  return '';
}
