// The package as users get it: `npm pack` (which builds dist/ through `prepare`), then
// (1) `npm install -g` of the tarball into a private prefix and `oss-pai-sync demo` in an empty directory, and
// (2) the Dockerfile's runtime steps outside Docker: the tarball unpacked, `npm ci --omit=dev --ignore-scripts`
//     with the lockfile, then the compiled entry (no Docker engine here, so this is how the image is tested).
// Both run the compiled build under plain node: no sources and no tsx are installed.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline'];
let tmp: string;
let tarball: string;

interface Result {
  code: number | null;
  out: string;
}

function run(cmd: string, args: string[], cwd: string): Promise<Result> {
  // No REDIS_URL: the demo finds Redis as on a fresh machine (redis-server on PATH). No npm_config_* from an
  // outer `npm test`: the install flags are the ones given here.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'REDIS_URL' && !k.startsWith('npm_config_')),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

function emptyDir(name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  return dir;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'oss-pai-sync-pack-'));
  const packed = await run('npm', ['pack', '--pack-destination', tmp], ROOT);
  expect(packed.code, packed.out).toBe(0);
  const name = readdirSync(tmp).find((f) => /^oss-pai-sync-.*\.tgz$/.test(f));
  expect(name, packed.out).toBeDefined();
  tarball = path.join(tmp, name!);
}, 300_000);

afterAll(async () => {
  // Two installed dependency trees: removing them takes a while on a busy machine.
  if (tmp) await rm(tmp, { recursive: true, force: true });
}, 300_000);

it('packs the compiled build only, with an executable entry', async () => {
  const listing = await run('tar', ['tzf', tarball], tmp);
  const files = listing.out.split('\n').filter(Boolean);
  expect(files).toContain('package/dist/src/cli/entry.js');
  expect(files).toContain('package/dist/workers/scan.js');
  expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
  expect(files.filter((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toEqual([]);
});

it('installs with npm install -g and runs `oss-pai-sync demo` in an empty directory', async () => {
  const prefix = path.join(tmp, 'prefix');
  const installed = await run('npm', ['install', '-g', tarball, '--prefix', prefix, ...NPM_FLAGS], tmp);
  expect(installed.code, installed.out).toBe(0);
  const pkgDir = path.join(prefix, 'lib', 'node_modules', 'oss-pai-sync');
  expect(existsSync(path.join(pkgDir, 'node_modules', 'tsx'))).toBe(false);
  // A development dependency (tests, a checkout's demo): not carried by the installed package.
  expect(existsSync(path.join(pkgDir, 'node_modules', 'testcontainers'))).toBe(false);

  const cwd = emptyDir('demo-global');
  const demo = await run(path.join(prefix, 'bin', 'oss-pai-sync'), ['demo'], cwd);
  expect(demo.code, demo.out).toBe(0);
  expect(demo.out).toMatch(/verify oss:\/\/demo-bucket\/ against dataset \S+ v1: IN SYNC/);
}, 300_000);

it("runs the Dockerfile's runtime steps: npm ci --omit=dev on the unpacked tarball, then the CLI", async () => {
  // The same commands as the Dockerfile's runtime stage (kept in step by the assertions below).
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  expect(dockerfile).toContain('npm ci --omit=dev --ignore-scripts');
  expect(dockerfile).toMatch(/ENTRYPOINT \["oss-pai-sync"\]/);
  expect(dockerfile).toContain('/app/dist/src/cli/entry.js /usr/local/bin/oss-pai-sync');

  const app = emptyDir('app');
  const untar = await run('tar', ['xzf', tarball, '--strip-components=1', '-C', app], tmp);
  expect(untar.code, untar.out).toBe(0);
  copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(app, 'package-lock.json'));
  const ci = await run('npm', ['ci', '--omit=dev', '--ignore-scripts', ...NPM_FLAGS], app);
  expect(ci.code, ci.out).toBe(0);
  // (typescript may still come: an optional peer of a runtime dependency, which npm keeps; nothing runs it.)
  expect(existsSync(path.join(app, 'node_modules', 'tsx'))).toBe(false);
  expect(existsSync(path.join(app, 'node_modules', 'testcontainers'))).toBe(false);

  // chmod + symlink as the image does: the entry runs by its shebang, as ENTRYPOINT ["oss-pai-sync"] runs it.
  const entry = path.join(app, 'dist', 'src', 'cli', 'entry.js');
  chmodSync(entry, 0o755);
  const bin = path.join(emptyDir('bin'), 'oss-pai-sync');
  symlinkSync(entry, bin);
  const help = await run(bin, ['--help'], app);
  expect(help.code, help.out).toBe(0);
  expect(help.out).toContain('Usage: oss-pai-sync');
  // The compiled entry finds package.json from dist/ (one folder deeper than the sources).
  const version = await run(bin, ['--version'], app);
  expect(version.out.trim()).toBe(
    (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
  );
  const demo = await run(bin, ['demo'], emptyDir('demo-image'));
  expect(demo.code, demo.out).toBe(0);
  expect(demo.out).toMatch(/verify oss:\/\/demo-bucket\/ against dataset \S+ v1: IN SYNC/);
}, 300_000);
