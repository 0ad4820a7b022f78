// PURE: what happens after a batch, for every sink (table-tested in test/unit/sinks/next-step.test.ts).
// Outcomes become the batch's checkpoint, applied in ONE atomic Redis step (src/sync/checkpoint.ts):
//   delivered  -> a state entry (replacing the member the item had) and created/updated counters
//   retryable  -> requeued (healed: "already exists" -> update that record, "Not Found" -> create), or
//                 dead-lettered past maxRetries; throttling has its own, larger cap and uses up no retry
//   rejected   -> dead-lettered with the target's reason
//   fatal      -> the run stops: nothing is requeued, what was left is dead-lettered
import type { SyncItem } from '../queue/payloads.ts';
import type { DeadLetter } from '../runs/dead-letter.ts';
import type { StateEntry } from '../sync/state-store.ts';
import type { ItemOutcome } from './outcome.ts';

/** Throttled requeues per item before it is dead-lettered (a quota far below apiRps, for hours). */
export const MAX_THROTTLED_REQUEUES = 100;

export interface StepInput {
  runId: string;
  bindingId: string;
  now: number;
  maxRetries: number;
  outcomes: readonly ItemOutcome[];
  /** Objects that disappeared before they could be written. */
  vanished: readonly SyncItem[];
  /** Extra copies of a record removed while resolving a lost answer. */
  duplicatesRemoved: number;
  fatal?: string;
}

export interface StepCounters {
  created: number;
  updated: number;
  deleted: number;
  duplicatesRemoved: number;
  retried: number;
  rejected: number;
  vanished: number;
}

export interface Step {
  state: Array<{ entry: Omit<StateEntry, 'member'>; replaces?: string }>;
  counters: StepCounters;
  requeue: SyncItem[];
  dead: DeadLetter[];
  /** Vanished objects the state knew: delete candidates for the sweep. */
  deleteCandidates: Array<{ key: string; member: string }>;
  /** The longest retry-after a throttled item asked for (0: none). */
  retryAfterMs: number;
  /** Every requeued item was throttled (the follow-up waits only the retry-after, no backoff). */
  onlyThrottled: boolean;
  fatal?: string;
}

/** The item as it should be sent next time. */
function healed(o: Extract<ItemOutcome, { kind: 'retryable' }>): SyncItem {
  const { unsure: _u, ...item } = o.item;
  const next: SyncItem = { ...item };
  if (o.heal?.op === 'update') {
    if (o.heal.targetId) {
      next.op = 'update';
      next.metaId = o.heal.targetId;
    } else {
      // The record exists but its id is unknown: a lookup finds and adopts it.
      next.op = 'create';
      delete next.metaId;
      next.unsure = true;
    }
  } else if (o.heal?.op === 'create') {
    next.op = 'create';
    delete next.metaId;
  }
  if (o.unsure || o.item.unsure) next.unsure = true;
  return next;
}

export function nextStep(input: StepInput): Step {
  const { runId, bindingId, now } = input;
  const step: Step = {
    state: [],
    counters: {
      created: 0,
      updated: 0,
      deleted: input.duplicatesRemoved,
      duplicatesRemoved: input.duplicatesRemoved,
      retried: 0,
      rejected: 0,
      vanished: input.vanished.length,
    },
    requeue: [],
    dead: [],
    deleteCandidates: [],
    retryAfterMs: 0,
    onlyThrottled: true,
    ...(input.fatal ? { fatal: input.fatal } : {}),
  };
  const dead = (item: SyncItem, reason: string) =>
    step.dead.push({ runId, bindingId, item, reason, at: now });

  for (const v of input.vanished)
    if (v.prevMember) step.deleteCandidates.push({ key: v.key, member: v.prevMember });

  for (const o of input.outcomes) {
    if (o.kind === 'delivered') {
      const it = o.item;
      step.state.push({
        entry: {
          key: it.key,
          metaId: o.targetId,
          etag: it.etag,
          size: it.size,
          lastModified: it.lastModified,
        },
        ...(it.prevMember ? { replaces: it.prevMember } : {}),
      });
      if (o.op === 'create') step.counters.created += o.copies ?? 1;
      else step.counters.updated++;
    } else if (o.kind === 'rejected') {
      dead(o.item, o.reason);
    } else {
      const tries = (o.item.tries ?? 0) + (o.throttled ? 0 : 1);
      const throttles = (o.item.throttles ?? 0) + (o.throttled ? 1 : 0);
      if (input.fatal) dead(o.item, `run stopped: ${input.fatal}`);
      else if (tries > input.maxRetries || throttles > MAX_THROTTLED_REQUEUES)
        dead(o.item, `${gaveUp(tries, throttles, input.maxRetries)}: ${o.reason}`);
      else {
        step.requeue.push({ ...healed(o), tries, throttles });
        if (!o.throttled) step.onlyThrottled = false;
        if (o.retryAfterMs) step.retryAfterMs = Math.max(step.retryAfterMs, o.retryAfterMs);
      }
    }
  }
  step.counters.retried = step.requeue.length;
  step.counters.rejected = step.dead.length;
  return step;
}

/** "gave up after 2 failed attempts (1 retry, --max-retries 1)": attempts and retries are not the same count. */
export function gaveUp(failedAttempts: number, throttles: number, maxRetries: number): string {
  const retries = Math.max(0, failedAttempts - 1);
  const throttled = throttles > 0 ? `, ${throttles} throttled requeue${throttles === 1 ? '' : 's'}` : '';
  return (
    `gave up after ${failedAttempts} failed attempt${failedAttempts === 1 ? '' : 's'} ` +
    `(${retries} retr${retries === 1 ? 'y' : 'ies'}, --max-retries ${maxRetries}${throttled})`
  );
}
