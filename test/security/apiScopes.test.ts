/**
 * Municipal API bearer tokens and scopes: a write token cannot read, a read token cannot write, a missing or
 * wrong token is 401 — on every route, with a problem+json body and a WWW-Authenticate header.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { hashToken, startMunicipalApi, type RunningMunicipalApi } from '../../src/api';
import { memoryLogger } from '../../src/records/logger';
import { sampleRecord } from '../support/fixtures';
import { request } from '../support/mockConnector';

const WRITE = 'write-token-' + 'w'.repeat(24);
const READ = 'read-token-' + 'r'.repeat(24);
const BOTH = 'both-token-' + 'b'.repeat(24);

describe('municipal API scopes', () => {
  let api: RunningMunicipalApi;
  let existing: string;
  const agent = new http.Agent({ keepAlive: true });
  const logger = memoryLogger();

  beforeAll(async () => {
    api = await startMunicipalApi({
      port: 0,
      dbUrl: 'sqlite::memory:',
      logger,
      tokens: [
        { name: 'bot', sha256: hashToken(WRITE), scopes: ['consultations:write'] },
        { name: 'dashboard', sha256: hashToken(READ), scopes: ['consultations:read'] },
        { name: 'admin', sha256: hashToken(BOTH), scopes: ['consultations:read', 'consultations:write'] },
      ],
    });
    const record = sampleRecord();
    const r = await call('POST', '/api/v1/consultations', WRITE, record);
    expect(r.status).toBe(201);
    existing = record.recordId;
  });
  afterAll(async () => {
    agent.destroy();
    await api?.close();
  });

  function call(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) {
    return request(`${api.url}${path}`, body, {
      method,
      agent,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === 'POST' || method === 'PATCH' ? { 'idempotency-key': randomUUID() } : {}), ...headers },
    });
  }

  type Route = { name: string; method: string; path: () => string; body?: () => unknown; scope: 'read' | 'write' };
  const routes: Route[] = [
    { name: 'create', method: 'POST', path: () => '/api/v1/consultations', body: () => sampleRecord(), scope: 'write' },
    { name: 'status update', method: 'PATCH', path: () => `/api/v1/consultations/${existing}`, body: () => ({ status: 'in-behandeling' }), scope: 'write' },
    { name: 'list', method: 'GET', path: () => '/api/v1/consultations?status=open', scope: 'read' },
    { name: 'detail', method: 'GET', path: () => `/api/v1/consultations/${existing}`, scope: 'read' },
    { name: 'stats', method: 'GET', path: () => '/api/v1/consultations/stats', scope: 'read' },
  ];

  const expectProblem = (r: { status: number; body: string; headers: http.IncomingHttpHeaders }, status: number) => {
    expect(r.status).toBe(status);
    expect(String(r.headers['content-type'])).toMatch(/^application\/problem\+json/);
    const p = JSON.parse(r.body) as { status: number; type: string; title: string };
    expect(p.status).toBe(status);
    expect(p.type).toMatch(/^urn:meldwijzer:problem:/);
  };

  describe.each(routes)('$name ($method, needs consultations:$scope)', (route) => {
    test('without a token → 401 with WWW-Authenticate', async () => {
      const r = await call(route.method, route.path(), null, route.body?.());
      expectProblem(r, 401);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer /);
    });

    test.each([
      ['unknown token', 'not-a-configured-token'],
      ['the hash of a token instead of the token', hashToken(WRITE)],
      ['a token with a trailing character', WRITE + 'x'],
    ])('%s → 401', async (_n, token) => {
      expectProblem(await call(route.method, route.path(), token, route.body?.()), 401);
    });

    test('token in the query string instead of the header → 401', async () => {
      const sep = route.path().includes('?') ? '&' : '?';
      const r = await call(route.method, `${route.path()}${sep}access_token=${route.scope === 'read' ? READ : WRITE}`, null, route.body?.());
      expect([400, 401]).toContain(r.status);
    });

    test(`the other scope's token → 403 insufficient_scope`, async () => {
      const r = await call(route.method, route.path(), route.scope === 'read' ? WRITE : READ, route.body?.());
      expectProblem(r, 403);
      expect(r.headers['www-authenticate']).toMatch(/insufficient_scope/);
    });

    test('the right token → 2xx (positive control)', async () => {
      const r = await call(route.method, route.path(), route.scope === 'read' ? READ : WRITE, route.body?.());
      expect(r.status).toBeGreaterThanOrEqual(200);
      expect(r.status).toBeLessThan(300);
      const both = await call(route.method, route.path(), BOTH, route.name === 'status update' ? { status: 'in-behandeling' } : route.body?.());
      expect(both.status).toBeLessThan(300);
    });
  });

  test('a write token cannot read back what it wrote', async () => {
    const record = sampleRecord();
    expect((await call('POST', '/api/v1/consultations', WRITE, record)).status).toBe(201);
    expectProblem(await call('GET', `/api/v1/consultations/${record.recordId}`, WRITE), 403);
    const read = await call('GET', `/api/v1/consultations/${record.recordId}`, READ);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body).recordId).toBe(record.recordId);
  });

  test('a rejected write leaves nothing behind', async () => {
    const record = sampleRecord();
    expectProblem(await call('POST', '/api/v1/consultations', READ, record), 403);
    expectProblem(await call('GET', `/api/v1/consultations/${record.recordId}`, READ), 404);
  });

  test('tokens never appear in the API logs', () => {
    const text = JSON.stringify(logger.entries);
    for (const t of [WRITE, READ, BOTH, hashToken(WRITE), hashToken(READ)]) expect(text).not.toContain(t);
    expect(logger.entries.some((e) => e.msg === 'request')).toBe(true);
  });
});
