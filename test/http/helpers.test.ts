/**
 * The one HTTP helper set (src/http): body limit → 413 with a clean close (also chunked), 415 / 400 as problem+json
 * with the one type base, and the coordinator tab answering its problems with that same base.
 */
import restify from 'restify';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { readJsonBody, ClientGone } from '../../src/http/body';
import { HttpProblem, problemTypeUri } from '../../src/http/problem';
import { sendJson, sendProblem } from '../../src/http/json';
import { startTab, type RunningTab } from '../tab/harness';
import { FakeRepo } from '../tab/fixtures';
import { CLIENT_ID, TENANT } from '../support/entra';

const LIMIT = 1024;
let server: restify.Server;
let port: number;

beforeAll(async () => {
  server = restify.createServer({ handleUncaughtExceptions: false });
  server.post('/', async (req: restify.Request, res: restify.Response) => {
    try {
      sendJson(res, 200, { got: await readJsonBody(req, res, LIMIT) });
    } catch (e) {
      if (e instanceof HttpProblem) sendProblem(res, e.problem, e.headers);
      else if (!(e instanceof ClientGone)) sendJson(res, 500, {});
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

async function post(body: string, type = 'application/json') {
  const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: (await r.json()) as Record<string, unknown> };
}

test('a JSON body within the limit is read', async () => {
  expect(await post('{"a":1}')).toMatchObject({ status: 200, body: { got: { a: 1 } } });
});

test.each([
  ['not JSON', 400, 'invalid-json', '{nope', 'application/json'],
  ['empty', 400, 'invalid-json', '', 'application/json'],
  ['wrong content type', 415, 'unsupported-media-type', '{}', 'text/plain'],
  ['declared too large', 413, 'payload-too-large', 'x'.repeat(LIMIT + 1), 'application/json'],
] as const)('%s → %i problem+json with the one type base', async (_n, status, kind, body, type) => {
  const r = await post(body, type);
  expect(r.status).toBe(status);
  expect(r.type).toMatch(/^application\/problem\+json/);
  expect(r.body.type).toBe(problemTypeUri(kind));
  expect(JSON.stringify(r.body)).not.toContain('nope');
});

test('an oversized chunked body gets 413 and a clean close (FIN, no reset)', async () => {
  const answer = await new Promise<{ text: string; reset: boolean }>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    let reset = false;
    s.on('data', (d) => (text += d.toString()));
    s.on('error', () => (reset = true));
    s.on('close', () => resolve({ text, reset }));
    s.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = 'a'.repeat(512);
    for (let i = 0; i < 4; i++) s.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    s.end('0\r\n\r\n');
  });
  expect(answer.text).toMatch(/^HTTP\/1\.1 413/);
  expect(answer.text.toLowerCase()).toContain('connection: close');
  expect(answer.reset).toBe(false);
});

describe('the coordinator tab uses the same problem types', () => {
  let tab: RunningTab;
  beforeAll(async () => {
    tab = await startTab({ repo: new FakeRepo(), auth: { clientId: CLIENT_ID, tenantIds: [TENANT], jwksUri: 'http://127.0.0.1:9/keys', devAuth: false } });
  });
  afterAll(async () => tab?.close());

  test('a bare 401 and a 404 carry urn:meldwijzer:problem: types', async () => {
    const unauth = await fetch(`${tab.baseUrl}/api/tab/me`);
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('www-authenticate')).toBe('Bearer realm="meldwijzer-tab"');
    expect(((await unauth.json()) as { type: string }).type).toBe(problemTypeUri('unauthorized'));
    const missing = await fetch(`${tab.baseUrl}/tab/nope.txt`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { type: string }).type).toBe(problemTypeUri('not-found'));
  });
});
