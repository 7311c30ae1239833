/**
 * A misbehaving front for the municipal API, decided per request by a plan:
 *  - `pass`: forward;
 *  - `reset`: drop the connection before forwarding (the API never saw the request);
 *  - `500` / `503` / `429`: answer with that status without forwarding (503 and 429 with Retry-After: 0);
 *  - `slow`: forward, then answer after `slowMs`, longer than the client timeout (the API has stored the record, the
 *    client gave up);
 *  - `garbage`: raw bytes that are not HTTP; `html502`: a gateway's HTML error page;
 *  - `reset-after`: forward, then reset the connection (stored, but the client sees a network error);
 *  - `garbage-200-after`: forward, then answer 200 with a body that is not JSON;
 *  - `fake-200`: answer 200 with an HTML page without forwarding (a captive portal or misrouted gateway).
 * `down()` stops listening (connections are refused) until `up()` listens again on the same port. Every request is
 * logged (method, path, action, the status the client got) and counted per action.
 */
import http from 'node:http';
import net from 'node:net';

export type FaultAction = 'pass' | 'reset' | '500' | '503' | '429' | 'slow' | 'garbage' | 'html502' | 'reset-after' | 'garbage-200-after' | 'fake-200';

export interface FaultLogEntry {
  n: number;
  method: string;
  path: string;
  action: FaultAction;
  /** Status the API answered (forwarded actions) or the one the proxy made up; null when the connection was cut. */
  status: number | null;
}

export interface FaultProxy {
  url: string;
  port: number;
  log: FaultLogEntry[];
  /** Requests seen, by action. */
  counts: Partial<Record<FaultAction, number>>;
  setPlan(plan: (n: number, method: string, path: string) => FaultAction): void;
  /** Stop listening: connections are refused until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export async function startFaultProxy(target: string, opts: { slowMs?: number } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const log: FaultLogEntry[] = [];
  const counts: Partial<Record<FaultAction, number>> = {};
  let plan: (n: number, method: string, path: string) => FaultAction = () => 'pass';
  let n = 0;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<net.Socket>();

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<Upstream | null> =>
    new Promise((resolve) => {
      const up = http.request({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } }, (res) => {
        const out: Buffer[] = [];
        res.on('data', (c: Buffer) => out.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(out) }));
        res.on('error', () => resolve(null));
      });
      up.on('error', () => resolve(null));
      up.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const i = ++n;
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const action = plan(i, method, path);
      const entry: FaultLogEntry = { n: i, method, path, action, status: null };
      log.push(entry);
      counts[action] = (counts[action] ?? 0) + 1;
      const answer = (status: number, headers: http.OutgoingHttpHeaders, body: string) => {
        entry.status = status;
        res.writeHead(status, headers);
        res.end(body);
      };
      switch (action) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'garbage':
          req.socket.end('\x00\x13\x37 NOT HTTP AT ALL \xff\xfe\r\n\r\n');
          return;
        case '500':
        case '503':
        case '429':
          answer(Number(action), { 'content-type': 'application/problem+json', ...(action === '500' ? {} : { 'retry-after': '0' }) }, JSON.stringify({ type: 'about:blank', title: 'injected', status: Number(action) }));
          return;
        case 'fake-200':
          answer(200, { 'content-type': 'text/html' }, '<html><body>Welkom op het gastnetwerk</body></html>');
          return;
        case 'html502':
          answer(502, { 'content-type': 'text/html' }, '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>');
          return;
        default:
          void forward(req, Buffer.concat(chunks)).then((up) => {
            if (!up) {
              answer(502, {}, '');
              return;
            }
            if (action === 'reset-after') {
              req.socket.destroy();
              return;
            }
            if (action === 'garbage-200-after') {
              answer(200, { 'content-type': 'application/json' }, '{"recordId": "trunc');
              return;
            }
            entry.status = up.status;
            const send = () => {
              if (res.destroyed || res.writableEnded) return;
              const headers = { ...up.headers };
              delete headers['transfer-encoding'];
              res.writeHead(up.status, headers);
              res.end(up.body);
            };
            if (action === 'slow') {
              const t = setTimeout(() => {
                timers.delete(t);
                send();
              }, opts.slowMs ?? 1000);
              timers.add(t);
            } else send();
          });
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  let listening = true;
  const stop = async () => {
    if (!listening) return;
    listening = false;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    counts,
    setPlan(p) {
      plan = p;
    },
    down: stop,
    async up() {
      if (listening) return;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.removeListener('error', reject);
          resolve();
        });
      });
      listening = true;
    },
    close: stop,
  };
}
