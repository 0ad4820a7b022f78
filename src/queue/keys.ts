// Every Redis key and BullMQ name the product uses, in one place. All share one hash-tagged prefix so that
// the same code runs on Redis Cluster (every key of a deployment lands in one slot).

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
  runFinalizing(runId: string): string {
    return this.k('run', runId, 'finalizing');
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
  deadLetter(): string {
    return this.k('dead');
  }
  gate(scope: string): string {
    return this.k('gate', scope);
  }
}
