// Everything the cases share: the emulator process, Redis, the harness's own product services (to start
// runs and watch them; the work is done by worker PROCESSES), and the flat config of a binding.
import type { FlatConfig } from '../../src/config/load.ts';
import { buildConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { staticCredentials } from '../../src/config/credentials.ts';
import { EMULATOR_KEY } from '../../src/demo/local-cloud.ts';
import { createServices, type Services } from '../../src/runs/services.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
import type { EmulatorClient } from './emulator-client.ts';

export const WORKSPACE_ID = 'ws-bench';

export interface BenchEnv {
  emu: EmulatorClient;
  redisUrl: string;
  queuePrefix: string;
  bucket: string;
  ossEndpoint: string;
  paiEndpoint: string;
  services: Services;
  workerCount: number;
  logDir: string;
  cpuProfDir?: string;
  workerNodeOptions?: string;
  config(extra: FlatConfig): Config;
}

export function makeBenchEnv(e: Omit<BenchEnv, 'services' | 'config'>): BenchEnv {
  const services = createServices({
    redisUrl: e.redisUrl,
    prefix: e.queuePrefix,
    credentials: staticCredentials(EMULATOR_KEY),
    logger: silentLogger(),
  });
  const flat = (extra: FlatConfig): FlatConfig => ({
    bucket: e.bucket,
    ossEndpoint: e.ossEndpoint,
    paiEndpoint: e.paiEndpoint,
    paiProtocol: 'http',
    workspaceId: WORKSPACE_ID,
    redisUrl: e.redisUrl,
    queuePrefix: e.queuePrefix,
    // The emulator is unlimited unless a case limits it; the default 10 calls/s protects the real PAI.
    apiRps: 0,
    ...extra,
  });
  return { ...e, services, config: (extra) => buildConfig(flat(extra), {}, {}) };
}
