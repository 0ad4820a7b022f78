// The unsigned admin endpoint under /-/admin/ (same shape as the PAI emulator's):
//   GET /-/admin/faults -> ImmFaults      PUT /-/admin/faults {partial ImmFaults} -> merged ImmFaults
//   GET /-/admin/stats  -> ImmStats       DELETE /-/admin/stats -> resets them, answers the zeroed stats
//   GET /-/admin/qps    -> {qps}          PUT /-/admin/qps {qps} -> {qps}
//   PUT /-/admin/projects/NAME -> creates a project without an SDK (for `emulate` users and scripts)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBody, readBody, sendJson } from '../pai/http-io.ts';
import { ImmApiError } from './api-error.ts';
import type { ImmFaults, ImmStats } from './types.ts';

export const ADMIN_PREFIX = '/-/admin/';

export interface AdminControls {
  faults(): ImmFaults;
  setFaults(f: Partial<ImmFaults>): void;
  stats(): ImmStats;
  resetStats(): void;
  qps(): number;
  setQps(qps: number): void;
  createProject(name: string): void;
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  controls: AdminControls,
  requestId: string,
): Promise<void> {
  const what = rawPath.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
  const method = req.method ?? 'GET';
  try {
    const body = method === 'PUT' ? parseJsonBody(await readBody(req)) : {};
    if (what === 'faults' && method === 'GET') return sendJson(res, 200, controls.faults(), requestId);
    if (what === 'faults' && method === 'PUT') {
      controls.setFaults(body as Partial<ImmFaults>);
      return sendJson(res, 200, controls.faults(), requestId);
    }
    if (what === 'stats' && method === 'GET') return sendJson(res, 200, controls.stats(), requestId);
    if (what === 'stats' && method === 'DELETE') {
      controls.resetStats();
      return sendJson(res, 200, controls.stats(), requestId);
    }
    if (what === 'qps' && method === 'GET') return sendJson(res, 200, { qps: controls.qps() }, requestId);
    if (what === 'qps' && method === 'PUT') {
      controls.setQps(body.qps as number);
      return sendJson(res, 200, { qps: controls.qps() }, requestId);
    }
    if (what.startsWith('projects/') && method === 'PUT') {
      const name = decodeURIComponent(what.slice('projects/'.length));
      controls.createProject(name);
      return sendJson(res, 200, { ProjectName: name }, requestId);
    }
    throw new ImmApiError(404, 'NotFound', `No admin resource ${method} ${rawPath}.`);
  } catch (err) {
    const e = err as { status?: number; code?: string; message?: string };
    sendJson(
      res,
      e.status ?? 500,
      { Code: e.code ?? 'InternalError', Message: e.message ?? String(err) },
      requestId,
    );
  }
}
