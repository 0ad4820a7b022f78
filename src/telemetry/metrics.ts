// The narrow port through which the pipeline reports what Prometheus shows. The pipeline never imports
// prom-client: it receives a Metrics (NO_METRICS by default), and the few places that count call it.
// Implementation: prometheus.ts. Hooks: instrument.ts (API calls and run counters, at the adapter and
// run-store seams) and the event receiver.

export const OBJECT_OUTCOMES = [
  'listed',
  'unchanged',
  'created',
  'updated',
  'deleted',
  'retried',
  'rejected',
] as const;
export type ObjectOutcome = (typeof OBJECT_OUTCOMES)[number];

/** ok, or the class of the failure (pai/errors.ts): throttled, transient, fatal. */
export type ApiResult = 'ok' | 'throttled' | 'transient' | 'fatal';

export interface Metrics {
  objects(binding: string, outcome: ObjectOutcome, n: number): void;
  apiCall(api: string, result: ApiResult, seconds: number): void;
  runEnded(status: string): void;
  /** result: accepted / ignored (events), or the reason a delivery was refused (one per delivery). */
  eventsReceived(result: string, n: number): void;
}

export const NO_METRICS: Metrics = {
  objects() {},
  apiCall() {},
  runEnded() {},
  eventsReceived() {},
};
