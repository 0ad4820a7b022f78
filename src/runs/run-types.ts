import type { Config } from '../config/schema.ts';

export type RunStatus = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
export type RunKind = 'sync' | 'backfill' | 'events' | 'requeue' | 'scheduled';

export const COUNTERS = [
  'listed',
  'skipped',
  'unchanged',
  'created',
  'updated',
  'deleted',
  /** Extra records of one object found while resolving a lost answer, and deleted (also in `deleted`). */
  'duplicatesRemoved',
  'retried',
  'rejected',
  'vanished',
  'pages',
  'apiCalls',
  'partitions',
  'partitionsDone',
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Counters = Record<Counter, number>;

/** What a run needs to know about its binding. Never holds credentials. */
export interface RunBinding {
  bindingId: string;
  source: Config['source'];
  target: Config['target'] & { datasetId: string };
  options: Config['options'];
}

export interface RunRecord {
  runId: string;
  kind: RunKind;
  status: RunStatus;
  binding: RunBinding;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  error?: string;
  /** Whether the scan covered the whole source (only then may vanished records be deleted). */
  complete: boolean;
  counters: Counters;
  pendingJobs: number;
  /** Vanished records stored for the sweep (at most maxDelete + 1 of them)... */
  deleteCandidates: number;
  /** ...and how many the scan found in all (see RunStore.addDeleteCandidates). */
  deleteCandidatesSeen: number;
}
