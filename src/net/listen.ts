// Starts a node:http server listening, once for every server of the product (emulators, event receiver),
// and turns "address in use" into a message that says what to do.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class ListenError extends Error {}

export async function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new ListenError(
              `${what}: port ${port} on ${host} is already in use; pick another port (0 picks a free one)`,
            )
          : err.code === 'EACCES'
            ? new ListenError(
                `${what}: not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`,
              )
            : err,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
