// One pino logger. A few named events with structured fields; nothing per object at info level.
// Secrets never reach it: credentials are held by CredentialSource and never logged; redaction is a backstop.
import { pino, type Logger } from 'pino';
import { prettyDestination } from './pretty.ts';

export type { Logger };

/**
 * Level: opts.level, else $LOG_LEVEL, else info. Lines go to stderr (stdout is for reports and --json):
 * readable text on a terminal, pino's JSON lines otherwise (or with LOG_FORMAT=json).
 */
export function createLogger(
  opts: { level?: string; name?: string; stream?: NodeJS.WriteStream } = {},
): Logger {
  const stream = opts.stream ?? process.stderr;
  const pretty = stream.isTTY === true && process.env.LOG_FORMAT !== 'json';
  return pino(
    {
      name: opts.name ?? 'oss-pai-sync',
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: {
        paths: [
          'accessKeySecret',
          '*.accessKeySecret',
          'securityToken',
          '*.securityToken',
          'secret',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    pretty ? prettyDestination(stream) : stream,
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
