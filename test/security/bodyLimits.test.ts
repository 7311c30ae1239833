/**
 * An oversized body, sent chunked (no Content-Length) and kept streaming: the bot's /api/messages and the municipal
 * API answer 413 at once, close the connection cleanly (the client reads the whole answer and then a FIN, no reset)
 * and log one warning, no error line.
 */
import net from 'node:net';
import { createMeldwijzer, type Meldwijzer } from '../../src/app';
import { loadConfig } from '../../src/config';
import { hashToken, startMunicipalApi, type RunningMunicipalApi } from '../../src/api';
import { memoryLogger } from '../../src/records/logger';
import { HOST_ENV } from '../support/host';

interface RawResult {
  head: string;
  /** Client-side error before the answer was complete (e.g. ECONNRESET), or null. */
  errorBeforeAnswer: string | null;
  fin: boolean;
  sent: number;
}

/** Streams `total` bytes as a chunked body; resolves when the server has closed the connection. */
function streamChunked(port: number, path: string, total: number, headers: Record<string, string> = {}): Promise<RawResult> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let resp = '';
    let sent = 0;
    let fin = false;
    let errorBeforeAnswer: string | null = null;
    const answered = () => /\r\n\r\n/.test(resp) && resp.includes('}');
    s.on('data', (d) => (resp += d.toString()));
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (!answered()) errorBeforeAnswer = e.code ?? e.message;
    });
    s.on('end', () => (fin = true));
    s.on('close', () => resolve({ head: resp, errorBeforeAnswer, fin, sent }));
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    s.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${extra}Transfer-Encoding: chunked\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (sent < total && !s.destroyed && s.writable) {
        s.write(`${chunk.length.toString(16)}\r\n`);
        s.write(chunk);
        const ok = s.write('\r\n');
        sent += chunk.length;
        if (!ok) return void s.once('drain', pump);
      }
      if (s.writable) s.write('0\r\n\r\n');
    };
    pump();
    setTimeout(() => s.destroy(), 20_000).unref();
  });
}

describe('oversized chunked bodies: 413 and a clean close', () => {
  const botLog = memoryLogger();
  const apiLog = memoryLogger();
  let api: RunningMunicipalApi;
  let app: Meldwijzer;
  let botPort: number;

  beforeAll(async () => {
    api = await startMunicipalApi({ port: 0, dbUrl: 'sqlite::memory:', logger: apiLog, tokens: [{ name: 'bot', sha256: hashToken('tok'), scopes: ['consultations:write'] }] });
    const config = loadConfig({ ...HOST_ENV, NODE_ENV: 'test', PORT: '0', MELDWIJZER_DB_URL: 'sqlite::memory:', MUNICIPAL_API_URL: api.url, MUNICIPAL_API_TOKEN: 'tok', PSEUDONYM_SECRET: 'b'.repeat(40), LOG_LEVEL: 'silent' });
    app = await createMeldwijzer(config, { logger: botLog, outbox: false, env: {} });
    botPort = Number(new URL(await app.listen()).port);
  });
  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  test.each([
    ['bot /api/messages, 4 MB', () => botPort, '/api/messages', 4_000_000, {}],
    ['bot /api/messages, 40 MB (client keeps sending long after the answer)', () => botPort, '/api/messages', 40_000_000, {}],
    ['municipal API, 4 MB', () => api.port, '/api/v1/consultations', 4_000_000, { authorization: 'Bearer tok', 'idempotency-key': 'k1' }],
    ['municipal API, 40 MB', () => api.port, '/api/v1/consultations', 40_000_000, { authorization: 'Bearer tok', 'idempotency-key': 'k2' }],
  ] as Array<[string, () => number, string, number, Record<string, string>]>)('%s', async (_name, port, path, total, headers) => {
    const before = { bot: botLog.entries.length, api: apiLog.entries.length };
    const r = await streamChunked(port(), path, total, headers);
    expect(r.errorBeforeAnswer).toBeNull();
    expect(r.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.head.toLowerCase()).toContain('connection: close');
    expect(r.fin).toBe(true);
    // Answered early: not after reading everything the client wanted to send.
    await new Promise((res) => setTimeout(res, 50));
    const lines = [...botLog.entries.slice(before.bot), ...apiLog.entries.slice(before.api)];
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.filter((l) => l.level === 'warn' && /too large|too_large/.test(l.msg))).toHaveLength(1);
    expect(lines.find((l) => (l.fields as { status?: number } | undefined)?.status === 413)).toBeDefined();
  }, 30_000);

  test('the next request on a new connection is served normally', async () => {
    const ok = await fetch(`http://127.0.0.1:${botPort}/healthz`);
    expect(ok.status).toBe(200);
    const problem = await fetch(`${api.url}/api/v1/consultations`, { method: 'POST', headers: { authorization: 'Bearer tok', 'idempotency-key': 'k3', 'content-type': 'application/json' }, body: '{}' });
    expect(problem.status).toBe(400);
  });
});
