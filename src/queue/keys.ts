// Every Redis key and BullMQ name the product uses, in one place.
//
// Hash slots (Redis Cluster; a single Redis ignores them): every key starts with the hash-tagged --queue-prefix
// (`{oss-pai-sync}:...`), so a deployment's keys all live in ONE slot. They must: BullMQ keeps a queue's keys
// in one slot and our jobs move between queues; the run scripts touch a run's record with its pending, done
// and delete-candidate sets; and a sync job's checkpoint (sync/checkpoint.ts) writes the state, the run's
// counters, the job's progress and requeue list and the dead-letter list in ONE script, atomically. Spreading
// over shards therefore happens per deployment: bindings run under different --queue-prefix values land in
// different slots (README, "Redis Cluster").

export const QUEUE_SCAN = 'scan';
export const QUEUE_SYNC = 'sync';
export const QUEUE_CONTROL = 'control';
export const CONTROL_TICK = 'tick';
export const CONTROL_EVENTS = 'events';

export class Keys {
  constructor(readonly prefix: string) {}
  private k(...parts: string[]): string {
    return [this.prefix, 'ops', ...parts].join(':');
  }
  run(runId: string): string {
    return this.k('run', runId);
  }
  runPending(runId: string): string {
    return this.k('run', runId, 'pending');
  }
  runDone(runId: string): string {
    return this.k('run', runId, 'done');
  }
  runDeletes(runId: string): string {
    return this.k('run', runId, 'del');
  }
  /** Keys of a run whose records may have a late copy (a write that may still land): re-checked at the end. */
  runSuspects(runId: string): string {
    return this.k('run', runId, 'suspects');
  }
  runFinalizing(runId: string): string {
    return this.k('run', runId, 'finalizing');
  }
  /** A short lease while a run that holds its binding's lock is being prepared (before its record exists). */
  runPreparing(runId: string): string {
    return this.k('run', runId, 'preparing');
  }
  /** A sync job's checkpoint: batches done, the batch whose write started (intent), follow-up hints. */
  jobProgress(jobId: string): string {
    return this.k('job', jobId);
  }
  /** Items a sync job's batches requeued so far (one follow-up job takes them when the job ends). */
  jobRequeue(jobId: string): string {
    return this.k('job', jobId, 'requeue');
  }
  /** Runs created and not yet finalized. */
  activeRuns(): string {
    return this.k('runs', 'active');
  }
  runs(): string {
    return this.k('runs');
  }
  bindingActive(bindingId: string): string {
    return this.k('binding', bindingId, 'active');
  }
  bindingSpec(bindingId: string): string {
    return this.k('binding', bindingId, 'spec');
  }
  bindingEvents(bindingId: string): string {
    return this.k('binding', bindingId, 'events');
  }
  bindingNext(bindingId: string): string {
    return this.k('binding', bindingId, 'next');
  }
  state(datasetId: string, version: string, bucket: string): string {
    return this.k('state', datasetId, version, bucket);
  }
  /** Where a state is rebuilt before it is swapped in (RENAME) over state(). */
  stateRebuild(datasetId: string, version: string, bucket: string): string {
    return `${this.state(datasetId, version, bucket)}:rebuild`;
  }
  /** Set while state() is empty because the target was found to hold no record of the bucket. */
  stateTargetEmpty(datasetId: string, version: string, bucket: string): string {
    return `${this.state(datasetId, version, bucket)}:target-empty`;
  }
  /** verify's spill of the target's records (temporary, expires by itself); `id` is random per verify. */
  verifySpill(id: string): string {
    return this.k('verify', id);
  }
  /** verify --fix's journal of the corrections to make (temporary); `id` is random per verify. */
  verifyFixJournal(id: string): string {
    return this.k('verify-fix', id);
  }
  deadLetter(): string {
    return this.k('dead');
  }
  gate(scope: string): string {
    return this.k('gate', scope);
  }
}
