// `oss-pai-sync demo`: the main job end to end on a local cloud. Emulators, Redis (the way the tests get it),
// a sample bucket, a full sync, then changes made through the real ali-oss client and an incremental sync,
// and a final check that the dataset matches the bucket.
import { provisionRedis } from '../queue/redis-provision.ts';
import { buildReport, formatReport, type RunReport } from '../runs/report.ts';
import { resolveDatasetId, startRun, toRunBinding } from '../runs/start-run.ts';
import { waitForRun } from '../runs/wait.ts';
import { startWorkers } from '../sync/workers.ts';
import { createLogger } from '../telemetry/logger.ts';
import { LOCAL_IMM_PROJECT, startLocalCloud, type LocalCloud } from './local-cloud.ts';
import { seedSampleBucket } from './sample-data.ts';
import { inSync, type DriftCounts } from '../verify/drift.ts';
import { formatVerify } from '../verify/format.ts';
import { verifyRunBinding } from '../verify/verify-binding.ts';
import { tinyPng } from './sample-data.ts';

export interface DemoResult {
  full: RunReport;
  incremental: RunReport;
  /** What `oss-pai-sync verify` finds at the end (the dataset read through the API against the bucket). */
  check: DriftCounts & { ok: boolean };
}

const say = (s: string) => process.stdout.write(`${s}\n`);

async function changeBucket(cloud: LocalCloud): Promise<{ changed: number; added: number; deleted: number }> {
  // Through the real client and the emulator's HTTP API, exactly as a user's upload job would.
  const client = cloud.ossClient();
  const existing = cloud.oss.store.listObjects(cloud.bucket, 'images/').filter((o) => !o.key.endsWith('/'));
  const changed = existing.slice(0, 50);
  for (const [i, o] of changed.entries()) await client.put(o.key, tinyPng(100_000 + i, 12));
  for (let i = 0; i < 30; i++) await client.put(`images/new/img-new-${i}.png`, tinyPng(200_000 + i));
  const gone = cloud.oss.store.listObjects(cloud.bucket, 'text/').slice(0, 20);
  await client.deleteMulti(gone.map((o) => o.key));
  return { changed: changed.length, added: 30, deleted: gone.length };
}

export async function runDemo(
  opts: { images?: number; texts?: number; target?: 'pai' | 'imm' } = {},
): Promise<DemoResult> {
  const imm = opts.target === 'imm';
  const redis = await provisionRedis();
  say(`redis: ${redis.source} (${redis.url.replace(/\/\/[^@/]*@/, '//***@')})`);
  const prefix = `{oss-pai-sync-demo-${Date.now().toString(36)}}`;
  const cloud = await startLocalCloud({
    redisUrl: redis.url,
    prefix,
    bucket: 'demo-bucket',
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
  });
  const workers = startWorkers(cloud.services);
  try {
    say(
      imm
        ? `OSS emulator ${cloud.oss.endpoint}, IMM emulator ${cloud.imm.endpoint} (project ${LOCAL_IMM_PROJECT}, indexing asynchronous)`
        : `OSS emulator ${cloud.oss.endpoint}, PAI emulator ${cloud.pai.endpoint}`,
    );
    const seeded = seedSampleBucket(cloud.oss.store, cloud.bucket, opts);
    say(
      `seeded oss://${cloud.bucket}/ with ${seeded.objects} objects (${seeded.images} PNG images, ${seeded.texts} text/JSON files, odd keys, a multipart and an appendable object, a folder marker)`,
    );

    const config = cloud.config(
      imm
        ? { target: 'imm', immProject: LOCAL_IMM_PROJECT, immDataset: 'demo-dataset' }
        : { datasetName: 'demo-dataset' },
    );
    const api = await cloud.services.makeDatasetApi({ ...config.target, datasetId: '' }, config.source);
    const datasetId = await resolveDatasetId(cloud.services, api, config);
    const binding = toRunBinding(config, datasetId);
    say(
      imm
        ? `IMM dataset ${LOCAL_IMM_PROJECT}/demo-dataset created\n`
        : `dataset ${datasetId} (Edition ADVANCED) created\n`,
    );

    say('== full sync');
    const fullRun = await waitForRun(cloud.services.runs, await startRun(cloud.services, binding));
    const full = buildReport(fullRun);
    say(formatReport(full));

    const delta = await changeBucket(cloud);
    say(
      `\nchanged ${delta.changed} images, added ${delta.added}, deleted ${delta.deleted} text files (through ali-oss)\n`,
    );

    say('== incremental sync');
    const incRun = await waitForRun(cloud.services.runs, await startRun(cloud.services, binding));
    const incremental = buildReport(incRun);
    say(formatReport(incremental));

    say('\n== verify');
    const { counts } = await verifyRunBinding(cloud.services, binding);
    const check = { ...counts, ok: inSync(counts) };
    say(
      formatVerify(counts, {
        source: `oss://${cloud.bucket}/`,
        target: imm ? `IMM dataset ${LOCAL_IMM_PROJECT}/demo-dataset` : `dataset ${datasetId} v1`,
      }),
    );
    return { full, incremental, check };
  } finally {
    await workers.close();
    await cloud.services.redis.eval(
      "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 0",
      0,
      `${prefix}*`,
    );
    await cloud.close();
    await redis.stop();
  }
}
