// Splits a bucket/prefix into disjoint key ranges so many workers list in parallel. Boundaries come from
// delimiter discovery ("/") to a bounded depth and a bounded number of partitions; every key falls in
// exactly one range (bounds are exclusive, and a boundary itself is a folder marker, which is never synced).
import { compareKeys } from '../oss/key-order.ts';
import type { ObjectStore } from '../oss/object-store.ts';
import type { Partition } from '../queue/payloads.ts';

export interface DiscoveryOptions {
  depth: number;
  maxPartitions: number;
}

async function commonPrefixes(
  store: ObjectStore,
  prefix: string,
  budget: number,
): Promise<{ prefixes: string[]; truncated: boolean }> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.listPage({
      prefix,
      delimiter: '/',
      maxKeys: 1000,
      ...(token ? { continuationToken: token } : {}),
    });
    out.push(...page.commonPrefixes);
    token = page.nextContinuationToken;
    if (out.length >= budget) return { prefixes: out.slice(0, budget), truncated: true };
  } while (token);
  return { prefixes: out, truncated: false };
}

export async function discoverBoundaries(
  store: ObjectStore,
  prefix: string,
  opts: DiscoveryOptions,
): Promise<string[]> {
  let boundaries: string[] = [];
  let level = [prefix];
  for (let d = 0; d < opts.depth; d++) {
    const next: string[] = [];
    for (const p of level) {
      const { prefixes } = await commonPrefixes(store, p, opts.maxPartitions);
      next.push(...prefixes);
      // Past the width budget, stop splitting deeper: the ranges stay correct, only coarser.
      if (next.length >= opts.maxPartitions) break;
    }
    if (next.length === 0 || next.length > opts.maxPartitions) break;
    boundaries = next;
    level = next;
    if (next.length >= opts.maxPartitions) break;
  }
  return [...new Set(boundaries)].sort(compareKeys);
}

export function partitionsFromBoundaries(boundaries: readonly string[]): Partition[] {
  if (boundaries.length === 0) return [{ id: 'p0' }];
  const parts: Partition[] = [{ id: 'p0', before: boundaries[0]! }];
  boundaries.forEach((b, i) => {
    const next = boundaries[i + 1];
    parts.push({ id: `p${i + 1}`, after: b, ...(next !== undefined ? { before: next } : {}) });
  });
  return parts;
}
