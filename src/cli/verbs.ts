// The CLI's verbs: name, the line top-level help shows, and how to load the verb's module. A verb's module
// brings its libraries (bullmq, ali-oss, the PAI client: about half a second of loading together), so only the
// verb being run is loaded, and `oss-pai-sync --help` loads none. test/unit/cli/verbs.test.ts checks that
// these lines equal what the loaded commands give.
import type { Command } from 'commander';

export interface Verb {
  name: string;
  /** As top-level help lists it: the name, "[options]" when it has options, its arguments. */
  term: string;
  summary: string;
  load: () => Promise<Command>;
}

export const VERBS: readonly Verb[] = [
  {
    name: 'sync',
    term: 'sync [options]',
    summary:
      'sync one binding now: list the source, write new/changed records, delete vanished ones, print the report',
    load: async () => (await import('./commands/sync.ts')).syncCommand(),
  },
  {
    name: 'backfill',
    term: 'backfill [options]',
    summary: 'full sync of a large bucket: split into key ranges (delimiter discovery) listed in parallel',
    load: async () => (await import('./commands/backfill.ts')).backfillCommand(),
  },
  {
    name: 'worker',
    term: 'worker [options]',
    summary:
      'run scan, sync and control workers until stopped (SIGINT/SIGTERM finish the jobs in hand, then exit)',
    load: async () => (await import('./commands/worker.ts')).workerCommand(),
  },
  {
    name: 'status',
    term: 'status [options] [runId]',
    summary: 'show a run (counters, status, progress) or the most recent runs',
    load: async () => (await import('./commands/status.ts')).statusCommand(),
  },
  {
    name: 'run',
    term: 'run',
    summary: 'control a run: pause, resume or cancel it',
    load: async () => (await import('./commands/run.ts')).runCommand(),
  },
  {
    name: 'schedule',
    term: 'schedule',
    summary: 'cron schedules (BullMQ job schedulers); a running `worker` starts the runs',
    load: async () => (await import('./commands/schedule.ts')).scheduleCommand(),
  },
  {
    name: 'events',
    term: 'events',
    summary: 'sync right after uploads: receive OSS event notifications',
    load: async () => (await import('./commands/events.ts')).eventsCommand(),
  },
  {
    name: 'dead-letter',
    term: 'dead-letter',
    summary: 'inspect or requeue items that could not be delivered',
    load: async () => (await import('./commands/dead-letter.ts')).deadLetterCommand(),
  },
  {
    name: 'state',
    term: 'state',
    summary: 'manage the Redis state that makes incremental runs cheap',
    load: async () => (await import('./commands/state.ts')).stateCommand(),
  },
  {
    name: 'verify',
    term: 'verify [options]',
    summary:
      'compare the dataset records (read through the API) with the bucket: missing, orphaned, stale, duplicates; exit 0 in sync, 3 drift, 1 error',
    load: async () => (await import('./commands/verify.ts')).verifyCommand(),
  },
  {
    name: 'query',
    term: 'query [options] <expression>',
    summary:
      'print the dataset records a QueryExpression selects, e.g. "FileType=\'image\' AND DataSize > 1000"',
    load: async () => (await import('./commands/query.ts')).queryCommand(),
  },
  {
    name: 'dashboard',
    term: 'dashboard [options]',
    summary:
      'serve a web dashboard: recent runs (progress, ETA), dead letters, and Bull Board for the queues',
    load: async () => (await import('./commands/dashboard.ts')).dashboardCommand(),
  },
  {
    name: 'emulate',
    term: 'emulate [options]',
    summary: 'run a local OSS, PAI dataset API and IMM (real wire protocols, signatures checked)',
    load: async () => (await import('./commands/emulate.ts')).emulateCommand(),
  },
  {
    name: 'demo',
    term: 'demo [options]',
    summary:
      'run the whole pipeline locally: emulators, a sample bucket, a full and an incremental sync, a final check',
    load: async () => (await import('./commands/demo.ts')).demoCommand(),
  },
];

/** The verb argv names (the first word after the program that is not an option; `help <verb>` too). */
export function verbOf(args: readonly string[]): Verb | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  const first = words[0] === 'help' ? words[1] : words[0];
  return VERBS.find((v) => v.name === first);
}
