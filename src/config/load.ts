// Turns a config file plus flags (flags win) into a validated Config, reporting every problem at once.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Yaml from 'yaml';
import { OPTION_TABLE, optionByName, type OptionSpec } from './options.ts';
import { suggestOption } from './suggest.ts';
import { configSchema, plainRedisOptions, type Config } from './schema.ts';

// yaml is loaded when a YAML file is read (about 3 MB of RSS otherwise carried by every worker); it is
// CommonJS under node, so a synchronous require keeps readConfigFile synchronous.
const require = createRequire(import.meta.url);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Flat camelCase values, as in a config file or from flags. */
export type FlatConfig = Record<string, unknown>;

export function readConfigFile(file: string): FlatConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `--config ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`,
    ]);
  }
  try {
    const ext = path.extname(file).toLowerCase();
    const parsed: unknown = ext === '.json' ? JSON.parse(text) : (require('yaml') as typeof Yaml).parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('the top level must be a mapping of option names to values');
    }
    return parsed as FlatConfig;
  } catch (err) {
    throw new ConfigError([`--config ${file}: ${(err as Error).message}`]);
  }
}

/** How a problem names an option: its config key and its flag, so either way of setting it is clear. */
export function optionLabel(spec: OptionSpec): string {
  return `${spec.name} (--${spec.name === 'delete' ? 'no-delete' : spec.flag})`;
}

function coerce(name: string, value: unknown, problems: string[]): unknown {
  const spec = optionByName(name);
  if (!spec) return value;
  if (spec.kind === 'int' && typeof value === 'string') {
    if (!/^-?\d+$/.test(value.trim())) {
      problems.push(`${optionLabel(spec)}: expected a whole number, got "${value}"`);
      return undefined;
    }
    return Number(value);
  }
  if (spec.kind === 'bool' && typeof value === 'string') {
    if (/^(true|1|yes|on)$/i.test(value)) return true;
    if (/^(false|0|no|off)$/i.test(value)) return false;
    problems.push(`${optionLabel(spec)}: expected true or false, got "${value}"`);
    return undefined;
  }
  if (spec.kind === 'list' && typeof value === 'string') return [value];
  // YAML reads `workspaceId: 86995` as a number; PAI ids are strings.
  if (spec.kind === 'string' && typeof value === 'number') return String(value);
  return value;
}

/** Merges file values and flag values (flags win) and validates the result. */
export function buildConfig(
  fileValues: FlatConfig,
  flagValues: FlatConfig,
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const problems: string[] = [];
  const merged: FlatConfig = { ...fileValues };
  for (const [k, v] of Object.entries(flagValues)) if (v !== undefined) merged[k] = v;
  if (merged.redisUrl === undefined && env.REDIS_URL) merged.redisUrl = env.REDIS_URL;
  if (merged.redisCluster === undefined && env.REDIS_CLUSTER) merged.redisCluster = env.REDIS_CLUSTER;

  const nested: Record<string, Record<string, unknown>> = { source: {}, target: {}, options: {}, redis: {} };
  // Options a typo was probably meant to set: their "is required" would be a second error for one typo.
  const meant = new Set<string>();
  for (const [name, raw] of Object.entries(merged)) {
    const spec = OPTION_TABLE.find((o) => o.name === name);
    if (!spec) {
      const guess = suggestOption(name);
      if (guess) meant.add(guess.name);
      problems.push(
        guess
          ? `${name}: unknown option; did you mean ${optionLabel(guess)}?`
          : `${name}: unknown option (the options are listed in README's Configuration table and in --help)`,
      );
      continue;
    }
    const value = coerce(name, raw, problems);
    if (value !== undefined) nested[spec.path[0]]![spec.path[1]] = value;
  }

  const result = configSchema().safeParse(nested, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [section, field] = issue.path as [string, string | undefined];
      const spec = OPTION_TABLE.find((o) => o.path[0] === section && o.path[1] === field);
      const label = spec ? optionLabel(spec) : issue.path.join('.');
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      if (missing && spec && meant.has(spec.name)) continue;
      problems.push(`${label}: ${missing ? 'is required' : issue.message}`);
    }
  }
  const t = nested.target!;
  if (t.kind === 'imm') {
    if (!t.immProject && !meant.has('immProject'))
      problems.push('immProject (--imm-project): is required with target imm');
    if (!t.immDataset && !meant.has('immDataset'))
      problems.push('immDataset (--imm-dataset): is required with target imm');
  } else {
    if (!t.workspaceId && !meant.has('workspaceId'))
      problems.push('workspaceId (--workspace-id): is required');
    if (!t.datasetId && !t.datasetName && !meant.has('datasetId') && !meant.has('datasetName')) {
      problems.push(
        'datasetId (--dataset-id): is required, or give datasetName (--dataset-name) to create the dataset',
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(result.data!) as Config;
}

export function loadConfig(opts: {
  configFile?: string;
  flags: FlatConfig;
  env?: NodeJS.ProcessEnv;
}): Config {
  const fileValues = opts.configFile ? readConfigFile(opts.configFile) : {};
  return buildConfig(fileValues, opts.flags, opts.env);
}

/**
 * The Redis location of a verb that takes no binding (status, run, dead-letter, schedule list, worker): the
 * Redis options of the table from flags, then the config file, then REDIS_URL. Checks only those options
 * (plus unknown keys), so a binding file works as it is.
 */
export function loadRedisConfig(opts: {
  configFile?: string;
  flags: FlatConfig;
  env?: NodeJS.ProcessEnv;
}): Config['redis'] {
  const env = opts.env ?? process.env;
  const fileValues = opts.configFile ? readConfigFile(opts.configFile) : {};
  const problems: string[] = [];
  const merged: FlatConfig = { ...fileValues };
  for (const [k, v] of Object.entries(opts.flags)) if (v !== undefined) merged[k] = v;
  if (merged.redisUrl === undefined && env.REDIS_URL) merged.redisUrl = env.REDIS_URL;
  if (merged.redisCluster === undefined && env.REDIS_CLUSTER) merged.redisCluster = env.REDIS_CLUSTER;
  const redis: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(merged)) {
    const spec = optionByName(name);
    if (!spec) {
      const guess = suggestOption(name);
      problems.push(
        guess
          ? `${name}: unknown option; did you mean ${optionLabel(guess)}?`
          : `${name}: unknown option (the options are listed in README's Configuration table and in --help)`,
      );
      continue;
    }
    if (spec.path[0] !== 'redis') continue;
    const value = coerce(name, raw, problems);
    if (value !== undefined) redis[spec.path[1]] = value;
  }
  // zod only when a value fails the plain checks, to word the problem: a worker starts without loading it.
  const plain = plainRedisOptions(redis);
  if (plain) {
    if (problems.length > 0) throw new ConfigError(problems);
    return plain;
  }
  const result = configSchema().shape.redis.safeParse(redis);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const spec = OPTION_TABLE.find((o) => o.path[0] === 'redis' && o.path[1] === issue.path[0]);
      problems.push(`${spec ? optionLabel(spec) : issue.path.join('.')}: ${issue.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data!;
}
