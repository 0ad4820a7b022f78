// `oss-pai-sync dashboard`: Bull Board for the product's queues under /queues, and the runs page at /.
// Hono with @hono/node-server: the lightest maintained Bull Board adapter (hono has no dependencies; the
// express adapter brings about 30 packages). Read-only use of Redis besides what Bull Board's own buttons do.
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { Hono } from 'hono';
import type { Services } from '../runs/services.ts';
import { buildReport } from '../runs/report.ts';
import { renderRunsPage } from './runs-page.ts';

export interface Dashboard {
  url: string;
  port: number;
  close(): Promise<void>;
}

const QUEUES_PATH = '/queues';

export async function startDashboard(
  services: Pick<Services, 'runs' | 'dead' | 'scanQueue' | 'syncQueue' | 'controlQueue'>,
  opts: { host: string; port: number; runs?: number },
): Promise<Dashboard> {
  const board = new HonoAdapter(serveStatic);
  createBullBoard({
    queues: [services.scanQueue, services.syncQueue, services.controlQueue].map((q) => new BullMQAdapter(q)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'oss-pai-sync' } },
  });
  board.setBasePath(QUEUES_PATH);

  // Not strict: /queues and /queues/ are the same page (Bull Board links to both).
  const app = new Hono({ strict: false });
  app.get('/', async (c) => {
    const ids = await services.runs.list(opts.runs ?? 50);
    const records = await Promise.all(ids.map((id) => services.runs.get(id)));
    const [dead, deadTotal] = await Promise.all([services.dead.list(0, 100), services.dead.count()]);
    return c.html(
      renderRunsPage({
        runs: records.flatMap((r) => (r ? [buildReport(r)] : [])),
        dead,
        deadTotal,
        queuesPath: `${QUEUES_PATH}/`,
      }),
    );
  });
  app.route(QUEUES_PATH, board.registerPlugin());

  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info) => resolve(info.port));
    server.once('error', reject);
  });
  const shown = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
  return {
    url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        const s = server as unknown as {
          close(cb: (e?: Error) => void): void;
          closeAllConnections?: () => void;
        };
        s.close((err) => (err ? reject(err) : resolve()));
        s.closeAllConnections?.();
      }),
  };
}
