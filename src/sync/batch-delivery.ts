// Delivers ONE batch through any sink, exactly once without relying on the target to refuse duplicates:
//
//   resolve   items whose earlier write may have been applied (an unfinished intent found on retry, a lost
//             answer, "already exists" without an id) are looked up first: a record that already describes
//             the object is adopted (no write), a stale one is updated, extra copies are deleted, and only
//             absent objects are created
//   intent    recorded in Redis before the first write (`beforeWrite`), so a crash after the write is
//             resolved by the retry instead of creating a second record
//   send -> confirm -> classify    the sink's roles; healing ("already exists" -> update, update
//             "Not Found" -> create) and unsure items get up to MAX_ROUNDS rounds here, then are requeued
//
// The guard runs before every call (run paused or cancelled: StopCalls, nothing more is sent).
import type { BatchVerdict, ItemOutcome } from '../sinks/outcome.ts';
import type { CallGuard, Sink, SinkItem, TargetRecord } from '../sinks/sink.ts';
import { StopCalls } from '../sinks/sink.ts';

export const MAX_ROUNDS = 3;

export interface BatchResult {
  outcomes: ItemOutcome[];
  fatal?: string;
  duplicatesRemoved: number;
}

export interface DeliverOptions {
  /** Look every item up before writing (the batch's intent was found unfinished). */
  resolveFirst: boolean;
  guard: CallGuard;
  /** Records the batch's intent; called before the first write of the batch. */
  beforeWrite: () => Promise<void>;
  /**
   * Called with the keys about to be looked up to resolve a write that may have been applied: that write
   * may also land AFTER the lookup (see src/sync/suspect-keys.ts), so these keys are checked again later.
   */
  beforeLookup?: (keys: string[]) => Promise<void>;
}

const clean = (s: SinkItem): SinkItem => {
  if (!s.item.unsure) return s;
  const { unsure: _u, ...item } = s.item;
  return { ...s, item };
};

const asCreate = (s: SinkItem): SinkItem => {
  const { metaId: _m, ...item } = s.item;
  return { ...s, item: { ...item, op: 'create' } };
};
const asUpdate = (s: SinkItem, targetId: string): SinkItem => ({
  ...s,
  item: { ...s.item, op: 'update', metaId: targetId },
});

interface Resolved {
  next: SinkItem[];
  done: ItemOutcome[];
  extra: Array<{ key: string; targetId: string }>;
}

/** PURE: what to do with each looked-up item, given what the target holds for it. */
export function resolveAgainst(
  sink: Pick<Sink, 'isCurrent'>,
  items: readonly SinkItem[],
  found: ReadonlyMap<string, readonly TargetRecord[]>,
): Resolved {
  const out: Resolved = { next: [], done: [], extra: [] };
  for (const raw of items) {
    const s = clean(raw);
    const recs = found.get(s.facts.key) ?? [];
    if (recs.length === 0) {
      out.next.push(asCreate(s));
      continue;
    }
    // Keep the record the state points at when it is there, else the first found; the rest are copies.
    const keep = recs.find((r) => r.targetId === s.item.metaId) ?? recs[0]!;
    for (const r of recs) if (r !== keep) out.extra.push({ key: s.facts.key, targetId: r.targetId });
    const wasUpdate = s.item.op === 'update' && s.item.metaId === keep.targetId;
    if (sink.isCurrent(keep, s.facts)) {
      // Already written (by our lost call): adopt it. A create adopted with copies counts every copy
      // as created; the copies are deleted (and counted) right after.
      out.done.push({
        kind: 'delivered',
        item: { ...s.item, ...(wasUpdate ? {} : { op: 'create' as const }), metaId: keep.targetId },
        targetId: keep.targetId,
        op: wasUpdate ? 'update' : 'create',
        ...(wasUpdate ? {} : { copies: recs.length }),
      });
    } else out.next.push(asUpdate(s, keep.targetId));
  }
  return out;
}

export async function deliverBatch<S, A>(
  sink: Sink<S, A>,
  batch: readonly SinkItem[],
  opts: DeliverOptions,
): Promise<BatchResult> {
  const final: ItemOutcome[] = [];
  let duplicatesRemoved = 0;
  let todo: readonly SinkItem[] = batch;
  let toResolve = new Set<string>();
  for (const s of todo) if (opts.resolveFirst || s.item.unsure) toResolve.add(s.facts.key);
  let intentWritten = false;

  for (let round = 0; round < MAX_ROUNDS && todo.length > 0; round++) {
    if (toResolve.size > 0) {
      const ask = todo.filter((s) => toResolve.has(s.facts.key));
      const rest = todo.filter((s) => !toResolve.has(s.facts.key));
      let found: Map<string, TargetRecord[]> | undefined;
      const askKeys = ask.map((s) => s.facts.key);
      await opts.beforeLookup?.(askKeys);
      try {
        found = await sink.lookup(askKeys, opts.guard);
      } catch (err) {
        if (err instanceof StopCalls) throw err;
        // Unknown whether they exist: try them again later, still unsure.
        for (const s of ask)
          final.push({
            kind: 'retryable',
            item: s.item,
            reason: `looking the record up failed: ${(err as Error).message}`,
            unsure: true,
          });
      }
      if (found) {
        const r = resolveAgainst(sink, ask, found);
        let removedOk = true;
        if (r.extra.length > 0) {
          try {
            const res = await sink.remove(
              r.extra.map((e) => e.targetId),
              opts.guard,
            );
            duplicatesRemoved += res.gone.length;
            removedOk = res.failed.length === 0;
          } catch (err) {
            if (err instanceof StopCalls) throw err;
            removedOk = false;
          }
        }
        const dupKeys = new Set(r.extra.map((e) => e.key));
        for (const o of r.done) {
          // Copies left behind: resolve again next time rather than claim the object is clean.
          if (!removedOk && dupKeys.has(o.item.key))
            final.push({ kind: 'retryable', item: o.item, reason: 'extra copies not removed', unsure: true });
          else final.push(o);
        }
        todo = [...rest, ...r.next];
      } else todo = rest;
      toResolve = new Set();
      if (todo.length === 0) break;
    }

    if (!intentWritten) {
      await opts.beforeWrite();
      intentWritten = true;
    }
    const sent = await sink.send(todo, opts.guard);
    const answer = await sink.confirm(todo, sent, opts.guard);
    const verdict: BatchVerdict = sink.classify(todo, answer);
    if (verdict.fatal) {
      for (const s of todo) final.push({ kind: 'retryable', item: s.item, reason: verdict.fatal });
      return { outcomes: final, fatal: verdict.fatal, duplicatesRemoved };
    }
    const next: SinkItem[] = [];
    const lastRound = round + 1 >= MAX_ROUNDS;
    // Built only when an outcome needs another round (most batches: none does).
    let byKey: Map<string, SinkItem> | undefined;
    for (const o of verdict.outcomes) {
      if (o.kind !== 'retryable' || o.throttled || lastRound || (!o.heal && !o.unsure)) {
        final.push(o);
        continue;
      }
      byKey ??= new Map(todo.map((s) => [s.facts.key, s]));
      const s = byKey.get(o.item.key);
      if (!s) {
        final.push(o);
        continue;
      }
      if (o.unsure) {
        toResolve.add(s.facts.key);
        next.push(s);
      } else if (o.heal?.op === 'update' && o.heal.targetId) next.push(asUpdate(s, o.heal.targetId));
      else if (o.heal?.op === 'update') {
        toResolve.add(s.facts.key);
        next.push(s);
      } else next.push(asCreate(s));
    }
    todo = next;
  }
  return { outcomes: final, duplicatesRemoved };
}
