// Run fixtures shared by the runs tests: a binding built through the real config loader (so it has every
// default a real run has) and a run record with chosen counters.
import { buildConfig } from '../../../src/config/load.ts';
import { COUNTERS, type Counters, type RunBinding, type RunRecord } from '../../../src/runs/run-types.ts';

export function testBinding(): RunBinding {
  const c = buildConfig(
    { bucket: 'my-bucket', prefix: 'photos/', workspaceId: 'ws-1', datasetId: 'd-1' },
    {},
    {},
  );
  return {
    bindingId: 'b-1',
    source: c.source,
    target: { ...c.target, datasetId: 'd-1' },
    options: c.options,
  };
}

export function zeroCounters(): Counters {
  const c = {} as Counters;
  for (const k of COUNTERS) c[k] = 0;
  return c;
}

export function testRun(over: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: 'rtest01',
    kind: 'sync',
    status: 'running',
    binding: testBinding(),
    createdAt: Date.UTC(2024, 0, 1, 0, 0, 0),
    complete: true,
    counters: zeroCounters(),
    pendingJobs: 0,
    deleteCandidates: 0,
    deleteCandidatesSeen: 0,
    ...over,
  };
}
