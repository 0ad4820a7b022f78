// One pino logger. A few named events with structured fields; nothing per object at info level.
// Secrets never reach it: credentials are held by CredentialSource and never logged; redaction is a backstop.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  return pino({
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
  });
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
