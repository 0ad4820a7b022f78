// Builds binding flags from the option table, and reads them back as flat camelCase config values.
import { Option, type Command } from 'commander';
import { OPTION_TABLE } from '../config/options.ts';
import type { FlatConfig } from '../config/load.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function addBindingFlags(cmd: Command): Command {
  cmd.option(
    '--config <file>',
    'YAML or JSON file with the same option names in camelCase (flags override it)',
  );
  for (const o of OPTION_TABLE) {
    if (o.kind === 'bool') {
      if (o.name === 'delete') cmd.addOption(new Option('--no-delete', o.help));
      else cmd.addOption(new Option(`--${o.flag}`, o.help));
      continue;
    }
    const opt = new Option(`--${o.flag} <${(o.arg ?? 'value').toLowerCase()}>`, o.help);
    if (o.kind === 'list') opt.argParser(collect);
    if (o.kind === 'enum' && o.values) opt.choices([...o.values]);
    cmd.addOption(opt);
  }
  return cmd;
}

/** Only the flags the user actually gave (so that a config file value is not overridden by a default). */
export function flagValues(cmd: Command): FlatConfig {
  const opts = cmd.opts() as Record<string, unknown>;
  const out: FlatConfig = {};
  for (const o of OPTION_TABLE) {
    const attr = o.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (cmd.getOptionValueSource(attr) !== 'cli') continue;
    out[o.name] = opts[attr];
  }
  return out;
}

export function configFromCommand(cmd: Command): Config {
  const configFile = cmd.opts().config as string | undefined;
  return loadConfig({ ...(configFile ? { configFile } : {}), flags: flagValues(cmd) });
}

/** The Redis location flags of the verbs that take no binding (the binding verbs have them from the table). */
export function redisUrlOption(defaultNote = '(default $REDIS_URL)'): Option {
  return new Option('--redis-url <url>', `redis:// or rediss:// URL ${defaultNote}`);
}

export function queuePrefixOption(): Option {
  return new Option('--queue-prefix <prefix>', 'Redis key prefix (default {oss-pai-sync})');
}
