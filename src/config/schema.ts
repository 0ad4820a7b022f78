// The validated, readonly Config. Defaults live here and nowhere else.
import { z } from 'zod';
import { FINGERPRINT_MODES } from './options.ts';

const bucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    'must be 3-63 characters of a-z, 0-9 and -, not starting or ending with -',
  );

const positiveInt = (max: number) => z.number().int().min(1).max(max);

export const configSchema = z.object({
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
    endpoint: z.string().url('must be a URL such as https://oss-cn-hangzhou.aliyuncs.com').optional(),
    pathStyle: z.boolean().default(false),
    include: z.array(z.string().min(1)).default([]),
    exclude: z.array(z.string().min(1)).default([]),
  }),
  target: z.object({
    workspaceId: z.string().min(1, 'is required'),
    datasetId: z.string().min(1).optional(),
    datasetName: z.string().min(1).max(127).optional(),
    datasetEdition: z.enum(['ADVANCED', 'LOGICAL']).default('ADVANCED'),
    datasetVersion: z.string().min(1).default('v1'),
    endpoint: z.string().min(1).optional(),
    protocol: z.enum(['https', 'http']).default('https'),
  }),
  redis: z.object({
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .default('redis://127.0.0.1:6379'),
    prefix: z
      .string()
      .regex(/^\{[^{}:]+\}$/, 'must be a hash tag such as {oss-pai-sync} (braces, no colon)')
      .default('{oss-pai-sync}'),
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

export type Config = Readonly<z.infer<typeof configSchema>>;
export type SourceConfig = Config['source'];
export type TargetConfig = Config['target'];
export type SyncOptions = Config['options'];
