// GET /metrics (Prometheus text format) on its own port, for `worker --metrics-port N`.
import { createServer } from 'node:http';
import { listen } from '../net/listen.ts';
import type { PrometheusMetrics } from './prometheus.ts';

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Answers GET /metrics; anything else 404. */
export function metricsHandler(prom: PrometheusMetrics) {
  return async (
    method: string | undefined,
    path: string,
  ): Promise<{ status: number; type: string; body: string }> => {
    if (path !== '/metrics') return { status: 404, type: 'text/plain', body: 'GET /metrics\n' };
    if (method !== 'GET' && method !== 'HEAD') return { status: 405, type: 'text/plain', body: 'use GET\n' };
    const r = await prom.render();
    return { status: 200, type: r.contentType, body: r.body };
  };
}

export async function startMetricsServer(
  prom: PrometheusMetrics,
  opts: { host?: string; port: number },
): Promise<MetricsServer> {
  const handle = metricsHandler(prom);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    handle(req.method, path).then(
      (r) => {
        res.writeHead(r.status, { 'content-type': r.type });
        res.end(r.body);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`metrics failed: ${(err as Error).message}\n`);
      },
    );
  });
  const host = opts.host ?? '0.0.0.0';
  const port = await listen(server, opts.port, host, 'metrics server');
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
