// The verb option table: every value is checked by one pure function; the CLI wires it into the parser.
import { describe, expect, it } from 'vitest';
import {
  parseVerbOption,
  VERB_OPTION_TABLE,
  verbOptionHelp,
  verbOptions,
  type VerbOptionSpec,
} from '../../../src/config/verb-options.ts';

const spec = (verb: string, flag: string): VerbOptionSpec => {
  const o = verbOptions(verb).find((s) => s.flag === flag);
  if (!o) throw new Error(`no --${flag} for ${verb}`);
  return o;
};

describe('parseVerbOption', () => {
  it.each([
    ['events serve', 'port', '70000', /must be from 0 to 65535, got 70000/],
    ['events serve', 'port', 'http', /expected a whole number from 0 to 65535, got "http"/],
    ['events serve', 'debounce-ms', '-5', /must be from 0 to 3600000, got -5/],
    ['worker', 'sync-concurrency', '0', /must be from 1 to 256, got 0/],
    ['worker', 'lock-duration-ms', 'abc', /expected a whole number/],
    ['worker', 'max-queued-jobs', '1.5', /expected a whole number/],
    ['backfill', 'depth', '-1', /must be from 0 to 16, got -1/],
    ['backfill', 'workers', '65', /must be from 0 to 64/],
    ['status', 'limit', 'abc', /expected a whole number/],
    ['dead-letter list', 'limit', '0', /must be from 1/],
    ['events serve', 'host', 'http://0.0.0.0', /expected a host name or IP address/],
    ['events serve', 'host', '', /expected a host name/],
  ])('%s --%s %s is refused', (verb, flag, raw, message) => {
    expect(() => parseVerbOption(spec(verb, flag), raw)).toThrow(message);
  });

  it.each([
    ['events serve', 'port', '0', 0],
    ['events serve', 'port', ' 8080 ', 8080],
    ['events serve', 'debounce-ms', '0', 0],
    ['worker', 'sync-concurrency', '1', 1],
    ['backfill', 'depth', '0', 0],
    ['events serve', 'host', '0.0.0.0', '0.0.0.0'],
    ['events serve', 'host', '::1', '::1'],
    ['events serve', 'host', 'receiver.internal', 'receiver.internal'],
  ])('%s --%s %s is %s', (verb, flag, raw, value) => {
    expect(parseVerbOption(spec(verb, flag), raw)).toBe(value);
  });
});

describe('the table', () => {
  it('every default is itself a valid value, and every int has a range', () => {
    for (const o of VERB_OPTION_TABLE) {
      if (o.kind === 'int') {
        expect(o.min, o.flag).toBeDefined();
        expect(o.max, o.flag).toBeDefined();
      }
      if (o.default !== undefined) expect(parseVerbOption(o, String(o.default))).toBe(o.default);
    }
  });

  it('a flag appears at most once per verb', () => {
    const seen = new Set<string>();
    for (const o of VERB_OPTION_TABLE) {
      for (const v of o.verbs) {
        expect(seen.has(`${v} --${o.flag}`), `${v} --${o.flag}`).toBe(false);
        seen.add(`${v} --${o.flag}`);
      }
    }
  });

  it('help shows the default with its unit and the range', () => {
    expect(verbOptionHelp(spec('worker', 'lock-duration-ms'))).toBe(
      'job lock lifetime; jobs of a killed worker are retried after about this long (default 30000 ms, 1000-3600000)',
    );
    expect(verbOptionHelp(spec('events serve', 'host'))).toMatch(/\(default 127\.0\.0\.1\)$/);
  });
});
