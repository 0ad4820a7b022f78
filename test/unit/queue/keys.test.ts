// The hash-slot scheme (keys.ts): every key of a deployment carries the prefix's hash tag, so the scripts
// that touch several keys at once (BullMQ's, the run bookkeeping, the sync checkpoint) stay in one slot.
import { expect, it } from 'vitest';
import { Keys } from '../../../src/queue/keys.ts';

/** Redis Cluster's rule: the part between the first '{' and the next '}', if not empty; else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

it('puts every key of a deployment in the prefix slot, whatever the ids hold', () => {
  const keys = new Keys('{oss-pai-sync}');
  // Ids with braces must not open a tag of their own: only the first {...} counts.
  const odd = 'x{y}z';
  for (const k of [
    keys.run(odd),
    keys.runPending(odd),
    keys.runDone(odd),
    keys.runDeletes(odd),
    keys.runFinalizing(odd),
    keys.runPreparing(odd),
    keys.jobProgress(odd),
    keys.jobRequeue(odd),
    keys.activeRuns(),
    keys.runs(),
    keys.bindingActive(odd),
    keys.bindingSpec(odd),
    keys.bindingEvents(odd),
    keys.bindingNext(odd),
    keys.state('d-1', '{v1}', 'bucket'),
    keys.stateRebuild('d-1', '{v1}', 'bucket'),
    keys.stateTargetEmpty('d-1', '{v1}', 'bucket'),
    keys.verifySpill(odd),
    keys.verifyFixJournal(odd),
    keys.deadLetter(),
    keys.gate(odd),
  ]) {
    expect(hashTag(k), k).toBe('oss-pai-sync');
  }
});

it('gives two deployments two different slots', () => {
  expect(hashTag(new Keys('{team-a}').state('d', 'v1', 'b'))).not.toBe(
    hashTag(new Keys('{team-b}').state('d', 'v1', 'b')),
  );
});
