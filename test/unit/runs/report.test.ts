// buildReport turns a run record into what a user or script reads; formatReport renders it as text.
import { describe, expect, it } from 'vitest';
import { buildReport, formatReport, TERMINAL } from '../../../src/runs/report.ts';
import { testRun, zeroCounters } from './fixtures.ts';

const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);

describe('buildReport', () => {
  it('reports a finished run with its duration and throughput', () => {
    const counters = {
      ...zeroCounters(),
      listed: 5000,
      created: 4000,
      unchanged: 1000,
      pages: 5,
      apiCalls: 40,
    };
    const run = testRun({
      status: 'completed',
      startedAt: T0 + 1000,
      endedAt: T0 + 11_000,
      counters,
      pendingJobs: 0,
    });
    expect(buildReport(run, T0 + 999_999)).toEqual({
      runId: 'rtest01',
      status: 'completed',
      kind: 'sync',
      source: 'oss://my-bucket/photos/',
      target: { workspaceId: 'ws-1', datasetId: 'd-1', datasetVersion: 'v1' },
      startedAt: '2024-01-01T00:00:01.000Z',
      endedAt: '2024-01-01T00:00:11.000Z',
      durationMs: 10_000,
      objectsPerSecond: 500,
      counters,
      pendingJobs: 0,
    });
  });

  it('measures a running run up to now and has no endedAt', () => {
    const run = testRun({ status: 'running', startedAt: T0, counters: { ...zeroCounters(), listed: 30 } });
    const r = buildReport(run, T0 + 3000);
    expect(r.durationMs).toBe(3000);
    expect(r.objectsPerSecond).toBe(10);
    expect(r).not.toHaveProperty('endedAt');
  });

  it('falls back to createdAt for a run that has not started', () => {
    const run = testRun({ status: 'queued', createdAt: T0 });
    const r = buildReport(run, T0 + 500);
    expect(r.startedAt).toBe('2024-01-01T00:00:00.000Z');
    expect(r.durationMs).toBe(500);
  });

  it('omits objectsPerSecond for a zero duration rather than dividing by zero', () => {
    const r = buildReport(testRun({ startedAt: T0, endedAt: T0, status: 'completed' }), T0);
    expect(r.durationMs).toBe(0);
    expect(r).not.toHaveProperty('objectsPerSecond');
  });

  it('never reports a negative duration (clock skew between hosts)', () => {
    const r = buildReport(testRun({ startedAt: T0 + 5000 }), T0);
    expect(r.durationMs).toBe(0);
  });

  it('carries the error and the pending job count', () => {
    const r = buildReport(
      testRun({ status: 'failed', error: 'InvalidParameter: bad', pendingJobs: 3, endedAt: T0 + 1 }),
      T0,
    );
    expect(r.error).toBe('InvalidParameter: bad');
    expect(r.pendingJobs).toBe(3);
  });

  it('has no error field when there was none', () => {
    expect(buildReport(testRun(), T0)).not.toHaveProperty('error');
  });

  it('is plain JSON (for --json)', () => {
    const r = buildReport(testRun({ startedAt: T0, endedAt: T0 + 10 }), T0);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('formatReport', () => {
  it('renders the header, every counter and the time', () => {
    const counters = {
      listed: 11,
      skipped: 12,
      unchanged: 13,
      created: 14,
      updated: 15,
      deleted: 16,
      retried: 17,
      rejected: 0,
      vanished: 19,
      pages: 20,
      apiCalls: 21,
      partitions: 1,
      partitionsDone: 1,
      duplicatesRemoved: 0,
    };
    const text = formatReport(
      buildReport(testRun({ status: 'completed', startedAt: T0, endedAt: T0 + 2500, counters }), T0),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('run rtest01 completed  oss://my-bucket/photos/ -> dataset d-1 v1');
    expect(lines[1]).toBe('  listed 11  unchanged 13  created 14  updated 15  deleted 16');
    expect(lines[2]).toBe('  retried 17  rejected 0  skipped 12  vanished 19  pages 20  api calls 21');
    expect(lines[3]).toBe('  2.5 s, 4 objects/s');
    expect(lines).toHaveLength(4);
  });

  it('adds the error and a pointer to the dead-letter queue when items were rejected', () => {
    const counters = { ...zeroCounters(), rejected: 2 };
    const text = formatReport(
      buildReport(testRun({ status: 'failed', startedAt: T0, endedAt: T0, counters, error: 'boom' }), T0),
    );
    expect(text).toContain('\n  0.0 s\n');
    expect(text).toContain('  error: boom');
    expect(text).toContain('dead-letter');
  });
});

describe('formatReport duplicates', () => {
  it('says how many duplicate records lost answers left and were deleted', () => {
    const counters = { ...zeroCounters(), deleted: 3, duplicatesRemoved: 3 };
    const text = formatReport(buildReport(testRun({ status: 'completed', counters }), T0));
    expect(text).toContain('  3 duplicate record(s) found after lost answers and deleted');
  });
});

describe('TERMINAL', () => {
  it('holds exactly the end states', () => {
    expect([...TERMINAL].sort()).toEqual(['cancelled', 'completed', 'failed']);
  });
});
