// `oss-pai-sync query EXPR` against the emulator's DSL through the real client: NDJSON, JSON, table, --limit
// across pages, and a malformed expression (the service's message with the position, exit 1).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EMULATOR_ENV, runCli } from '../helpers/cli.ts';
import { bindingFlags, testCloud, type TestCloud } from '../helpers/cloud.ts';

let cloud: TestCloud;
let flags: string[];
beforeAll(async () => {
  cloud = await testCloud();
  for (let i = 0; i < 150; i++) cloud.oss.store.putObject(cloud.bucket, `q/img-${i}.png`, 'x'.repeat(i + 1));
  for (let i = 0; i < 20; i++) cloud.oss.store.putObject(cloud.bucket, `q/doc-${i}.txt`, 'text');
  cloud.startWorkers();
  expect((await cloud.sync({ datasetName: 'query-ds' })).status).toBe('completed');
  flags = [...bindingFlags(cloud), '--dataset-name', 'query-ds'];
});
afterAll(() => cloud.cleanup());

const query = (args: string[]) => runCli(['query', ...args, ...flags], { env: EMULATOR_ENV });

it('prints the selected records as NDJSON, every field, beyond one page', async () => {
  const res = await query(["FileType='image' AND DataSize > 100", '--ndjson', '--limit', '1000']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  const rows = res.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  // Sizes 101..150: 50 images.
  expect(rows).toHaveLength(50);
  for (const r of rows) {
    expect(r.FileType).toBe('image');
    expect(r.DataSize as number).toBeGreaterThan(100);
    expect(r).toHaveProperty('DatasetFileMetaId');
    expect(r).toHaveProperty('FileName');
  }
  const all = await query(["FileType='image'", '--ndjson', '--limit', '1000']);
  expect(all.stdout.trim().split('\n')).toHaveLength(150);
});

it('--limit caps the records, --json gives one array, the table has a header and the Uris', async () => {
  const limited = await query(["FileType='image'", '--json', '--limit', '120']);
  expect(limited.code).toBe(0);
  expect(JSON.parse(limited.stdout) as unknown[]).toHaveLength(120);

  const table = await query(["FileName='doc-3.txt'"]);
  expect(table.code).toBe(0);
  const lines = table.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^Uri\s+DataSize\s+FileType/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`oss://${cloud.bucket}/q/doc-3.txt`);
  expect(table.stderr).toMatch(/1 record\(s\)/);
});

it('a malformed expression gets the service message with the position, exit 1', async () => {
  const res = await query(["FileType='image' AND ("]);
  expect(res.code).toBe(1);
  expect(res.stdout).toBe('');
  expect(res.stderr).toMatch(/^oss-pai-sync: the query was refused: QueryExpression: .*position \d+/);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
});
