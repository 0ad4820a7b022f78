// User-facing errors: one clear message and an exit code, never a bare stack trace.
import { ConfigError } from '../config/load.ts';
import { CredentialsError } from '../config/credentials.ts';
import { RedisUnavailableError } from '../queue/connection.ts';
import { BindingBusyError, DatasetError } from '../runs/start-run.ts';
import { ListenError } from '../net/listen.ts';
import { RunControlError } from '../runs/control.ts';
import { ScheduleError } from '../triggers/schedules.ts';

export class UsageError extends Error {}

const KNOWN = [
  ConfigError,
  CredentialsError,
  RedisUnavailableError,
  BindingBusyError,
  DatasetError,
  UsageError,
  ListenError,
  RunControlError,
  ScheduleError,
];

export function reportError(err: unknown): number {
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`oss-pai-sync: ${e.message}\n`);
  // Errors of our own already say what to do; anything else may be a bug, so offer the stack.
  if (process.env.DEBUG) process.stderr.write(`${e.stack}\n`);
  else if (!KNOWN.some((k) => e instanceof k)) process.stderr.write('(set DEBUG=1 to see the stack trace)\n');
  return 1;
}
