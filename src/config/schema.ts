// The validated, readonly Config. Defaults live here and nowhere else.
//
// zod is loaded on first use (synchronously, its CommonJS build: the loaders are synchronous), not when this
// module is imported: it is about 5 MB of RSS, and a worker reads only the Redis options at start, which the
// plain checks of plainRedisOptions accept without it. A binding is parsed with zod when a job brings one.
import { createRequire } from 'node:module';
import type * as Zod from 'zod';
import { FINGERPRINT_MODES } from './options.ts';

const require = createRequire(import.meta.url);

/** http(s) only: ftp:, file: or javascript: URLs would be accepted by a plain URL check and then hang a run. */
export function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** A host name or IP with an optional port, the form the PAI SDK expects as its endpoint. */
export function isHostPort(v: string): boolean {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::(\d{1,5}))?$/.exec(v);
  if (!m) return false;
  return m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 65_535);
}

const REDIS_DEFAULTS = { url: 'redis://127.0.0.1:6379', cluster: false, prefix: '{oss-pai-sync}' };
const QUEUE_PREFIX = /^\{[^{}:]+\}$/;
const isRedisUrlList = (u: string) => u.split(',').every((part) => /^rediss?:\/\//.test(part.trim()));
const seedsWithoutCluster = (r: { url: string; cluster: boolean }) =>
  !r.cluster && r.url.split(',').length > 1;

function build(z: typeof Zod.z) {
  const bucketName = z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
      'must be 3-63 characters of a-z, 0-9 and -, not starting or ending with -',
    );

  // IMM's documented naming rule for datasets (and, by the same rule, projects).
  const immName = z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/,
      'must be 1-128 letters, digits, - and _, starting with a letter or _',
    );

  const positiveInt = (max: number) => z.number().int().min(1).max(max);

  return z.object({
    source: z.object({
      bucket: bucketName,
      prefix: z
        .string()
        .default('')
        .refine((p) => !p.startsWith('/'), 'must not start with "/" (OSS keys have no leading slash)'),
      region: z
        .string()
        .default('cn-hangzhou')
        .transform((r) => r.replace(/^oss-/, '')),
      endpoint: z
        .string()
        .refine(isHttpUrl, 'must be an http:// or https:// URL such as https://oss-cn-hangzhou.aliyuncs.com')
        .optional(),
      pathStyle: z.boolean().default(false),
      include: z.array(z.string().min(1)).default([]),
      exclude: z.array(z.string().min(1)).default([]),
    }),
    target: z.object({
      /** Which service the binding writes to: a PAI dataset (default) or an IMM dataset. */
      kind: z.enum(['pai', 'imm']).default('pai'),
      /** Required for PAI targets (checked in load.ts, which knows the target kind). */
      workspaceId: z.string().default(''),
      datasetId: z.string().min(1).optional(),
      datasetName: z.string().min(1).max(127).optional(),
      datasetEdition: z.enum(['ADVANCED', 'LOGICAL']).default('ADVANCED'),
      datasetVersion: z.string().min(1).default('v1'),
      endpoint: z
        .string()
        .refine(
          isHostPort,
          'must be host[:port] such as aiworkspace.cn-hangzhou.aliyuncs.com, without a scheme (http or https goes in --pai-protocol)',
        )
        .optional(),
      protocol: z.enum(['https', 'http']).default('https'),
      immProject: immName.optional(),
      immDataset: immName.optional(),
      immEndpoint: z
        .string()
        .refine(
          isHostPort,
          'must be host[:port] such as imm.cn-hangzhou.aliyuncs.com, without a scheme (http or https goes in --imm-protocol)',
        )
        .optional(),
      immProtocol: z.enum(['https', 'http']).default('https'),
      immTemplateId: z.string().min(1).optional(),
    }),
    redis: z
      .object({
        url: z
          .string()
          .refine(
            isRedisUrlList,
            'must start with redis:// or rediss:// (several URLs: comma-separated, each with its scheme)',
          )
          .default(REDIS_DEFAULTS.url),
        cluster: z.boolean().default(REDIS_DEFAULTS.cluster),
        prefix: z
          .string()
          .regex(QUEUE_PREFIX, 'must be a hash tag such as {oss-pai-sync} (braces, no colon)')
          .default(REDIS_DEFAULTS.prefix),
      })
      .superRefine((r, ctx) => {
        if (seedsWithoutCluster(r)) {
          ctx.addIssue({
            code: 'custom',
            path: ['url'],
            message:
              'several URLs are the seed nodes of a Redis Cluster: add --redis-cluster (redisCluster: true)',
          });
        }
      }),
    options: z.object({
      fingerprint: z.enum(FINGERPRINT_MODES).default('etag'),
      batchMaxItems: positiveInt(100).default(100),
      batchMaxBytes: z.number().int().min(4096).default(1_048_576),
      listConcurrency: positiveInt(64).default(4),
      fingerprintConcurrency: positiveInt(256).default(16),
      apiConcurrency: positiveInt(64).default(4),
      apiRps: z.number().int().min(0).default(10),
      delete: z.boolean().default(true),
      maxDelete: z.number().int().min(0).default(10_000),
      maxRetries: z.number().int().min(0).max(50).default(8),
    }),
  });
}

let schema: ReturnType<typeof build> | undefined;

/** The whole schema, zod loaded and the schema built on the first call. */
export function configSchema(): ReturnType<typeof build> {
  return (schema ??= build((require('zod') as typeof Zod).z));
}

export type Config = Readonly<Zod.z.infer<ReturnType<typeof build>>>;
export type SourceConfig = Config['source'];
export type TargetConfig = Config['target'];
export type SyncOptions = Config['options'];
export type RedisConfig = Config['redis'];

/**
 * The Redis options as configSchema().shape.redis would return them, when every value given passes the same
 * checks; undefined otherwise (then zod parses them, to word the problems exactly as for any other option).
 */
export function plainRedisOptions(input: Record<string, unknown>): RedisConfig | undefined {
  const {
    url = REDIS_DEFAULTS.url,
    cluster = REDIS_DEFAULTS.cluster,
    prefix = REDIS_DEFAULTS.prefix,
  } = input;
  if (typeof url !== 'string' || !isRedisUrlList(url)) return undefined;
  if (typeof cluster !== 'boolean') return undefined;
  if (typeof prefix !== 'string' || !QUEUE_PREFIX.test(prefix)) return undefined;
  if (seedsWithoutCluster({ url, cluster })) return undefined;
  return { url, cluster, prefix };
}
