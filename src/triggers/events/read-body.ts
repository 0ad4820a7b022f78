// Reads a request body up to a byte limit. Past the limit it stops buffering but keeps draining, so the
// client finishes sending and can read our 413 instead of seeing a reset connection mid-upload.

import type { IncomingMessage } from 'node:http';

export type BodyResult = { tooLarge: false; body: Buffer } | { tooLarge: true };

/** The client went away before the body ended: nothing to answer, nobody to answer to. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client disconnected before the request body ended');
    this.name = 'ClientGoneError';
  }
}

export function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(tooLarge ? { tooLarge: true } : { tooLarge: false, body: Buffer.concat(chunks) }),
    );
    // A client that disconnects mid-body shows as an 'error' (ECONNRESET "aborted") or a close without end.
    req.on('error', (err) => reject(req.complete ? err : new ClientGoneError()));
    req.on('close', () => {
      if (!req.complete) reject(new ClientGoneError());
    });
  });
}
