// The Alibaba Cloud SDK packages are CommonJS compiled from TypeScript (`exports.default = Class`). Node's
// ESM loader hands them over as `module.exports` (class on `.default`), while bundler-style loaders (vitest)
// unwrap `.default` once. This picks the real export either way.
export function cjsDefault<T>(ns: unknown, isIt: (v: unknown) => boolean): T {
  const candidates = [
    (ns as { default?: { default?: unknown } })?.default?.default,
    (ns as { default?: unknown })?.default,
    ns,
  ];
  const hit = candidates.find(isIt);
  if (!hit) throw new Error('unexpected module shape of an Alibaba Cloud SDK package');
  return hit as T;
}

export function cjsNamed<T>(ns: unknown, name: string): T {
  const direct = (ns as Record<string, unknown>)[name];
  if (direct !== undefined) return direct as T;
  const viaDefault = (ns as { default?: Record<string, unknown> }).default?.[name];
  if (viaDefault !== undefined) return viaDefault as T;
  throw new Error(`export ${name} not found in an Alibaba Cloud SDK package`);
}
