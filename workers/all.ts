// Entry point: a worker process for the scan,sync,control queue(s). All logic lives in the CLI's worker verb.
import { main } from '../src/cli/main.ts';

await main([
  process.argv[0]!,
  'oss-pai-sync',
  'worker',
  '--kinds',
  'scan,sync,control',
  ...process.argv.slice(2),
]);
