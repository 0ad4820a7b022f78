// Turns a config file plus flags (flags win) into a validated Config, reporting every problem at once.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { OPTION_TABLE, optionByName } from './options.ts';
import { configSchema, type Config } from './schema.ts';

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
    const parsed: unknown = ext === '.json' ? JSON.parse(text) : YAML.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('the top level must be a mapping of option names to values');
    }
    return parsed as FlatConfig;
  } catch (err) {
    throw new ConfigError([`--config ${file}: ${(err as Error).message}`]);
  }
}

function coerce(name: string, value: unknown, problems: string[]): unknown {
  const spec = optionByName(name);
  if (!spec) return value;
  if (spec.kind === 'int' && typeof value === 'string') {
    if (!/^-?\d+$/.test(value.trim())) {
      problems.push(`${name}: expected a whole number, got "${value}"`);
      return undefined;
    }
    return Number(value);
  }
  if (spec.kind === 'bool' && typeof value === 'string') {
    if (/^(true|1|yes|on)$/i.test(value)) return true;
    if (/^(false|0|no|off)$/i.test(value)) return false;
    problems.push(`${name}: expected true or false, got "${value}"`);
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

  const nested: Record<string, Record<string, unknown>> = { source: {}, target: {}, options: {}, redis: {} };
  for (const [name, raw] of Object.entries(merged)) {
    const spec = OPTION_TABLE.find((o) => o.name === name);
    if (!spec) {
      problems.push(`${name}: unknown option (known: ${OPTION_TABLE.map((o) => o.name).join(', ')})`);
      continue;
    }
    const value = coerce(name, raw, problems);
    if (value !== undefined) nested[spec.path[0]]![spec.path[1]] = value;
  }

  const result = configSchema.safeParse(nested, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [section, field] = issue.path as [string, string | undefined];
      const spec = OPTION_TABLE.find((o) => o.path[0] === section && o.path[1] === field);
      const label = spec ? `${spec.name} (--${spec.flag})` : issue.path.join('.');
      const message =
        issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      problems.push(`${label}: ${message}`);
    }
  }
  if (!nested.target!.datasetId && !nested.target!.datasetName) {
    problems.push(
      'datasetId (--dataset-id): is required, or give datasetName (--dataset-name) to create the dataset',
    );
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
