// `oss-pai-sync emulate`: a local OSS and a local PAI dataset API that speak the real wire protocols
// (signatures checked), for trying pipelines without a cloud account.
import { Command, Option } from 'commander';
import { startOssEmulator, type OssEmulator } from '../../emulators/oss/index.ts';
import {
  RATE_WINDOWS,
  startPaiEmulator,
  type PaiEmulator,
  type RateWindow,
} from '../../emulators/pai/index.ts';
import { startImmEmulator, type ImmEmulator } from '../../emulators/imm/index.ts';
import { parseSeedPattern, seedObjects, type SeedPattern } from '../../emulators/oss/seed-pattern.ts';
import { onShutdown } from '../runtime.ts';
import { UsageError } from '../fail.ts';

interface EmulateFlags {
  host: string;
  ossPort: string;
  paiPort: string;
  immPort: string;
  immProject: string[];
  immIndexDelayMs?: string;
  immQps?: string;
  immErrorRate?: string;
  immIndexFailureRate?: string;
  immThrottleStyle: 'imm' | 'pop';
  accessKeyId: string;
  accessKeySecret: string;
  dataDir?: string;
  bucket: string[];
  ossLatencyMs?: string;
  ossSlowdownRate?: string;
  ossResetRate?: string;
  ossStallRate?: string;
  paiLatencyMs?: string;
  paiErrorRate?: string;
  paiPartialFailureRate?: string;
  paiLostAnswerRate?: string;
  paiRps?: string;
  paiRateWindow?: RateWindow;
  paiMaxItems?: string;
  paiAllowDuplicateUris?: boolean;
  paiListItemFields: 'sdk' | 'doc';
  eventsUrl?: string;
  eventsFormat: 'mns' | 'eventbridge';
  eventsSecret?: string;
  eventsInFlight?: string;
  eventsRetry: 'backoff' | 'exponential';
  seed?: string;
  seedKey: string;
  seedSize: string;
}

export interface SeedPlan {
  bucket: string;
  count: number;
  pattern: SeedPattern;
  sizeBytes: number;
}

/** Validates the --seed flags before anything starts (bad input: one message, exit 2, nothing started). */
export function seedPlan(
  f: Pick<EmulateFlags, 'seed' | 'seedKey' | 'seedSize' | 'bucket'>,
): SeedPlan | undefined {
  if (f.seed === undefined) return undefined;
  const count = num('seed', f.seed, 1, 100_000_000)!;
  if (!Number.isInteger(count)) throw new UsageError(`--seed must be a whole number, got "${f.seed}"`);
  const sizeBytes = num('seed-size', f.seedSize, 0, 64 * 1024 * 1024)!;
  if (!Number.isInteger(sizeBytes))
    throw new UsageError(`--seed-size must be a whole number of bytes, got "${f.seedSize}"`);
  const bucket = f.bucket[0];
  if (bucket === undefined)
    throw new UsageError('--seed needs a --bucket to fill (the first --bucket is seeded)');
  try {
    return { bucket, count, sizeBytes, pattern: parseSeedPattern(f.seedKey, count) };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Fills the bucket through the store (no events); one shared body, so a million keys take seconds. */
export function runSeed(oss: OssEmulator, plan: SeedPlan): { count: number; ms: number } {
  const started = Date.now();
  // A fixed, printable body: the same bytes (and ETag) for every seeded object.
  const body = Buffer.alloc(plan.sizeBytes, 'oss-pai-sync seed object\n');
  const count = oss.store.seedObjects(plan.bucket, seedObjects(plan.pattern, plan.count, body));
  return { count, ms: Date.now() - started };
}

function num(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${v}"`);
  return n;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export interface StartedEmulators {
  oss: OssEmulator;
  pai: PaiEmulator;
  imm: ImmEmulator;
}

export async function startEmulators(f: EmulateFlags): Promise<StartedEmulators> {
  const credentials = [{ accessKeyId: f.accessKeyId, accessKeySecret: f.accessKeySecret }];
  const ossFaults = {
    ...(f.ossLatencyMs ? { latencyMs: num('oss-latency-ms', f.ossLatencyMs, 0, 600_000)! } : {}),
    ...(f.ossSlowdownRate ? { slowDownRate: num('oss-slowdown-rate', f.ossSlowdownRate, 0, 1)! } : {}),
    ...(f.ossResetRate ? { resetRate: num('oss-reset-rate', f.ossResetRate, 0, 1)! } : {}),
    ...(f.ossStallRate ? { stallBodyRate: num('oss-stall-rate', f.ossStallRate, 0, 1)! } : {}),
  };
  const paiFaults = {
    ...(f.paiLatencyMs ? { latencyMs: num('pai-latency-ms', f.paiLatencyMs, 0, 600_000)! } : {}),
    ...(f.paiErrorRate ? { errorRate: num('pai-error-rate', f.paiErrorRate, 0, 1)! } : {}),
    ...(f.paiPartialFailureRate
      ? { partialFailureRate: num('pai-partial-failure-rate', f.paiPartialFailureRate, 0, 1)! }
      : {}),
    ...(f.paiLostAnswerRate
      ? { lostAnswerRate: num('pai-lost-answer-rate', f.paiLostAnswerRate, 0, 1)! }
      : {}),
  };
  const oss = await startOssEmulator({
    host: f.host,
    port: num('oss-port', f.ossPort, 0, 65535)!,
    credentials,
    buckets: f.bucket,
    ...(f.dataDir ? { dataDir: `${f.dataDir}/oss` } : {}),
    faults: ossFaults,
    ...(f.eventsUrl
      ? {
          events: {
            url: f.eventsUrl,
            format: f.eventsFormat,
            ...(f.eventsSecret ? { secret: f.eventsSecret } : {}),
            ...(f.eventsInFlight ? { maxInFlight: num('events-in-flight', f.eventsInFlight, 1, 256)! } : {}),
            retryPolicy: f.eventsRetry,
          },
        }
      : {}),
  });
  const pai = await startPaiEmulator({
    host: f.host,
    port: num('pai-port', f.paiPort, 0, 65535)!,
    credentials,
    ...(f.dataDir ? { dataFile: `${f.dataDir}/pai.json` } : {}),
    faults: paiFaults,
    ...(f.paiRps ? { rps: num('pai-rps', f.paiRps, 0, 1_000_000)! } : {}),
    rateWindow: f.paiRateWindow ?? 'sliding',
    ...(f.paiMaxItems ? { maxItemsPerCall: num('pai-max-items', f.paiMaxItems, 1, 100_000)! } : {}),
    ...(f.paiAllowDuplicateUris ? { allowDuplicateUris: true } : {}),
    listItemFields: f.paiListItemFields,
  }).catch(async (err: unknown) => {
    await oss.close();
    throw err;
  });
  const immFaults = {
    ...(f.immIndexDelayMs
      ? { indexDelayMs: num('imm-index-delay-ms', f.immIndexDelayMs, 0, 3_600_000)! }
      : {}),
    ...(f.immErrorRate ? { errorRate: num('imm-error-rate', f.immErrorRate, 0, 1)! } : {}),
    ...(f.immIndexFailureRate
      ? { indexFailureRate: num('imm-index-failure-rate', f.immIndexFailureRate, 0, 1)! }
      : {}),
  };
  const imm = await startImmEmulator({
    host: f.host,
    port: num('imm-port', f.immPort, 0, 65535)!,
    credentials,
    projects: f.immProject,
    faults: immFaults,
    throttleStyle: f.immThrottleStyle,
    ...(f.immQps ? { qps: num('imm-qps', f.immQps, 0, 1_000_000)! } : {}),
    // IMM reads the OSS object it indexes; the local one reads the local OSS.
    objectSource: { headObject: (bucket, key) => oss.store.headObject(bucket, key) },
  }).catch(async (err: unknown) => {
    await Promise.all([oss.close(), pai.close()]);
    throw new UsageError(err instanceof Error ? err.message : String(err));
  });
  return { oss, pai, imm };
}

export function emulateCommand(): Command {
  return new Command('emulate')
    .description('run a local OSS, PAI dataset API and IMM (real wire protocols, signatures checked)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--oss-port <n>', 'OSS emulator port (0 = a free port)', '9090')
    .option('--pai-port <n>', 'PAI emulator port (0 = a free port)', '9091')
    .option('--imm-port <n>', 'IMM emulator port (0 = a free port)', '9092')
    .option('--access-key-id <id>', 'the access key every emulator accepts', 'emulator-ak')
    .option('--access-key-secret <secret>', 'its secret', 'emulator-secret')
    .option('--data-dir <dir>', 'keep buckets and datasets in this directory across restarts')
    .option('--bucket <name>', 'create this bucket at start (repeatable)', collect, [] as string[])
    .option('--oss-latency-ms <ms>', 'OSS: added latency per request')
    .option('--oss-slowdown-rate <0..1>', 'OSS: share of requests answered 503 SlowDown')
    .option('--oss-reset-rate <0..1>', 'OSS: share of connections reset without an answer')
    .option('--oss-stall-rate <0..1>', 'OSS: share of GETs whose body stalls')
    .option('--pai-latency-ms <ms>', 'PAI: added latency per call')
    .option('--pai-error-rate <0..1>', 'PAI: share of calls answered 500/503')
    .option('--pai-partial-failure-rate <0..1>', 'PAI: share of items failed with a retryable Result')
    .option(
      '--pai-lost-answer-rate <0..1>',
      'PAI: share of write calls applied and then answered with a connection reset (lost answer)',
    )
    .option('--pai-rps <n>', 'PAI: requests per second before Throttling.User (0 = unlimited)')
    .addOption(
      new Option(
        '--pai-rate-window <kind>',
        'PAI: count --pai-rps over any 1 s (sliding) or per whole second of the clock (fixed)',
      )
        .choices([...RATE_WINDOWS])
        .default('sliding'),
    )
    .option('--pai-max-items <n>', 'PAI: items per Create/Update call before InvalidParameter (default 100)')
    .option('--pai-allow-duplicate-uris', 'PAI: let Create add a second record for a Uri that has one')
    .addOption(
      new Option(
        '--pai-list-item-fields <shape>',
        'PAI: list items as the SDK model (sdk) or the doc example (doc)',
      )
        .choices(['sdk', 'doc'])
        .default('sdk'),
    )
    .option('--imm-project <name>', 'IMM: create this project at start (repeatable)', collect, [
      'demo-project',
    ] as string[])
    .option('--imm-index-delay-ms <ms>', 'IMM: how long indexing takes after BatchIndexFileMeta answered')
    .option('--imm-qps <n>', 'IMM: calls per second per project before Throttling (0 = unlimited)')
    .option('--imm-error-rate <0..1>', 'IMM: share of calls answered 500/503')
    .option('--imm-index-failure-rate <0..1>', 'IMM: share of files whose indexing fails')
    .addOption(
      new Option('--imm-throttle-style <style>', 'IMM: 429 Throttling (imm) or 400 Throttling.User (pop)')
        .choices(['imm', 'pop'])
        .default('imm'),
    )
    .option('--events-url <url>', 'OSS: POST an event notification here on every put/delete')
    .addOption(
      new Option('--events-format <fmt>', 'event shape').choices(['mns', 'eventbridge']).default('mns'),
    )
    .option('--events-secret <secret>', 'sign event bodies (header x-oss-pai-sync-signature)')
    .option('--events-in-flight <n>', 'OSS: event deliveries in flight at once (default 8)')
    .addOption(
      new Option(
        '--events-retry <policy>',
        'OSS: MNS retry policy for failed deliveries (times scaled by 1/100)',
      )
        .choices(['backoff', 'exponential'])
        .default('backoff'),
    )
    .option('--seed <n>', 'OSS: fill the first --bucket with N objects at start')
    .option(
      '--seed-key <pattern>',
      'OSS: key pattern for --seed: {n}, {n:WIDTH}, {n/PER_FOLDER}',
      'seed/{n}.bin',
    )
    .option('--seed-size <bytes>', 'OSS: body size of each seeded object', '1024')
    .action(async (f: EmulateFlags) => {
      const plan = seedPlan(f);
      const { oss, pai, imm } = await startEmulators(f);
      if (plan) {
        const { count, ms } = runSeed(oss, plan);
        process.stdout.write(
          `seeded ${count} objects of ${plan.sizeBytes} bytes into ${plan.bucket} ` +
            `(${plan.pattern.keyAt(0)} .. ${plan.pattern.keyAt(plan.count - 1)}) in ${(ms / 1000).toFixed(1)} s\n`,
        );
      }
      onShutdown(async () => {
        await Promise.all([oss.close(), pai.close(), imm.close()]);
      });
      process.stdout.write(
        [
          `OSS emulator:  ${oss.endpoint}   (buckets: ${f.bucket.length ? f.bucket.join(', ') : 'none yet; create with PUT /-/admin/buckets/NAME'})`,
          `PAI emulator:  ${pai.endpoint}   (protocol http)`,
          `IMM emulator:  ${imm.endpoint}   (protocol http; projects: ${f.immProject.join(', ') || 'none yet; create with CreateProject or PUT /-/admin/projects/NAME'})`,
          `credentials:   access key id ${f.accessKeyId}, secret ${f.accessKeySecret}`,
          '',
          'Use them with:',
          `  export ALIBABA_CLOUD_ACCESS_KEY_ID=${f.accessKeyId} ALIBABA_CLOUD_ACCESS_KEY_SECRET=${f.accessKeySecret}`,
          `  oss-pai-sync sync --oss-endpoint ${oss.endpoint} --pai-endpoint ${pai.endpoint} --pai-protocol http \\`,
          '    --bucket BUCKET --workspace-id ws-1 --dataset-name my-dataset',
          '',
          'Ctrl-C stops them all.',
          '',
        ].join('\n'),
      );
    });
}
