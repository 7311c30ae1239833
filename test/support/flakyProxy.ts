/**
 * An HTTP proxy in front of the municipal API that misbehaves on demand: resets connections, answers 5xx/429,
 * or forwards the request (so the API really processes it) and then holds the answer back longer than the
 * client's timeout. Records what it saw (method, path, action, upstream status).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyAction = 'pass' | 'reset' | '500' | '503' | '429' | 'slow';

export interface ProxyLogEntry {
  n: number;
  method: string;
  path: string;
  action: ProxyAction;
  /** Status the API answered (pass/slow), or the one the proxy made up. */
  status: number | null;
}

export interface FlakyProxy {
  url: string;
  log: ProxyLogEntry[];
  setPlan(plan: (n: number, method: string, path: string) => ProxyAction): void;
  close(): Promise<void>;
}

export async function startFlakyProxy(target: string, opts: { slowMs?: number } = {}): Promise<FlakyProxy> {
  const upstream = new URL(target);
  const log: ProxyLogEntry[] = [];
  let plan: (n: number, method: string, path: string) => ProxyAction = () => 'pass';
  let n = 0;
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const i = ++n;
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const action = plan(i, method, path);
      const entry: ProxyLogEntry = { n: i, method, path, action, status: null };
      log.push(entry);
      if (action === 'reset') {
        req.socket.destroy();
        return;
      }
      if (action === '500' || action === '503' || action === '429') {
        entry.status = Number(action);
        const body = JSON.stringify({ type: 'about:blank', title: 'flaky', status: entry.status });
        res.writeHead(entry.status, { 'content-type': 'application/problem+json', ...(action === '429' ? { 'retry-after': '0' } : {}) });
        res.end(body);
        return;
      }
      const headers = { ...req.headers, host: upstream.host };
      const up = http.request(
        { hostname: upstream.hostname, port: upstream.port, path, method, headers },
        (upRes) => {
          const out: Buffer[] = [];
          upRes.on('data', (c: Buffer) => out.push(c));
          upRes.on('end', () => {
            entry.status = upRes.statusCode ?? null;
            const send = () => {
              if (res.destroyed || res.writableEnded) return;
              res.writeHead(upRes.statusCode ?? 502, upRes.headers);
              res.end(Buffer.concat(out));
            };
            if (action === 'slow') {
              const t = setTimeout(() => {
                timers.delete(t);
                send();
              }, opts.slowMs ?? 1000);
              timers.add(t);
            } else send();
          });
        },
      );
      up.on('error', () => {
        entry.status = 502;
        if (!res.headersSent) {
          res.writeHead(502);
          res.end();
        }
      });
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    setPlan(p) {
      plan = p;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
