// readConfigFile reads YAML or JSON (by extension) into flat values; loadConfig feeds them to buildConfig.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readConfigFile } from '../../../src/config/load.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ops-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfigFile', () => {
  it('reads a YAML file with scalars and lists', () => {
    const file = write(
      'sync.yaml',
      [
        'bucket: my-bucket',
        'prefix: "photos/"',
        'batchMaxItems: 50',
        'delete: false',
        'include:',
        '  - "*.jpg"',
        '  - "*.png"',
        '',
      ].join('\n'),
    );
    expect(readConfigFile(file)).toEqual({
      bucket: 'my-bucket',
      prefix: 'photos/',
      batchMaxItems: 50,
      delete: false,
      include: ['*.jpg', '*.png'],
    });
  });

  it('reads a .yml file as YAML too', () => {
    expect(readConfigFile(write('sync.yml', 'workspaceId: ws-9\n'))).toEqual({ workspaceId: 'ws-9' });
  });

  it('reads a JSON file', () => {
    const file = write('sync.json', JSON.stringify({ bucket: 'b-json', apiRps: 3, exclude: ['tmp/**'] }));
    expect(readConfigFile(file)).toEqual({ bucket: 'b-json', apiRps: 3, exclude: ['tmp/**'] });
  });

  it('reads an upper-case .JSON extension as JSON', () => {
    expect(readConfigFile(write('UPPER.JSON', '{"bucket":"b-upper"}'))).toEqual({ bucket: 'b-upper' });
  });

  it('reports an unreadable (missing) file with its path and the errno code', () => {
    const missing = path.join(dir, 'does-not-exist.yaml');
    const e = errorOf(() => readConfigFile(missing));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toContain(missing);
    expect(e.problems[0]).toContain('cannot read the file');
    expect(e.problems[0]).toContain('ENOENT');
  });

  it('reports a directory given as the file', () => {
    const e = errorOf(() => readConfigFile(dir));
    expect(e.problems[0]).toContain('cannot read the file');
    expect(e.problems[0]).toContain('EISDIR');
  });

  it('reports malformed JSON as a ConfigError naming the file', () => {
    const file = write('broken.json', '{"bucket": ');
    const e = errorOf(() => readConfigFile(file));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatch(new RegExp(`^--config ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  });

  it('reports malformed YAML as a ConfigError', () => {
    const file = write('broken.yaml', 'bucket: [unclosed\n');
    const e = errorOf(() => readConfigFile(file));
    expect(e.problems[0]).toContain(file);
  });

  it.each([
    ['list.yaml', '- a\n- b\n'],
    ['scalar.yaml', 'just text\n'],
    ['empty.yaml', ''],
    ['array.json', '[1,2]'],
    ['null.json', 'null'],
  ])('rejects %s whose top level is not a mapping', (name, text) => {
    const e = errorOf(() => readConfigFile(write(name, text)));
    expect(e.problems[0]).toContain('the top level must be a mapping');
  });
});

describe('loadConfig', () => {
  it('merges a file with flags (flags win) and the env', () => {
    const file = write('full.yaml', 'bucket: file-bucket\nworkspaceId: ws-1\ndatasetId: d-1\napiRps: 5\n');
    const c = loadConfig({
      configFile: file,
      flags: { apiRps: '9' },
      env: { REDIS_URL: 'redis://env-host:1' },
    });
    expect(c.source.bucket).toBe('file-bucket');
    expect(c.options.apiRps).toBe(9);
    expect(c.redis.url).toBe('redis://env-host:1');
  });

  it('accepts a numeric workspace id as YAML writes it (PAI workspace ids are digits)', () => {
    // YAML parses `workspaceId: 86995` as a number; string options must take it as the string "86995".
    const file = write(
      'numeric-ids.yaml',
      'bucket: my-bucket\nworkspaceId: 86995\ndatasetId: d-1\ndatasetVersion: 2\n',
    );
    const c = loadConfig({ configFile: file, flags: {}, env: {} });
    expect(c.target.workspaceId).toBe('86995');
    expect(c.target.datasetVersion).toBe('2');
  });

  it('works with flags only', () => {
    const c = loadConfig({ flags: { bucket: 'flag-bucket', workspaceId: 'ws', datasetName: 'n' }, env: {} });
    expect(c.source.bucket).toBe('flag-bucket');
    expect(c.target.datasetName).toBe('n');
  });
});
