// Counts the commands one client connection sends to Redis while `fn` runs, as Redis itself sees them
// (MONITOR, filtered by the connection's address): a measure of round trips that does not depend on timing.
// Commands that scripts run inside Redis are not the client's and are not counted. No fixed wait: the
// monitor is known to be in place once it reported a first marker, and the count is read once a second
// marker sent after `fn` has come through.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { waitFor } from './wait-for.ts';

/** The names of the commands `client` sent while `fn` ran, in order. */
export async function commandsSentBy(client: Redis, fn: () => Promise<void>): Promise<string[]> {
  const info = String(await client.client('INFO'));
  const addr = /\baddr=(\S+)/.exec(info)?.[1];
  if (!addr) throw new Error(`no addr in CLIENT INFO: ${info}`);
  const marker = `commands-sent-by-${randomBytes(6).toString('hex')}`;
  const monitor = await client.duplicate().monitor();
  let counting = false;
  let live = false;
  let done = false;
  const seen: string[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== addr) return;
    const name = String(args[0]).toLowerCase();
    if (name === 'echo' && args[1] === `${marker}-ready`) live = true;
    else if (name === 'echo' && args[1] === marker) done = true;
    else if (counting && !done) seen.push(name);
  });
  try {
    await waitFor(
      async () => {
        await client.echo(`${marker}-ready`);
        return live;
      },
      { what: 'MONITOR to report the client', intervalMs: 10 },
    );
    counting = true;
    await fn();
    await client.echo(marker);
    await waitFor(() => done, { what: 'the end marker to come through MONITOR' });
    return seen;
  } finally {
    monitor.disconnect();
  }
}
