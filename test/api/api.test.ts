import { randomUUID } from 'node:crypto';
import { hashToken, openApiDocument, ROUTES, startMunicipalApi, type RunningMunicipalApi } from '../../src/api';
import { memoryLogger } from '../../src/records/logger';
import type { MunicipalRecord } from '../../src/records/schema';
import type { Db } from '../../src/store/db';
import { forEachDb } from '../support/dbs';
import { sampleRecord } from '../support/fixtures';

const WRITE = 'write-token-' + 'w'.repeat(20);
const READ = 'read-token-' + 'r'.repeat(20);
const BOTH = 'admin-token-' + 'a'.repeat(20);
const TOKENS = `bot:${hashToken(WRITE)}:consultations:write;dash:${hashToken(READ)}:consultations:read;admin:${hashToken(BOTH)}:consultations:read,consultations:write`;

interface Answer {
  status: number;
  type: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers: Headers;
}

forEachDb('municipal API', (f) => {
  let api: RunningMunicipalApi;
  let db: Db;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    db = await f.fresh();
    log = memoryLogger();
    api = await startMunicipalApi({ port: 0, db, tokens: TOKENS, logger: log });
  });
  afterEach(async () => {
    await api.close();
  });

  async function call(method: string, path: string, opts: { token?: string | null; body?: unknown; raw?: string; key?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? BOTH : opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
    if (opts.key) headers['idempotency-key'] = opts.key;
    const res = await fetch(api.url + path, {
      method,
      headers,
      body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', body, text, headers: res.headers };
  }

  const post = (record: unknown, key: string | null = randomUUID(), token: string | null = WRITE) =>
    call('POST', '/api/v1/consultations', { body: record, key, token });
  const count = async () => (await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM municipal_consultations'))[0].n;

  function expectProblem(a: Answer, status: number, kind?: string) {
    expect(a.status).toBe(status);
    expect(a.type).toMatch(/^application\/problem\+json/);
    expect(a.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
    if (kind) expect(a.body.type).toBe(`urn:meldwijzer:problem:${kind}`);
    expect(a.text).not.toMatch(/at .*\.ts:\d+|Error:|stack/);
  }

  it('creates once per Idempotency-Key: repeat → first result with 200, one row', async () => {
    const record = sampleRecord();
    const key = randomUUID();
    const first = await post(record, key);
    expect(first.status).toBe(201);
    expect(first.type).toMatch(/^application\/json/);
    expect(first.headers.get('location')).toBe(`/api/v1/consultations/${record.recordId}`);
    expect(first.body).toEqual(record);
    const again = await post({ ...record }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // Same content, keys in another order: same request.
    const reordered = Object.fromEntries(Object.entries(record).reverse());
    expect((await post(reordered, key)).status).toBe(200);
    expect(await count()).toBe(1);
    // Same key, other body.
    expectProblem(await post({ ...record, stap: 3 }, key), 422, 'idempotency-key-reused');
    // The same record under a new key is still one record; other content under that id is a conflict.
    expect((await post(record, randomUUID())).status).toBe(200);
    expectProblem(await post({ ...record, stap: 4 }, randomUUID()), 409, 'record-conflict');
    expect(await count()).toBe(1);
    expect((await call('GET', `/api/v1/consultations/${record.recordId}`, { token: READ })).body).toEqual(record);
  });

  it('concurrent identical requests with one key create exactly one record', async () => {
    const record = sampleRecord();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(record, key)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    for (const a of answers) expect(a.body).toEqual(record);
    expect(await count()).toBe(1);
  });

  it('requires the Idempotency-Key', async () => {
    const a = await post(sampleRecord(), null);
    expectProblem(a, 400, 'validation');
    expect(a.body.invalidParams).toEqual([expect.objectContaining({ name: 'Idempotency-Key' })]);
    expect(await count()).toBe(0);
  });

  it('401 without or with a wrong token, 403 without the scope — and nothing written or shown', async () => {
    const record = sampleRecord();
    for (const token of [null, 'wrong-token', hashToken(WRITE)]) {
      const a = await post(record, randomUUID(), token);
      expectProblem(a, 401, 'unauthorized');
      expect(a.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    expectProblem(await call('POST', '/api/v1/consultations', { body: record, key: randomUUID(), headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, token: null }), 401);
    const forbidden = await post(record, randomUUID(), READ);
    expectProblem(forbidden, 403, 'forbidden');
    expect(forbidden.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
    expect(await count()).toBe(0);

    expect((await post(record, randomUUID(), WRITE)).status).toBe(201);
    for (const path of ['/api/v1/consultations', `/api/v1/consultations/${record.recordId}`, '/api/v1/consultations/stats']) {
      const noToken = await call('GET', path, { token: null });
      expectProblem(noToken, 401);
      // Only the problem: no record content (the instance is the requested path itself).
      expect(Object.keys(noToken.body).sort()).toEqual(['detail', 'instance', 'status', 'title', 'type']);
      expect(noToken.text).not.toContain(record.aanvragerPseudoniem);
      const writeOnly = await call('GET', path, { token: WRITE });
      expectProblem(writeOnly, 403);
      expect(writeOnly.text).not.toContain(record.aanvragerPseudoniem);
      expect(writeOnly.text).not.toContain('blauwe-plekken');
    }
    const patchAsReader = await call('PATCH', `/api/v1/consultations/${record.recordId}`, { body: { status: 'in-behandeling' }, token: READ });
    expectProblem(patchAsReader, 403);
    expect((await call('GET', `/api/v1/consultations/${record.recordId}`, { token: READ })).body.status).toBe('open');
  });

  it('validates with the shared schema and names the fields, never their content', async () => {
    const a = await post({ ...sampleRecord(), leeftijd: 12, maand: '2026-03-14' });
    expectProblem(a, 400, 'validation');
    const names = (a.body.invalidParams as Array<{ name: string }>).map((p) => p.name).sort();
    expect(names).toEqual(['leeftijd', 'maand']);
    // Unknown fields with text are free text: 422, named, not echoed.
    const t = await post({ ...sampleRecord(), naam: 'Jan de Vries', geboortedatum: '2015-04-01' });
    expectProblem(t, 422, 'free-text');
    expect((t.body.invalidParams as Array<{ name: string }>).map((p) => p.name).sort()).toEqual(['geboortedatum', 'naam']);
    expect(t.text).not.toContain('Jan de Vries');
    expect(t.text).not.toContain('2015-04-01');
    expect(a.text).not.toContain('Jan de Vries');
    expect(a.text).not.toContain('2015-04-01');
    expect(a.text).not.toContain('2026-03-14');
    expect(await count()).toBe(0);
  });

  it('refuses any free text (a note, scrubbed or not, or another unknown text field) with 422, without echoing it', async () => {
    const a = await post({ ...sampleRecord(), notitie: 'Moeder belt vanaf 06-12345678, mail naar j.devries@example.nl' });
    expectProblem(a, 422, 'free-text');
    expect(a.body.invalidParams).toEqual([expect.objectContaining({ name: 'notitie', code: 'free_text' })]);
    expect(a.text).not.toContain('06-12345678');
    expect(a.text).not.toContain('devries');
    // Already scrubbed text is refused as well: the municipality keeps no free text at all.
    const b = await post({ ...sampleRecord(), notitie: 'Zorgen over verzuim; [NAAM] heeft contact gehad met Veilig Thuis (0800-2000).' });
    expectProblem(b, 422, 'free-text');
    const c = await post({ ...sampleRecord(), opmerking: { tekst: 'pietje jansen is bang' } });
    expectProblem(c, 422, 'free-text');
    expect(c.body.invalidParams).toEqual([expect.objectContaining({ name: 'opmerking' })]);
    expect(c.text).not.toContain('pietje');
    expect(await count()).toBe(0);
    expect((await post(sampleRecord())).status).toBe(201);
  });

  it('answers malformed, oversized and mistyped bodies with a problem, never a 500', async () => {
    expectProblem(await call('POST', '/api/v1/consultations', { raw: '{"recordId": "x", ', key: 'k1', token: WRITE }), 400, 'invalid-json');
    expectProblem(await call('POST', '/api/v1/consultations', { raw: '', key: 'k2', token: WRITE }), 400, 'invalid-json');
    expectProblem(await call('POST', '/api/v1/consultations', { raw: JSON.stringify({ notitie: 'x'.repeat(70_000) }), key: 'k3', token: WRITE }), 413, 'payload-too-large');
    expectProblem(
      await call('POST', '/api/v1/consultations', { raw: JSON.stringify(sampleRecord()), key: 'k4', token: WRITE, headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported-media-type',
    );
    expectProblem(await call('POST', '/api/v1/consultations', { body: [1, 2], key: 'k5', token: WRITE }), 400, 'validation');
    expectProblem(await call('POST', '/api/v1/consultations', { raw: 'null', key: 'k6', token: WRITE }), 400, 'validation');
    expectProblem(await call('GET', '/api/v1/nope', { token: READ }), 404, 'not-found');
    expectProblem(await call('DELETE', '/api/v1/consultations', { token: BOTH }), 405, 'method-not-allowed');
    expectProblem(await call('GET', `/api/v1/consultations/${randomUUID()}`, { token: READ }), 404, 'not-found');
    expectProblem(await call('GET', '/api/v1/consultations/not-a-uuid', { token: READ }), 404, 'not-found');
    expect(await count()).toBe(0);
    // The service is still healthy after all that.
    expect((await call('GET', '/healthz', { token: null })).body).toEqual({ status: 'ok' });
  });

  it('paginates newest first with a cursor and filters', async () => {
    const made: MunicipalRecord[] = [];
    for (let i = 0; i < 25; i++) {
      const r = sampleRecord({
        gemeente: i % 5 === 0 ? 'GM1708' : 'GM0246',
        doelgroep: i % 2 ? 'kind' : 'oudere',
        maand: i < 10 ? '2026-01' : '2026-02',
      });
      made.push(r);
      expect((await post(r)).status).toBe(201);
    }
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const qs: string = next ? `?limit=10&cursor=${encodeURIComponent(next)}` : '?limit=10';
      const a = await call('GET', `/api/v1/consultations${qs}`, { token: READ });
      expect(a.status).toBe(200);
      seen.push(...a.body.items.map((r: MunicipalRecord) => r.recordId));
      next = a.body.next;
      pages++;
    } while (next);
    expect(pages).toBe(3);
    expect(seen).toEqual(made.map((r) => r.recordId).reverse());
    const byGemeente = await call('GET', '/api/v1/consultations?gemeente=GM1708', { token: READ });
    expect(byGemeente.body.items).toHaveLength(5);
    expect(byGemeente.body.next).toBeNull();
    expect((await call('GET', '/api/v1/consultations?doelgroep=oudere&from=2026-02&limit=100', { token: READ })).body.items).toHaveLength(8);
    expect((await call('GET', '/api/v1/consultations?to=2026-01&limit=100', { token: READ })).body.items).toHaveLength(10);
    expect((await call('GET', '/api/v1/consultations?status=open,afgerond&limit=100', { token: READ })).body.items).toHaveLength(25);
    for (const bad of ['limit=101', 'limit=0', 'limit=abc', 'cursor=zzz', 'from=2026-13', 'status=gesloten', 'gemeente=Heerde', 'doelgroep=hond', 'sort=naam']) {
      const a = await call('GET', `/api/v1/consultations?${bad}`, { token: READ });
      expectProblem(a, 400, 'validation');
      expect(a.body.invalidParams.length).toBeGreaterThan(0);
    }
  });

  it('changes status along the allowed transitions, idempotently', async () => {
    const record = sampleRecord();
    await post(record);
    const path = `/api/v1/consultations/${record.recordId}`;
    const patch = (status: string, token = WRITE) => call('PATCH', path, { body: { status }, token, key: randomUUID() });
    expect((await patch('in-behandeling')).body.status).toBe('in-behandeling');
    expect((await patch('in-behandeling')).status).toBe(200);
    const back = await patch('open');
    expectProblem(back, 409, 'invalid-transition');
    expect(back.body).toMatchObject({ currentStatus: 'in-behandeling', requestedStatus: 'open' });
    expect((await patch('afgerond')).body.status).toBe('afgerond');
    expect((await patch('afgerond')).status).toBe(200);
    expectProblem(await patch('ingetrokken'), 409);
    expectProblem(await patch('weg'), 400, 'validation');
    expectProblem(await call('PATCH', path, { body: { status: 'afgerond', door: 'Jan' }, token: WRITE }), 400, 'validation');
    expectProblem(await call('PATCH', `/api/v1/consultations/${randomUUID()}`, { body: { status: 'afgerond' }, token: WRITE }), 404);
    expect((await call('GET', path, { token: READ })).body.status).toBe('afgerond');

    const other = sampleRecord();
    await post(other);
    expect((await call('PATCH', `/api/v1/consultations/${other.recordId}`, { body: { status: 'ingetrokken' }, token: WRITE })).body.status).toBe('ingetrokken');
    expectProblem(await call('PATCH', `/api/v1/consultations/${other.recordId}`, { body: { status: 'afgerond' }, token: WRITE }), 409);
  });

  it('aggregates stats per month, gemeente, doelgroep, step, action and status', async () => {
    const a = sampleRecord({ maand: '2026-01' });
    await post(a);
    await post(sampleRecord({ maand: '2026-01' }));
    await post(sampleRecord({ maand: '2026-02', gemeente: null, doelgroep: 'partner', stap: 5, actie: 'melden', meldnorm: 'acuut-of-structureel' }));
    await call('PATCH', `/api/v1/consultations/${a.recordId}`, { body: { status: 'in-behandeling' }, token: WRITE });
    const s = await call('GET', '/api/v1/consultations/stats', { token: READ });
    expect(s.status).toBe(200);
    expect(s.body).toEqual({
      totaal: 3,
      items: [
        { maand: '2026-01', gemeente: 'GM0246', doelgroep: 'kind', stap: 2, actie: 'collega-raadplegen', status: 'in-behandeling', aantal: 1 },
        { maand: '2026-01', gemeente: 'GM0246', doelgroep: 'kind', stap: 2, actie: 'collega-raadplegen', status: 'open', aantal: 1 },
        { maand: '2026-02', gemeente: null, doelgroep: 'partner', stap: 5, actie: 'melden', status: 'open', aantal: 1 },
      ],
    });
    expect((await call('GET', '/api/v1/consultations/stats?from=2026-02', { token: READ })).body.totaal).toBe(1);
    expect((await call('GET', '/api/v1/consultations/stats?gemeente=GM0246&status=open', { token: READ })).body.totaal).toBe(1);
  });

  it('serves an OpenAPI 3.1 document that lists every route, and health', async () => {
    const a = await call('GET', '/api/v1/openapi.json', { token: null });
    expect(a.status).toBe(200);
    expect(a.body.openapi).toBe('3.1.0');
    expect(a.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const registered = (api.server.getDebugInfo() as { routes: Array<{ method: string; path: string }> }).routes;
    expect(registered.length).toBe(ROUTES.length);
    for (const r of registered) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      expect(a.body.paths[path]?.[r.method.toLowerCase()]).toBeDefined();
    }
    for (const [path, ops] of Object.entries(a.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) {
        expect(registered.some((r) => r.method.toLowerCase() === method && r.path.replace(/:(\w+)/g, '{$1}') === path)).toBe(true);
      }
    }
    const schema = a.body.components.schemas.MunicipalRecord;
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toContain('aanvragerPseudoniem');
    expect((await call('GET', '/api/v1/healthz', { token: null })).body).toEqual({ status: 'ok' });
  });

  it('logs JSON-able lines without bodies or free text', async () => {
    await post(sampleRecord());
    await post({ ...sampleRecord(), notitie: 'Vader is erg bezorgd over de situatie thuis' });
    await post({ ...sampleRecord(), notitie: 'Bel 06-12345678' });
    await call('POST', '/api/v1/consultations', { raw: '{"broken', key: 'x', token: WRITE });
    const lines = log.entries.map((e) => JSON.stringify(e));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(line).not.toContain('bezorgd');
      expect(line).not.toContain('06-12345678');
      expect(line).not.toContain('broken');
      expect(line).not.toContain(WRITE);
    }
    expect(log.entries.find((e) => e.msg === 'request')?.fields).toMatchObject({ method: 'POST', route: '/api/v1/consultations', status: 201, client: 'bot' });
  });
});
