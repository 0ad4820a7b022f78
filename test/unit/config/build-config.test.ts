// buildConfig: file values and flags merge (flags win), flag strings are coerced by the option's kind, and
// every problem is reported at once in a single ConfigError.
import { describe, expect, it } from 'vitest';
import { buildConfig, ConfigError, type FlatConfig } from '../../../src/config/load.ts';
import { OPTION_TABLE } from '../../../src/config/options.ts';

/** The smallest valid input: a bucket, a workspace and a dataset. */
const MINIMAL: FlatConfig = { bucket: 'my-bucket', workspaceId: 'ws-1', datasetId: 'd-1' };
const NO_ENV: NodeJS.ProcessEnv = {};

/** Runs buildConfig expecting a ConfigError and returns its problems. */
function problemsOf(file: FlatConfig, flags: FlatConfig = {}, env: NodeJS.ProcessEnv = NO_ENV): string[] {
  try {
    buildConfig(file, flags, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected buildConfig to throw a ConfigError');
}

describe('buildConfig: defaults and merging', () => {
  it('fills every default from the schema for a minimal config', () => {
    const c = buildConfig(MINIMAL, {}, NO_ENV);
    expect(c.source).toEqual({
      bucket: 'my-bucket',
      prefix: '',
      region: 'cn-hangzhou',
      pathStyle: false,
      include: [],
      exclude: [],
    });
    expect(c.target).toEqual({
      kind: 'pai',
      workspaceId: 'ws-1',
      datasetId: 'd-1',
      datasetEdition: 'ADVANCED',
      datasetVersion: 'v1',
      protocol: 'https',
      immProtocol: 'https',
    });
    expect(c.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: '{oss-pai-sync}', cluster: false });
    expect(c.options).toEqual({
      fingerprint: 'etag',
      batchMaxItems: 100,
      batchMaxBytes: 1_048_576,
      listConcurrency: 4,
      fingerprintConcurrency: 16,
      apiConcurrency: 4,
      apiRps: 10,
      delete: true,
      maxDelete: 10_000,
      maxRetries: 8,
    });
  });

  it('lets a flag win over the same option from the file', () => {
    const c = buildConfig(
      { ...MINIMAL, prefix: 'from-file/', apiRps: 5 },
      { prefix: 'from-flag/', apiRps: 7 },
      NO_ENV,
    );
    expect(c.source.prefix).toBe('from-flag/');
    expect(c.options.apiRps).toBe(7);
  });

  it('keeps the file value when the flag is present but undefined (flag not given)', () => {
    const c = buildConfig({ ...MINIMAL, prefix: 'from-file/' }, { prefix: undefined }, NO_ENV);
    expect(c.source.prefix).toBe('from-file/');
  });

  it('lets a false flag override a true file value (--no-delete)', () => {
    const c = buildConfig({ ...MINIMAL, delete: true }, { delete: false }, NO_ENV);
    expect(c.options.delete).toBe(false);
  });

  it('maps each camelCase option name onto its place in the nested config', () => {
    const c = buildConfig(
      {
        ...MINIMAL,
        ossEndpoint: 'http://127.0.0.1:9090',
        ossRegion: 'oss-cn-beijing',
        paiEndpoint: '127.0.0.1:9091',
        paiProtocol: 'http',
        datasetVersion: 'v3',
        datasetEdition: 'LOGICAL',
        fingerprint: 'crc64',
      },
      {},
      NO_ENV,
    );
    expect(c.source.endpoint).toBe('http://127.0.0.1:9090');
    // The region accepts the "oss-" spelling of OSS endpoints and drops it.
    expect(c.source.region).toBe('cn-beijing');
    expect(c.target.endpoint).toBe('127.0.0.1:9091');
    expect(c.target.protocol).toBe('http');
    expect(c.target.datasetVersion).toBe('v3');
    expect(c.target.datasetEdition).toBe('LOGICAL');
    expect(c.options.fingerprint).toBe('crc64');
  });

  it('returns a frozen object', () => {
    const c = buildConfig(MINIMAL, {}, NO_ENV);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('has one unique name and one unique flag per option in the table', () => {
    const names = OPTION_TABLE.map((o) => o.name);
    const flags = OPTION_TABLE.map((o) => o.flag);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(flags).size).toBe(flags.length);
  });
});

describe('buildConfig: coercion of flag strings', () => {
  it.each([
    ['batchMaxItems', '50', 50],
    ['maxDelete', '0', 0],
    ['apiRps', ' 12 ', 12],
  ])('int option %s from "%s" becomes %d', (name, raw, expected) => {
    const c = buildConfig(MINIMAL, { [name]: raw }, NO_ENV);
    expect((c.options as Record<string, unknown>)[name]).toBe(expected);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['No', false],
    ['off', false],
  ])('bool option from "%s" becomes %s', (raw, expected) => {
    const c = buildConfig(MINIMAL, { ossPathStyle: raw }, NO_ENV);
    expect(c.source.pathStyle).toBe(expected);
  });

  it('wraps a single string of a list option into a list', () => {
    const c = buildConfig(MINIMAL, { include: '*.jpg', exclude: ['tmp/**', '*.bak'] }, NO_ENV);
    expect(c.source.include).toEqual(['*.jpg']);
    expect(c.source.exclude).toEqual(['tmp/**', '*.bak']);
  });

  it.each(['ten', '1.5', '1e3', '', '0x10'])(
    'rejects "%s" for an int option, naming the option and the value',
    (raw) => {
      const problems = problemsOf(MINIMAL, { batchMaxItems: raw });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('batchMaxItems');
      expect(problems[0]).toContain(`"${raw}"`);
    },
  );

  it('rejects a bool string it does not know', () => {
    const problems = problemsOf(MINIMAL, { delete: 'maybe' });
    expect(problems).toEqual(['delete (--no-delete): expected true or false, got "maybe"']);
  });
});

describe('buildConfig: validation rules', () => {
  it('reports an unknown option name with the option it probably meant, naming its flag', () => {
    const problems = problemsOf({ ...MINIMAL, 'batch-max-items': 5 });
    expect(problems).toEqual([
      'batch-max-items: unknown option; did you mean batchMaxItems (--batch-max-items)?',
    ]);
  });

  it.each([
    ['workpaceId', 'workspaceId (--workspace-id)'],
    ['WorkspaceID', 'workspaceId (--workspace-id)'],
    ['bukcet', 'bucket (--bucket)'],
    ['apiRPS', 'apiRps (--api-rps)'],
    ['max_delete', 'maxDelete (--max-delete)'],
  ])('a typo %s suggests %s, once, without a second "is required" for the same option', (typo, meant) => {
    const flat: Record<string, unknown> = { bucket: 'my-bucket', workspaceId: 'ws-1', datasetId: 'd-1' };
    const real = meant.split(' ')[0]!;
    delete flat[real];
    const problems = problemsOf({ ...flat, [typo]: 'x' });
    expect(problems).toEqual([`${typo}: unknown option; did you mean ${meant}?`]);
  });

  it('a name close to nothing gets no guess, and no list of every option', () => {
    const problems = problemsOf({ ...MINIMAL, colour: 'blue' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^colour: unknown option \(the options are listed in README/);
    expect(problems[0]).not.toContain('workspaceId');
  });

  it('a typo of datasetId does not also ask for a dataset', () => {
    expect(problemsOf({ bucket: 'my-bucket', workspaceId: 'ws-1', datasetID: 'd-1' })).toEqual([
      'datasetID: unknown option; did you mean datasetId (--dataset-id)?',
    ]);
  });

  it.each([
    ['ftp://oss.example.com', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['oss-cn-hangzhou.aliyuncs.com', false],
    ['http://127.0.0.1:9090', true],
    ['https://oss-cn-hangzhou.aliyuncs.com', true],
  ])('ossEndpoint %s accepted: %s', (endpoint, ok) => {
    if (ok)
      expect(buildConfig({ ...MINIMAL, ossEndpoint: endpoint }, {}, NO_ENV).source.endpoint).toBe(endpoint);
    else
      expect(problemsOf({ ...MINIMAL, ossEndpoint: endpoint })).toEqual([
        'ossEndpoint (--oss-endpoint): must be an http:// or https:// URL such as https://oss-cn-hangzhou.aliyuncs.com',
      ]);
  });

  it.each([
    ['http://127.0.0.1:9091', false],
    ['https://aiworkspace.cn-hangzhou.aliyuncs.com', false],
    ['host:70000', false],
    ['a b', false],
    ['127.0.0.1:9091', true],
    ['aiworkspace.cn-hangzhou.aliyuncs.com', true],
    ['[::1]:9091', true],
  ])('paiEndpoint %s accepted: %s', (endpoint, ok) => {
    if (ok)
      expect(buildConfig({ ...MINIMAL, paiEndpoint: endpoint }, {}, NO_ENV).target.endpoint).toBe(endpoint);
    else {
      const problems = problemsOf({ ...MINIMAL, paiEndpoint: endpoint });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^paiEndpoint \(--pai-endpoint\): must be host\[:port\].*--pai-protocol/);
    }
  });

  it('takes redisUrl from REDIS_URL when neither file nor flags give it', () => {
    const c = buildConfig(MINIMAL, {}, { REDIS_URL: 'redis://10.0.0.1:6380/2' });
    expect(c.redis.url).toBe('redis://10.0.0.1:6380/2');
  });

  it('prefers redisUrl from the file or flags over REDIS_URL', () => {
    const env = { REDIS_URL: 'redis://from-env:1' };
    expect(buildConfig({ ...MINIMAL, redisUrl: 'redis://from-file:2' }, {}, env).redis.url).toBe(
      'redis://from-file:2',
    );
    expect(
      buildConfig({ ...MINIMAL, redisUrl: 'redis://from-file:2' }, { redisUrl: 'rediss://from-flag:3' }, env)
        .redis.url,
    ).toBe('rediss://from-flag:3');
  });

  it('rejects a redis URL of another scheme', () => {
    const problems = problemsOf({ ...MINIMAL, redisUrl: 'http://127.0.0.1:6379' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^redisUrl \(--redis-url\): must start with redis:\/\//);
  });

  it('accepts datasetName instead of datasetId', () => {
    const c = buildConfig({ bucket: 'my-bucket', workspaceId: 'ws-1', datasetName: 'photos' }, {}, NO_ENV);
    expect(c.target.datasetName).toBe('photos');
    expect(c.target.datasetId).toBeUndefined();
  });

  it('requires datasetId or datasetName', () => {
    const problems = problemsOf({ bucket: 'my-bucket', workspaceId: 'ws-1' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('datasetId (--dataset-id)');
    expect(problems[0]).toContain('datasetName (--dataset-name)');
  });

  it.each(['abc', 'my-bucket-1', '0bucket', 'a'.repeat(63)])('accepts the bucket name %s', (bucket) => {
    expect(buildConfig({ ...MINIMAL, bucket }, {}, NO_ENV).source.bucket).toBe(bucket);
  });

  it.each(['ab', 'My-Bucket', '-bucket', 'bucket-', 'my_bucket', 'my.bucket', 'a'.repeat(64)])(
    'rejects the bucket name %s',
    (bucket) => {
      const problems = problemsOf({ ...MINIMAL, bucket });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^bucket \(--bucket\): must be 3-63 characters/);
    },
  );

  it('rejects a prefix with a leading slash and accepts one without', () => {
    expect(problemsOf({ ...MINIMAL, prefix: '/photos/' })).toEqual([
      'prefix (--prefix): must not start with "/" (OSS keys have no leading slash)',
    ]);
    expect(buildConfig({ ...MINIMAL, prefix: 'photos/' }, {}, NO_ENV).source.prefix).toBe('photos/');
  });

  it.each(['{tenant-a}', '{x}', '{oss pai}'])('accepts the hash-tagged queue prefix %s', (queuePrefix) => {
    expect(buildConfig({ ...MINIMAL, queuePrefix }, {}, NO_ENV).redis.prefix).toBe(queuePrefix);
  });

  it.each(['oss-pai-sync', '{}', '{a:b}', '{a}b', 'a{b}', '{a{b}}'])(
    'rejects the queue prefix %s',
    (queuePrefix) => {
      const problems = problemsOf({ ...MINIMAL, queuePrefix });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^queuePrefix \(--queue-prefix\): must be a hash tag/);
    },
  );

  it('rejects out-of-range numbers with the option and flag named', () => {
    const problems = problemsOf({ ...MINIMAL, batchMaxItems: 101, batchMaxBytes: 100, apiConcurrency: 0 });
    expect(problems).toHaveLength(3);
    expect(problems.some((p) => p.startsWith('batchMaxItems (--batch-max-items): '))).toBe(true);
    expect(problems.some((p) => p.startsWith('batchMaxBytes (--batch-max-bytes): '))).toBe(true);
    expect(problems.some((p) => p.startsWith('apiConcurrency (--api-concurrency): '))).toBe(true);
  });

  it('rejects an enum value outside its list', () => {
    const problems = problemsOf({ ...MINIMAL, fingerprint: 'sha256' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^fingerprint \(--fingerprint\): /);
  });

  it('does not call a value of the wrong type "required"', () => {
    // The option IS given, with the wrong type: the message must say so, not claim it is missing.
    const problems = problemsOf({ ...MINIMAL, ossPathStyle: [true] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ossPathStyle \(--oss-path-style\): /);
    expect(problems[0]).not.toContain('is required');
  });

  it('says "is required" for missing required options', () => {
    const problems = problemsOf({ datasetId: 'd-1' });
    expect(problems).toContain('bucket (--bucket): is required');
    expect(problems).toContain('workspaceId (--workspace-id): is required');
  });
});

describe('buildConfig: every problem at once', () => {
  it('collects coercion, unknown-name and schema problems into one ConfigError', () => {
    let caught: unknown;
    try {
      buildConfig(
        { bucket: 'Bad_Bucket', workspaceId: 'ws-1', datasetId: 'd-1', prefix: '/a', colour: 'blue' },
        { batchMaxItems: 'ten', queuePrefix: 'nohash' },
        NO_ENV,
      );
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const e = caught as ConfigError;
    expect(e.problems).toHaveLength(5);
    // The message lists each problem on its own line, so a user fixes them all in one go.
    expect(e.message).toMatch(/^Invalid configuration:\n/);
    for (const fragment of [
      'batchMaxItems (--batch-max-items): expected a whole number',
      'colour: unknown option',
      'bucket (--bucket)',
      'prefix (--prefix)',
      'queuePrefix (--queue-prefix)',
    ]) {
      expect(e.message).toContain(`  - ${fragment}`);
    }
  });

  it('reports a missing dataset together with other problems (not only when the rest is valid)', () => {
    // Neither datasetId nor datasetName, AND a bad bucket: both must be reported in the same error.
    const problems = problemsOf({ bucket: 'Bad_Bucket', workspaceId: 'ws-1' });
    expect(problems.some((p) => p.startsWith('bucket (--bucket)'))).toBe(true);
    expect(problems.some((p) => p.startsWith('datasetId (--dataset-id)'))).toBe(true);
  });

  it('reports a missing dataset when nothing at all is given', () => {
    const problems = problemsOf({});
    expect(problems.some((p) => p.startsWith('bucket (--bucket)'))).toBe(true);
    expect(problems.some((p) => p.startsWith('workspaceId (--workspace-id)'))).toBe(true);
    expect(problems.some((p) => p.startsWith('datasetId (--dataset-id)'))).toBe(true);
  });
});
