// The one place that knows which sink a binding writes to (PAI dataset or IMM dataset). Workers,
// `state rebuild` and anything else that needs the target get it here, with the binding's Redis-wide API
// gate (shared with running workers).
import type { RedisClient } from '../queue/connection.ts';
import { ApiGate } from '../queue/api-gate.ts';
import type { Keys } from '../queue/keys.ts';
import type { RunBinding } from '../runs/run-types.ts';
import type { Adapters } from '../sync/context.ts';
import { immGateScope, immTarget } from './imm/binding-target.ts';
import { createImmSink } from './imm/imm-sink.ts';
import { createPaiSink } from './pai/pai-sink.ts';
import type { Sink } from './sink.ts';

export function gateFor(deps: { redis: RedisClient; keys: Keys }, binding: RunBinding): ApiGate {
  const imm = immTarget(binding.target);
  // IMM throttles per project; PAI per workspace (both per endpoint or region).
  const scope = imm
    ? immGateScope(binding.target, binding.source.region)
    : `${binding.target.endpoint ?? binding.source.region}|${binding.target.workspaceId}`;
  return new ApiGate(deps.redis, deps.keys.gate(scope), {
    rps: binding.options.apiRps,
    concurrency: binding.options.apiConcurrency,
  });
}

export async function sinkFor(
  deps: { redis: RedisClient; keys: Keys } & Pick<Adapters, 'makeDatasetApi' | 'makeImmApi'>,
  binding: RunBinding,
): Promise<{ sink: Sink; gate: ApiGate }> {
  const gate = gateFor(deps, binding);
  const o = binding.options;
  const imm = immTarget(binding.target);
  const sink: Sink = imm
    ? (createImmSink({
        api: await deps.makeImmApi(binding.target, binding.source),
        target: imm,
        gate,
        bucket: binding.source.bucket,
        batchMaxItems: o.batchMaxItems,
      }) as Sink)
    : (createPaiSink({
        api: await deps.makeDatasetApi(binding.target, binding.source),
        target: binding.target,
        gate,
        bucket: binding.source.bucket,
        batchMaxItems: o.batchMaxItems,
        batchMaxBytes: o.batchMaxBytes,
      }) as Sink);
  return { sink, gate };
}
