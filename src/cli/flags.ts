// Builds binding flags from the option table, and reads them back as flat camelCase config values.
import { Help, InvalidArgumentError, Option, type Command } from 'commander';
import { OPTION_TABLE } from '../config/options.ts';
import type { FlatConfig } from '../config/load.ts';
import { loadConfig, loadRedisConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { parseVerbOption, verbOptionHelp, verbOptions } from '../config/verb-options.ts';

type RedisConfig = Config['redis'];

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

/**
 * The Redis options of the table (and --config, where they may also live) for the verbs that take no
 * binding: status, run, dead-letter, schedule list/remove, worker. Read back with redisFromCommand.
 */
export function addRedisFlags(cmd: Command, opts: { config?: boolean } = {}): Command {
  if (opts.config !== false) {
    cmd.option('--config <file>', 'YAML or JSON file; its Redis options (redisUrl, queuePrefix) are used');
  }
  for (const o of OPTION_TABLE) {
    if (o.path[0] !== 'redis') continue;
    cmd.addOption(
      o.kind === 'bool'
        ? new Option(`--${o.flag}`, o.help)
        : new Option(`--${o.flag} <${(o.arg ?? 'value').toLowerCase()}>`, o.help),
    );
  }
  return cmd;
}

/** Only the Redis flags the user gave, as flat config values. */
function redisFlagValues(cmd: Command): FlatConfig {
  const all = flagValues(cmd);
  return Object.fromEntries(
    Object.entries(all).filter(([name]) =>
      OPTION_TABLE.some((o) => o.name === name && o.path[0] === 'redis'),
    ),
  );
}

export function redisFromCommand(cmd: Command): RedisConfig {
  const configFile = cmd.opts().config as string | undefined;
  return loadRedisConfig({ ...(configFile ? { configFile } : {}), flags: redisFlagValues(cmd) });
}

/**
 * The verb's own flags from VERB_OPTION_TABLE, each value checked while the command line is parsed (before
 * the action runs, so before anything connects). `verb` as typed: 'worker', 'events serve'.
 */
export function addVerbFlags(cmd: Command, verb: string): Command {
  const specs = verbOptions(verb);
  if (specs.length === 0) throw new Error(`no verb options for ${verb}`);
  for (const o of specs) {
    const opt =
      o.kind === 'bool'
        ? new Option(`--${o.flag}`, verbOptionHelp(o))
        : new Option(`--${o.flag} <${(o.arg ?? 'value').toLowerCase()}>`, verbOptionHelp(o));
    if (o.kind !== 'bool') {
      opt.argParser((raw: string) => {
        try {
          return parseVerbOption(o, raw);
        } catch (err) {
          throw new InvalidArgumentError((err as Error).message);
        }
      });
    }
    if (o.default !== undefined) opt.default(o.default);
    cmd.addOption(opt);
    fromTable.add(opt);
  }
  // The table's help text already says the default with its unit ("default 4 jobs"); commander would add
  // its own "(default: 4)" after it.
  const config = cmd.configureHelp();
  const standard = Object.assign(new Help(), config);
  cmd.configureHelp({
    ...config,
    optionDescription: (opt) => (fromTable.has(opt) ? opt.description : standard.optionDescription(opt)),
  });
  return cmd;
}

const fromTable = new WeakSet<Option>();
