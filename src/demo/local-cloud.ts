// A whole local cloud in one call: the OSS and PAI emulators, a bucket, and the product's services wired to
// them through the real clients with static credentials. Used by `demo`, the integration tests and the bench.
import OSS from 'ali-oss';
import { staticCredentials, type AccessKey, type CredentialSource } from '../config/credentials.ts';
import type { FlatConfig } from '../config/load.ts';
import { buildConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { startOssEmulator, type OssEmulator, type OssEmulatorOptions } from '../emulators/oss/index.ts';
import { startPaiEmulator, type PaiEmulator, type PaiEmulatorOptions } from '../emulators/pai/index.ts';
import { startImmEmulator, type ImmEmulator, type ImmEmulatorOptions } from '../emulators/imm/index.ts';
import { createServices, type Services } from '../runs/services.ts';
import type { Logger } from '../telemetry/logger.ts';

export const LOCAL_IMM_PROJECT = 'local-project';

export const EMULATOR_KEY: AccessKey = { accessKeyId: 'emulator-ak', accessKeySecret: 'emulator-secret' };

export interface LocalCloudOptions {
  redisUrl: string;
  /** redisUrl holds seed node(s) of a Redis Cluster. */
  redisCluster?: boolean;
  prefix: string;
  bucket: string;
  workspaceId?: string;
  oss?: OssEmulatorOptions;
  pai?: PaiEmulatorOptions;
  imm?: ImmEmulatorOptions;
  logger?: Logger;
  maxQueuedSyncJobs?: number;
  /** The key both emulators accept and the services use (default EMULATOR_KEY; may carry an STS token). */
  accessKey?: AccessKey;
}

export interface LocalCloud {
  oss: OssEmulator;
  pai: PaiEmulator;
  /** The IMM emulator, with project LOCAL_IMM_PROJECT, reading objects from `oss` as IMM reads OSS. */
  imm: ImmEmulator;
  services: Services;
  credentials: CredentialSource;
  bucket: string;
  workspaceId: string;
  /** A validated Config for this cloud; extra values override (e.g. { datasetId, prefix, fingerprint }). */
  config(extra?: FlatConfig): Config;
  /** The same as flat values, for config files and CLI flags. */
  flat(extra?: FlatConfig): FlatConfig;
  /** A real ali-oss client for the bucket, as a user's upload job would use (V4 signatures). */
  ossClient(): OSS;
  close(): Promise<void>;
}

export async function startLocalCloud(opts: LocalCloudOptions): Promise<LocalCloud> {
  const key = opts.accessKey ?? EMULATOR_KEY;
  const oss = await startOssEmulator({ credentials: [key], ...opts.oss });
  const pai = await startPaiEmulator({ credentials: [key], ...opts.pai });
  const imm = await startImmEmulator({
    credentials: [key],
    projects: [LOCAL_IMM_PROJECT],
    objectSource: { headObject: (bucket, k) => oss.store.headObject(bucket, k) },
    ...opts.imm,
  });
  if (!oss.store.hasBucket(opts.bucket)) oss.store.createBucket(opts.bucket);
  const credentials = staticCredentials(key);
  const services = createServices({
    redisUrl: opts.redisUrl,
    ...(opts.redisCluster ? { redisCluster: true } : {}),
    prefix: opts.prefix,
    credentials,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.maxQueuedSyncJobs ? { maxQueuedSyncJobs: opts.maxQueuedSyncJobs } : {}),
  });
  const workspaceId = opts.workspaceId ?? 'ws-local';
  const flat = (extra: FlatConfig = {}): FlatConfig => ({
    bucket: opts.bucket,
    ossEndpoint: oss.endpoint,
    paiEndpoint: pai.endpoint,
    paiProtocol: 'http',
    // Used only by bindings with target imm.
    immEndpoint: imm.endpoint,
    immProtocol: 'http',
    workspaceId,
    redisUrl: opts.redisUrl,
    ...(opts.redisCluster ? { redisCluster: true } : {}),
    queuePrefix: opts.prefix,
    apiRps: 0,
    ...extra,
  });
  return {
    oss,
    pai,
    imm,
    services,
    credentials,
    bucket: opts.bucket,
    workspaceId,
    flat,
    config: (extra = {}) => buildConfig(flat(extra), {}, {}),
    ossClient: () =>
      new OSS({
        ...key,
        bucket: opts.bucket,
        endpoint: oss.endpoint,
        region: 'oss-cn-hangzhou',
        authorizationV4: true,
      } as OSS.Options),
    async close() {
      await services.close();
      await Promise.all([oss.close(), pai.close(), imm.close()]);
    },
  };
}
