// `oss-pai-sync dashboard` in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
// the runs page shows a completed run and a dead letter with its reason, Bull Board shows the product's
// queues, and a screenshot of each is taken (paths printed).
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { spawnCli } from '../helpers/cli.ts';
import { testCloud, type TestCloud } from '../helpers/cloud.ts';

let cloud: TestCloud | undefined;
let browser: BrowserContext | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  await browser?.close();
  browser = undefined;
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      await once(c, 'exit');
    }
  }
  await cloud?.cleanup();
  cloud = undefined;
});

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function waitForStderr(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = pattern.exec(text);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before ${pattern}: ${text}`)));
  });
}

it(
  'dashboard: runs page with a completed run and a dead letter, Bull Board with the queues',
  { timeout: 120_000 },
  async () => {
    cloud = await testCloud();
    const c = cloud;
    for (let i = 0; i < 40; i++) c.oss.store.putObject(c.bucket, `dash/${i}.jpg`, `x${i}`);
    c.startWorkers();
    const run = await c.sync({ datasetName: 'dash-ds' });
    expect(run.status).toBe('completed');
    await c.services.dead.add([
      {
        runId: run.runId,
        bindingId: run.binding.bindingId,
        item: { key: 'dash/broken.jpg', size: 1, etag: 'E', lastModified: 0, op: 'create' },
        reason: 'InvalidParameter: FileName too long',
        at: Date.now(),
      },
    ]);

    const f = c.flat();
    const child = spawnCli([
      'dashboard',
      '--port',
      '0',
      '--redis-url',
      String(f.redisUrl),
      '--queue-prefix',
      String(f.queuePrefix),
    ]);
    children.push(child);
    const url = (await waitForStderr(child, /dashboard on (http:\/\/127\.0\.0\.1:\d+)\//))[1]!;

    const dir = mkdtempSync(path.join(tmpdir(), 'ops-dashboard-'));
    browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    const row = page.locator(`#runs tr[data-run-id="${run.runId}"]`);
    await row.waitFor();
    expect(await row.locator('.status').innerText()).toBe('completed');
    expect(await row.innerText()).toContain('created 40');
    expect(await row.innerText()).toContain(`oss://${c.bucket}/`);
    expect(await page.locator('#dead-letters').innerText()).toContain('InvalidParameter: FileName too long');
    const runsShot = path.join(dir, 'dashboard-runs.png');
    await page.screenshot({ path: runsShot, fullPage: true });

    await page.click('text=Queues (Bull Board)');
    // Bull Board is a client-side app: wait for it to render the product's three queues.
    for (const q of ['scan', 'sync', 'control'])
      await page.getByRole('link', { name: q, exact: true }).first().waitFor();
    const queuesShot = path.join(dir, 'dashboard-queues.png');
    await page.screenshot({ path: queuesShot, fullPage: true });
    process.stdout.write(`dashboard screenshots: ${runsShot} ${queuesShot}\n`);
  },
);
