// Job ids are deterministic (re-enqueueing is a no-op) and obey BullMQ's rules: no ':' and not all digits.
import { describe, expect, it } from 'vitest';
import {
  drainControlJobId,
  drainJobId,
  eventRunId,
  eventSyncJobId,
  queueOfJobId,
  requeueJobId,
  retryJobId,
  scanJobId,
  syncJobId,
  syncPartJobId,
} from '../../../src/runs/job-ids.ts';
import { newRunId } from '../../../src/runs/run-store.ts';

/** BullMQ rejects custom ids containing ':' and treats all-digit ids as its own counters. */
const validBullmqId = (id: string) => !id.includes(':') && !/^\d+$/.test(id);

describe('job ids', () => {
  it('builds scan and sync ids from (run, partition, page)', () => {
    expect(scanJobId('rabc', 'p0', 0)).toBe('rabc.s.p0.0');
    expect(syncJobId('rabc', 'p0', 12)).toBe('rabc.y.p0.12');
  });

  it('is deterministic and distinct per kind, partition and page', () => {
    expect(scanJobId('r1', 'p', 3)).toBe(scanJobId('r1', 'p', 3));
    const ids = new Set([
      scanJobId('r1', 'p', 3),
      syncJobId('r1', 'p', 3),
      scanJobId('r1', 'p', 4),
      scanJobId('r1', 'q', 3),
      scanJobId('r2', 'p', 3),
    ]);
    expect(ids.size).toBe(5);
  });

  it('numbers retries of a job, replacing rather than stacking the attempt suffix', () => {
    const base = syncJobId('r1', 'p0', 7);
    const first = retryJobId(base, 1);
    expect(first).toBe('r1.y.p0.7.r1');
    const second = retryJobId(first, 2);
    expect(second).toBe('r1.y.p0.7.r2');
    expect(retryJobId(retryJobId(second, 10), 11)).toBe('r1.y.p0.7.r11');
  });

  it('does not mistake a page number for a retry suffix', () => {
    // "….7" is a page, not ".r7": it must stay.
    expect(retryJobId('r1.y.p0.7', 3)).toBe('r1.y.p0.7.r3');
  });

  it('produces ids BullMQ accepts, with a real run id', () => {
    const run = newRunId(Date.UTC(2024, 5, 1));
    for (const id of [
      scanJobId(run, 'p0', 0),
      syncJobId(run, 'p0', 0),
      retryJobId(syncJobId(run, 'p0', 0), 1),
    ]) {
      expect(validBullmqId(id)).toBe(true);
    }
  });
});

describe('queueOfJobId', () => {
  const events = 'rem3abc12ev.bind.1'; // an events run id embeds a control job id, dots included
  it.each([
    [scanJobId('r1', 'p0', 0), 'scan'],
    [scanJobId('r1', 'p12', 340), 'scan'],
    [syncJobId('r1', 'p0', 3), 'sync'],
    [syncPartJobId(syncJobId('r1', 'p0', 3), 2), 'sync'],
    [retryJobId(syncJobId('r1', 'p0', 3), 4), 'sync'],
    [eventSyncJobId(events, 0), 'sync'],
    [requeueJobId('r1', 2), 'sync'],
    [drainJobId(events), 'control'],
    [drainJobId('r1'), 'control'],
  ])('%s lives in the %s queue', (id, queue) => {
    expect(queueOfJobId(id)).toBe(queue);
  });
});

describe('drainControlJobId', () => {
  it.each([
    [drainJobId(eventRunId(Date.UTC(2026, 11, 2), '1126')), '1126'],
    [drainJobId(eventRunId(Date.UTC(1990, 0, 1), 'ev.bind.1')), 'ev.bind.1'],
    [drainJobId(eventRunId(Date.UTC(2059, 0, 1), '7')), '7'],
    [drainJobId('r1'), undefined],
    [eventSyncJobId(eventRunId(Date.UTC(2026, 11, 2), '9'), 0), undefined],
  ])('%s was drained by control job %s', (id, controlJobId) => {
    expect(drainControlJobId(id)).toBe(controlJobId);
  });
});

describe('newRunId', () => {
  it('starts with a letter, has no ":" and is never all digits', () => {
    for (let i = 0; i < 50; i++) {
      const id = newRunId();
      expect(id).toMatch(/^r[0-9a-z]+$/);
      expect(validBullmqId(id)).toBe(true);
    }
  });

  it('differs between runs started in the same millisecond', () => {
    const now = Date.UTC(2024, 5, 1);
    const ids = new Set(Array.from({ length: 100 }, () => newRunId(now)));
    expect(ids.size).toBe(100);
  });

  it('sorts by start time for times in this era', () => {
    const a = newRunId(Date.UTC(2024, 0, 1));
    const b = newRunId(Date.UTC(2024, 0, 1, 0, 0, 1));
    const c = newRunId(Date.UTC(2031, 6, 1));
    expect([c, b, a].sort()).toEqual([a, b, c]);
  });
});
