// The unsigned admin endpoint the PAI and IMM emulators share under /-/admin/: a table of routes, each a
// method, a resource and a function from the JSON body to the JSON answer. Lets a test harness or a user of
// `oss-pai-sync emulate` change faults and rate limits of a running emulator and read its counters without
// an SDK. Errors answer the services' shape {Code, Message} with the error's status (500 when it has none).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBody, readBody, sendJson } from './pai/http-io.ts';

export const ADMIN_PREFIX = '/-/admin/';

export interface AdminRoute {
  method: 'GET' | 'PUT' | 'DELETE';
  /** The resource after /-/admin/: exact ('faults'), or a prefix ending in '/' ('projects/'). */
  path: string;
  /** The answer; `rest` is what follows a prefix route's path (URL-decoded). */
  answer(body: Record<string, unknown>, rest: string): unknown;
}

/** The routes every emulator has: faults, stats, and its rate limit under `rateName` (PAI rps, IMM qps). */
export function commonAdminRoutes<F extends object, S>(c: {
  faults(): F;
  setFaults(f: Partial<F>): void;
  stats(): S;
  resetStats(): void;
  rateName: string;
  rate(): number;
  setRate(n: number): void;
}): AdminRoute[] {
  const rate = () => ({ [c.rateName]: c.rate() });
  return [
    { method: 'GET', path: 'faults', answer: () => c.faults() },
    {
      method: 'PUT',
      path: 'faults',
      answer: (body) => {
        c.setFaults(body as Partial<F>);
        return c.faults();
      },
    },
    { method: 'GET', path: 'stats', answer: () => c.stats() },
    {
      method: 'DELETE',
      path: 'stats',
      answer: () => {
        c.resetStats();
        return c.stats();
      },
    },
    { method: 'GET', path: c.rateName, answer: rate },
    {
      method: 'PUT',
      path: c.rateName,
      answer: (body) => {
        c.setRate(body[c.rateName] as number);
        return rate();
      },
    },
  ];
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  routes: readonly AdminRoute[],
  requestId: string,
): Promise<void> {
  const what = rawPath.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
  const method = req.method ?? 'GET';
  try {
    const body = method === 'PUT' ? parseJsonBody(await readBody(req)) : {};
    for (const r of routes) {
      if (r.method !== method) continue;
      if (r.path.endsWith('/') ? what.startsWith(r.path) : what === r.path) {
        const rest = r.path.endsWith('/') ? decodeURIComponent(what.slice(r.path.length)) : '';
        return sendJson(res, 200, r.answer(body, rest), requestId);
      }
    }
    throw Object.assign(new Error(`No admin resource ${method} ${rawPath}.`), {
      status: 404,
      code: 'NotFound',
    });
  } catch (err) {
    const e = err as { status?: number; code?: string; message?: string };
    sendJson(
      res,
      typeof e.status === 'number' ? e.status : 500,
      { Code: e.code ?? 'InternalError', Message: e.message ?? String(err) },
      requestId,
    );
  }
}
