// The option table: one row per setting, the single place for names, flags, defaults, units and help.
// The CLI builds its flags from it and the loader validates against it, so the three cannot drift apart.

export type OptionKind = 'string' | 'int' | 'bool' | 'list' | 'enum';

export interface OptionSpec {
  /** camelCase name, as used in config files and in the validated Config. */
  name: string;
  /** Where in the Config object the value lands. */
  path: readonly ['source' | 'target' | 'options' | 'redis', string];
  kind: OptionKind;
  /** Flag as the CLI spells it (without the leading --). */
  flag: string;
  /** Placeholder shown in --help. */
  arg?: string;
  values?: readonly string[];
  help: string;
}

export const FINGERPRINT_MODES = ['etag', 'crc64', 'content-md5'] as const;
export type FingerprintMode = (typeof FINGERPRINT_MODES)[number];

export const OPTION_TABLE: readonly OptionSpec[] = [
  {
    name: 'bucket',
    path: ['source', 'bucket'],
    kind: 'string',
    flag: 'bucket',
    arg: 'NAME',
    help: 'OSS bucket to read',
  },
  {
    name: 'prefix',
    path: ['source', 'prefix'],
    kind: 'string',
    flag: 'prefix',
    arg: 'PREFIX',
    help: 'only objects under this prefix (default: the whole bucket)',
  },
  {
    name: 'ossEndpoint',
    path: ['source', 'endpoint'],
    kind: 'string',
    flag: 'oss-endpoint',
    arg: 'URL',
    help: 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:9090 (default: from the region)',
  },
  {
    name: 'ossRegion',
    path: ['source', 'region'],
    kind: 'string',
    flag: 'oss-region',
    arg: 'REGION',
    help: 'OSS region, e.g. cn-hangzhou (default cn-hangzhou)',
  },
  {
    name: 'ossPathStyle',
    path: ['source', 'pathStyle'],
    kind: 'bool',
    flag: 'oss-path-style',
    help: 'path-style addressing (/bucket/key) instead of virtual-host style',
  },
  {
    name: 'include',
    path: ['source', 'include'],
    kind: 'list',
    flag: 'include',
    arg: 'GLOB',
    help: 'only keys matching this glob (relative to the prefix; repeatable)',
  },
  {
    name: 'exclude',
    path: ['source', 'exclude'],
    kind: 'list',
    flag: 'exclude',
    arg: 'GLOB',
    help: 'skip keys matching this glob (relative to the prefix; repeatable)',
  },
  {
    name: 'target',
    path: ['target', 'kind'],
    kind: 'enum',
    values: ['pai', 'imm'],
    flag: 'target',
    arg: 'KIND',
    help: 'write to a PAI dataset (pai, default) or an IMM dataset (imm: --imm-project, --imm-dataset)',
  },
  {
    name: 'immProject',
    path: ['target', 'immProject'],
    kind: 'string',
    flag: 'imm-project',
    arg: 'NAME',
    help: 'IMM project (must exist; with --target imm)',
  },
  {
    name: 'immDataset',
    path: ['target', 'immDataset'],
    kind: 'string',
    flag: 'imm-dataset',
    arg: 'NAME',
    help: 'IMM dataset (created when missing; with --target imm)',
  },
  {
    name: 'immEndpoint',
    path: ['target', 'immEndpoint'],
    kind: 'string',
    flag: 'imm-endpoint',
    arg: 'HOST',
    help: 'IMM endpoint host[:port] (default imm.<region>.aliyuncs.com)',
  },
  {
    name: 'immProtocol',
    path: ['target', 'immProtocol'],
    kind: 'enum',
    values: ['https', 'http'],
    flag: 'imm-protocol',
    arg: 'PROTO',
    help: 'https (default) or http (emulator)',
  },
  {
    name: 'immTemplateId',
    path: ['target', 'immTemplateId'],
    kind: 'string',
    flag: 'imm-template-id',
    arg: 'ID',
    help: 'workflow template of an IMM dataset this tool creates (e.g. Official:ImageManagement)',
  },
  {
    name: 'workspaceId',
    path: ['target', 'workspaceId'],
    kind: 'string',
    flag: 'workspace-id',
    arg: 'ID',
    help: 'PAI workspace id',
  },
  {
    name: 'datasetId',
    path: ['target', 'datasetId'],
    kind: 'string',
    flag: 'dataset-id',
    arg: 'ID',
    help: 'PAI dataset id (omit with --dataset-name to create one)',
  },
  {
    name: 'datasetName',
    path: ['target', 'datasetName'],
    kind: 'string',
    flag: 'dataset-name',
    arg: 'NAME',
    help: 'create the dataset with this name when no --dataset-id is given (Edition ADVANCED)',
  },
  {
    name: 'datasetEdition',
    path: ['target', 'datasetEdition'],
    kind: 'enum',
    values: ['ADVANCED', 'LOGICAL'],
    flag: 'dataset-edition',
    arg: 'EDITION',
    help: 'edition of a dataset this tool creates (default ADVANCED)',
  },
  {
    name: 'datasetVersion',
    path: ['target', 'datasetVersion'],
    kind: 'string',
    flag: 'dataset-version',
    arg: 'VERSION',
    help: 'dataset version (default v1)',
  },
  {
    name: 'paiEndpoint',
    path: ['target', 'endpoint'],
    kind: 'string',
    flag: 'pai-endpoint',
    arg: 'HOST',
    help: "PAI endpoint host[:port] (default: the official SDK's host for the OSS region; several regions use aiworkspace.aliyuncs.com)",
  },
  {
    name: 'paiProtocol',
    path: ['target', 'protocol'],
    kind: 'enum',
    values: ['https', 'http'],
    flag: 'pai-protocol',
    arg: 'PROTO',
    help: 'https (default) or http (emulator)',
  },
  {
    name: 'redisUrl',
    path: ['redis', 'url'],
    kind: 'string',
    flag: 'redis-url',
    arg: 'URL',
    help: 'redis:// or rediss:// URL; with --redis-cluster, comma-separated seed URLs (default: $REDIS_URL, else redis://127.0.0.1:6379)',
  },
  {
    name: 'redisCluster',
    path: ['redis', 'cluster'],
    kind: 'bool',
    flag: 'redis-cluster',
    help: 'the Redis URL(s) are seed nodes of a Redis Cluster (default: $REDIS_CLUSTER=1, else off)',
  },
  {
    name: 'queuePrefix',
    path: ['redis', 'prefix'],
    kind: 'string',
    flag: 'queue-prefix',
    arg: 'PREFIX',
    help: 'Redis key prefix, hash-tagged for Redis Cluster (default {oss-pai-sync})',
  },
  {
    name: 'fingerprint',
    path: ['options', 'fingerprint'],
    kind: 'enum',
    values: FINGERPRINT_MODES,
    flag: 'fingerprint',
    arg: 'MODE',
    help: 'etag (free, from the listing; default) | crc64 (one HEAD per changed object) | content-md5 (reads every changed object)',
  },
  {
    name: 'batchMaxItems',
    path: ['options', 'batchMaxItems'],
    kind: 'int',
    flag: 'batch-max-items',
    arg: 'N',
    help: 'records per API call, 1-100 (default 100)',
  },
  {
    name: 'batchMaxBytes',
    path: ['options', 'batchMaxBytes'],
    kind: 'int',
    flag: 'batch-max-bytes',
    arg: 'BYTES',
    help: 'request body bytes per API call (default 1048576)',
  },
  {
    name: 'listConcurrency',
    path: ['options', 'listConcurrency'],
    kind: 'int',
    flag: 'list-concurrency',
    arg: 'N',
    help: 'listing pages fetched at once per worker process (default 4)',
  },
  {
    name: 'fingerprintConcurrency',
    path: ['options', 'fingerprintConcurrency'],
    kind: 'int',
    flag: 'fingerprint-concurrency',
    arg: 'N',
    help: 'HEAD/GET requests at once per sync job (default 16)',
  },
  {
    name: 'apiConcurrency',
    path: ['options', 'apiConcurrency'],
    kind: 'int',
    flag: 'api-concurrency',
    arg: 'N',
    help: 'PAI calls in flight across all workers (default 4)',
  },
  {
    name: 'apiRps',
    path: ['options', 'apiRps'],
    kind: 'int',
    flag: 'api-rps',
    arg: 'N',
    help: 'PAI calls per second across all workers, 0 = unlimited (default 10)',
  },
  {
    name: 'delete',
    path: ['options', 'delete'],
    kind: 'bool',
    flag: 'delete',
    help: 'delete records whose object is gone at the end of a complete run (default on; --no-delete turns it off)',
  },
  {
    name: 'maxDelete',
    path: ['options', 'maxDelete'],
    kind: 'int',
    flag: 'max-delete',
    arg: 'N',
    help: 'refuse a sweep that would delete more than N records (default 10000)',
  },
  {
    name: 'maxRetries',
    path: ['options', 'maxRetries'],
    kind: 'int',
    flag: 'max-retries',
    arg: 'N',
    help: 'requeues of a retryable item before it is dead-lettered (default 8)',
  },
];

export function optionByName(name: string): OptionSpec | undefined {
  return OPTION_TABLE.find((o) => o.name === name);
}
