jest.mock('jose', () => require('../support/joseShim'));

import { createTabAuthenticator } from '../../src/tab/auth';
import { STATUS_TRANSITIONS } from '../../src/records/schema';
import restify from 'restify';
import { createTabServer, tabRoutesFromEnv, TAB_TRANSITIONS } from '../../src/tab/routes';
import { CLIENT_ID, TENANT, startLocalEntra, type LocalEntra } from '../support/entra';
import { FakeRepo, type TabRepo } from './fixtures';
import {
  COORD_HEERDE,
  COORD_ZWOLLE,
  ENTRA_COORD,
  ENTRA_UNKNOWN,
  OTHER_REQUESTER,
  PROF,
  realRepo,
  seedStandard,
  startTab,
  testPolicy,
  type RunningTab,
  type SeedKey,
} from './harness';

let entra: LocalEntra;
let tab: RunningTab;
let repo: TabRepo;
let closeRepo: (() => Promise<void>) | undefined;
let N: Record<SeedKey, string>;
const tokens: Record<string, string> = {};

const DEV_SECRET = 'routes-test-dev-secret-0123456789';

beforeAll(async () => {
  entra = await startLocalEntra();
  const real = await realRepo();
  repo = real.repo;
  closeRepo = real.close;
  N = await seedStandard(repo, real.clock);
  tab = await startTab({
    repo,
    auth: { clientId: CLIENT_ID, tenantIds: [TENANT], jwksUri: entra.jwksUri, devAuth: true, devSecret: DEV_SECRET },
    env: { NODE_ENV: 'test' },
  });
  for (const id of [COORD_HEERDE, COORD_ZWOLLE, PROF]) {
    const r = await fetch(`${tab.baseUrl}/api/tab/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: id }) });
    expect(r.status).toBe(200);
    tokens[id] = ((await r.json()) as { token: string }).token;
  }
  tokens.entraCoord = entra.token(ENTRA_COORD);
  tokens.entraUnknown = entra.token(ENTRA_UNKNOWN);
});

afterAll(async () => {
  await tab?.close();
  await closeRepo?.();
  await entra?.close();
});

test('TAB_TRANSITIONS is a subset of the repository transitions', () => {
  for (const [from, tos] of Object.entries(TAB_TRANSITIONS)) {
    for (const to of tos) expect(STATUS_TRANSITIONS[from as keyof typeof STATUS_TRANSITIONS]).toContain(to);
  }
});

test('stats per month / half year / doelgroep / step follow the seeded dates', async () => {
  const r = await get('/api/tab/stats?halfjaar=2026-H1', COORD_HEERDE);
  expect(r.status).toBe(200);
  expect(r.body.totaal).toBe(2);
  expect(r.body.perMaand).toEqual([
    { maand: '2026-01', aantal: 0 },
    { maand: '2026-02', aantal: 1 },
    { maand: '2026-03', aantal: 1 },
    { maand: '2026-04', aantal: 0 },
    { maand: '2026-05', aantal: 0 },
    { maand: '2026-06', aantal: 0 },
  ]);
  const all = await get('/api/tab/stats', COORD_HEERDE);
  expect(all.body.perHalfjaar).toEqual([{ halfjaar: '2026-H1', aantal: 2 }, { halfjaar: '2026-H2', aantal: 2 }]);
  expect(all.body.perDoelgroep).toEqual([
    { doelgroep: 'kind', aantal: 2 },
    { doelgroep: 'partner', aantal: 1 },
    { doelgroep: 'oudere', aantal: 1 },
    { doelgroep: 'volwassene', aantal: 0 },
  ]);
  expect(all.body.meldenVsHulp).toEqual({ melden: 1, hulp: 1, overig: 2 });
  expect(all.body.perStapActie).toContainEqual({ stap: 5, actie: 'melden', uitkomst: 'melden', aantal: 1 });
  const csv = await get('/api/tab/stats.csv?from=2026-08&to=2026-12', COORD_HEERDE);
  expect(csv.text.trim().split('\r\n')).toEqual([
    'halfjaar;maand;gemeente;doelgroep;stap;actie;uitkomst;status;aantal',
    '2026-H2;2026-08;GM0246;kind;5;melden;melden;afgerond;1',
    '2026-H2;2026-09;GM0246;oudere;5;hulp-organiseren;hulp;open;1',
  ]);
});

interface Res {
  status: number;
  type: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers: Headers;
}

async function call(method: string, path: string, who?: string | null, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Res> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (who) headers.authorization = `Bearer ${tokens[who] ?? who}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${tab.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  const type = r.headers.get('content-type') ?? '';
  let parsed: unknown = null;
  if (type.includes('json')) parsed = JSON.parse(text);
  return { status: r.status, type, body: parsed, text, headers: r.headers };
}
const get = (path: string, who?: string | null) => call('GET', path, who);
const nummers = (r: Res) => (r.body.items as Array<{ nummer: string }>).map((i) => i.nummer).sort();
const keys = (...k: SeedKey[]) => k.map((x) => N[x]).sort();

function expectProblem(r: Res, status: number) {
  expect(r.status).toBe(status);
  expect(r.type).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
}

// Every row has three cells: jest passes a `done` callback when a row is shorter than the test function's arity.
const ENDPOINTS: Array<[string, string, unknown]> = [
  ['GET', '/api/tab/me', undefined],
  ['GET', '/api/tab/consultations', undefined],
  ['GET', '/api/tab/consultations/:nummer', undefined],
  ['POST', '/api/tab/consultations/:nummer/status', { status: 'in-behandeling', version: 1 }],
  ['GET', '/api/tab/stats', undefined],
  ['GET', '/api/tab/stats.csv', undefined],
];

describe('401 without or with an invalid token, on every API route', () => {
  test.each(ENDPOINTS)('%s %s', async (method, path, body) => {
    for (const who of [null, 'not-a-token', entra.token(ENTRA_COORD, {}, { key: entra.otherKey }), entra.token(ENTRA_COORD, { scp: 'User.Read' })]) {
      const r = await call(method, path.replace(':nummer', N.H1), who, body);
      expectProblem(r, 401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });
  test('a dev token for an account that is not in the policy → 401', async () => {
    const a = createTabAuthenticator({ devAuth: true, devSecret: DEV_SECRET }, { NODE_ENV: 'test' });
    const t = a.issueDevToken('dev-not-listed').token;
    expectProblem(await get('/api/tab/consultations', t), 401);
  });
});

describe('coordinator of the gemeente', () => {
  test.each([COORD_HEERDE, 'entraCoord'])('%s lists exactly the consultations of their gemeente', async (who) => {
    const r = await get('/api/tab/consultations', who);
    expect(r.status).toBe(200);
    expect(nummers(r)).toEqual(keys('H1', 'H2', 'H3', 'H4'));
  });
  test('me', async () => {
    const r = await get('/api/tab/me', COORD_HEERDE);
    expect(r.body).toEqual({ name: 'AF Heerde (test)', role: 'coordinator', functie: 'aandachtsfunctionaris', gemeenten: ['GM0246'], gemeenteNamen: expect.objectContaining({ GM0246: 'Heerde', GM0855: 'Tilburg' }), devMode: true });
  });
  test('detail', async () => {
    const r = await get(`/api/tab/consultations/${N.H1}`, COORD_HEERDE);
    expect(r.status).toBe(200);
    expect(r.body.item).toMatchObject({ nummer: N.H1, status: 'open', gemeente: 'GM0246', doelgroep: 'kind', leeftijdsgroep: '4-11', urgentie: 'vandaag', stap: 2, actie: 'collega-raadplegen' });
    expect(r.body.canChangeStatus).toBe(true);
  });
  test('stats and CSV', async () => {
    const r = await get('/api/tab/stats', COORD_HEERDE);
    expect(r.status).toBe(200);
    expect(r.body.totaal).toBe(4);
    expect(r.body.gemeenten).toEqual(['GM0246']);
    const csv = await get('/api/tab/stats.csv', COORD_HEERDE);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="meldwijzer-monitoring.*\.csv"$/);
    expect(csv.text.split('\r\n')[0]).toBe('halfjaar;maand;gemeente;doelgroep;stap;actie;uitkomst;status;aantal');
  });
  test('asking for another gemeente → 403; its consultations are not found', async () => {
    expectProblem(await get('/api/tab/consultations?gemeente=GM0193', COORD_HEERDE), 403);
    expectProblem(await get('/api/tab/consultations?gemeente=GM0246,GM0193', COORD_HEERDE), 403);
    expectProblem(await get(`/api/tab/consultations/${N.Z1}`, COORD_HEERDE), 404);
    expectProblem(await call('POST', `/api/tab/consultations/${N.Z1}/status`, COORD_HEERDE, { status: 'in-behandeling', version: 1 }), 404);
    expectProblem(await get('/api/tab/stats?gemeente=GM0193', COORD_HEERDE), 403);
    expectProblem(await get('/api/tab/stats.csv?gemeente=GM0193', COORD_HEERDE), 403);
    // A consultation without gemeente is the requester's only.
    expectProblem(await get(`/api/tab/consultations/${N.N1}`, COORD_HEERDE), 404);
  });
});

describe('coordinator of another gemeente', () => {
  test('sees only their own gemeente', async () => {
    const r = await get('/api/tab/consultations', COORD_ZWOLLE);
    expect(nummers(r)).toEqual(keys('Z1'));
    expectProblem(await get(`/api/tab/consultations/${N.H1}`, COORD_ZWOLLE), 404);
    expectProblem(await call('POST', `/api/tab/consultations/${N.H1}/status`, COORD_ZWOLLE, { status: 'in-behandeling', version: 1 }), 404);
    expectProblem(await get('/api/tab/consultations?gemeente=GM0246', COORD_ZWOLLE), 403);
    const s = await get('/api/tab/stats', COORD_ZWOLLE);
    expect(s.body.totaal).toBe(1);
    expectProblem(await get('/api/tab/stats?gemeente=GM0246', COORD_ZWOLLE), 403);
  });
});

describe('professional', () => {
  test('sees only their own requests, in any gemeente', async () => {
    const r = await get('/api/tab/consultations', PROF);
    expect(nummers(r)).toEqual(keys('H1', 'Z1', 'N1'));
    expect((await get(`/api/tab/consultations/${N.H1}`, PROF)).status).toBe(200);
    expect((await get(`/api/tab/consultations/${N.N1}`, PROF)).body.canChangeStatus).toBe(false);
    expectProblem(await get(`/api/tab/consultations/${N.H2}`, PROF), 404);
    const me = await get('/api/tab/me', PROF);
    expect(me.body).toMatchObject({ role: 'professional', gemeenten: [] });
  });
  test('filters narrow but never widen', async () => {
    expect(nummers(await get('/api/tab/consultations?gemeente=GM0246', PROF))).toEqual(keys('H1'));
    // There is no requesterId parameter: asking for somebody else's requests is a bad request.
    expectProblem(await get('/api/tab/consultations?requesterId=' + OTHER_REQUESTER, PROF), 400);
  });
  test('cannot change a status, not even their own; no monitoring', async () => {
    expectProblem(await call('POST', `/api/tab/consultations/${N.H1}/status`, PROF, { status: 'in-behandeling', version: 1 }), 403);
    expectProblem(await get('/api/tab/stats', PROF), 403);
    expectProblem(await get('/api/tab/stats.csv', PROF), 403);
  });
});

describe('unknown user (valid Entra token, not in the policy)', () => {
  test('is a professional without requests: sees nothing', async () => {
    const r = await get('/api/tab/consultations', 'entraUnknown');
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([]);
    for (const k of Object.keys(N) as SeedKey[]) expectProblem(await get(`/api/tab/consultations/${N[k]}`, 'entraUnknown'), 404);
    expectProblem(await call('POST', `/api/tab/consultations/${N.H1}/status`, 'entraUnknown', { status: 'in-behandeling', version: 1 }), 404);
    expectProblem(await get('/api/tab/stats', 'entraUnknown'), 403);
    expectProblem(await get('/api/tab/stats.csv', 'entraUnknown'), 403);
  });
});

describe('no Teams ids in any response', () => {
  test('list, detail, status change, stats, csv', async () => {
    const bodies: string[] = [];
    for (const who of [COORD_HEERDE, PROF, 'entraCoord']) {
      bodies.push((await get('/api/tab/consultations?status=open,in-behandeling,afgerond,ingetrokken', who)).text);
      bodies.push((await get(`/api/tab/consultations/${N.H1}`, who)).text);
    }
    bodies.push((await get('/api/tab/stats', COORD_HEERDE)).text, (await get('/api/tab/stats.csv', COORD_HEERDE)).text);
    for (const b of bodies) {
      expect(b).not.toMatch(/requesterId|assigneeId/);
      expect(b).not.toContain(PROF);
      expect(b).not.toContain(OTHER_REQUESTER);
      expect(b).not.toContain(COORD_HEERDE);
      expect(b).not.toContain(ENTRA_COORD);
    }
    const item = (await get(`/api/tab/consultations/${N.H1}`, COORD_HEERDE)).body.item;
    expect(Object.keys(item).sort()).toEqual(
      ['nummer', 'status', 'gemeente', 'doelgroep', 'leeftijdsgroep', 'urgentie', 'stap', 'actie', 'route', 'titel', 'createdAt', 'assigneeName', 'version', 'uitkomst'].sort(),
    );
  });
});

describe('filters, sorting and paging', () => {
  test('status, doelgroep, urgentie', async () => {
    expect(nummers(await get('/api/tab/consultations?status=in-behandeling', COORD_HEERDE))).toEqual(keys('H2'));
    expect(nummers(await get('/api/tab/consultations?status=open,in-behandeling', COORD_HEERDE))).toEqual(keys('H1', 'H2', 'H4'));
    expect(nummers(await get('/api/tab/consultations?doelgroep=kind', COORD_HEERDE))).toEqual(keys('H1', 'H3'));
    expect(nummers(await get('/api/tab/consultations?urgentie=vandaag', COORD_HEERDE))).toEqual(keys('H1'));
  });
  test('invalid query values → 400 problem+json', async () => {
    expectProblem(await get('/api/tab/consultations?status=weg', COORD_HEERDE), 400);
    expectProblem(await get('/api/tab/consultations?gemeente=Heerde', COORD_HEERDE), 400);
    expectProblem(await get('/api/tab/consultations?limit=0', COORD_HEERDE), 400);
    expectProblem(await get('/api/tab/consultations?sort=requesterId', COORD_HEERDE), 400);
    expectProblem(await get('/api/tab/consultations?cursor=!!', COORD_HEERDE), 400);
    expectProblem(await get('/api/tab/consultations?foo=1', COORD_HEERDE), 400);
    expectProblem(await get('/api/tab/stats?halfjaar=2026-H3', COORD_HEERDE), 400);
  });
  test('urgentie sort: vandaag, deze-week, geen-haast, none', async () => {
    const r = await get('/api/tab/consultations?sort=urgentie', COORD_HEERDE);
    expect(r.body.items.map((i: { urgentie: string | null }) => i.urgentie)).toEqual(['vandaag', 'deze-week', 'geen-haast', null]);
    const d = await get('/api/tab/consultations?sort=-urgentie', COORD_HEERDE);
    expect(d.body.items[0].urgentie).toBeNull();
  });
  test.each(['-createdAt', 'createdAt', 'status', '-stap', 'doelgroep'])('paging with limit=1 visits every row once (sort %s)', async (sort) => {
    const all = await get(`/api/tab/consultations?sort=${sort}`, COORD_HEERDE);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const q: string = `/api/tab/consultations?sort=${sort}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await get(q, COORD_HEERDE);
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((x: { nummer: string }) => x.nummer));
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all.body.items.map((x: { nummer: string }) => x.nummer));
    expect(seen).toHaveLength(4);
  });
  test('a cursor from another sort is refused', async () => {
    const r = await get('/api/tab/consultations?sort=status&limit=1', COORD_HEERDE);
    expectProblem(await get(`/api/tab/consultations?sort=-createdAt&cursor=${r.body.nextCursor}`, COORD_HEERDE), 400);
  });
});

describe('status change (compare-and-set)', () => {
  test('Oppakken then Afronden; audit written; version moves', async () => {
    const before = (await get(`/api/tab/consultations/${N.H4}`, COORD_HEERDE)).body.item;
    const r1 = await call('POST', `/api/tab/consultations/${N.H4}/status`, COORD_HEERDE, { status: 'in-behandeling', version: before.version });
    expect(r1.status).toBe(200);
    expect(r1.body.item).toMatchObject({ status: 'in-behandeling', assigneeName: 'AF Heerde (test)', version: before.version + 1 });
    const stored = await repo.get(N.H4);
    expect(stored).toMatchObject({ status: 'in-behandeling', assigneeId: COORD_HEERDE });
    const r2 = await call('POST', `/api/tab/consultations/${N.H4}/status`, COORD_HEERDE, { status: 'afgerond', version: r1.body.item.version });
    expect(r2.body.item.status).toBe('afgerond');
    expect((await repo.get(N.H4))!.status).toBe('afgerond');
    const audit = await repo.audit(N.H4);
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });
  test('stale version → 409 with the current state', async () => {
    const cur = (await get(`/api/tab/consultations/${N.H1}`, COORD_HEERDE)).body.item;
    // Someone else (the Entra coordinator of the same gemeente) changes it first.
    const first = await call('POST', `/api/tab/consultations/${N.H1}/status`, 'entraCoord', { status: 'in-behandeling', version: cur.version });
    expect(first.status).toBe(200);
    const late = await call('POST', `/api/tab/consultations/${N.H1}/status`, COORD_HEERDE, { status: 'afgerond', version: cur.version });
    expectProblem(late, 409);
    expect(late.body.current).toMatchObject({ nummer: N.H1, status: 'in-behandeling', version: cur.version + 1 });
    expect(JSON.stringify(late.body)).not.toContain(ENTRA_COORD);
  });
  test('lost race inside the repository (update returns null) → 409', async () => {
    const cur = (await get(`/api/tab/consultations/${N.H2}`, COORD_HEERDE)).body.item;
    const spy = jest.spyOn(repo, 'update').mockImplementationOnce(async () => null);
    const r = await call('POST', `/api/tab/consultations/${N.H2}/status`, COORD_HEERDE, { status: 'afgerond', version: cur.version });
    expectProblem(r, 409);
    spy.mockRestore();
  });
  test('transition not offered by the tab → 422; bad bodies → 400/415', async () => {
    const h3 = (await get(`/api/tab/consultations/${N.H3}`, COORD_HEERDE)).body.item; // afgerond
    expectProblem(await call('POST', `/api/tab/consultations/${N.H3}/status`, COORD_HEERDE, { status: 'ingetrokken', version: h3.version }), 422);
    expectProblem(await call('POST', `/api/tab/consultations/${N.H3}/status`, COORD_HEERDE, { status: 'weg', version: h3.version }), 400);
    expectProblem(await call('POST', `/api/tab/consultations/${N.H3}/status`, COORD_HEERDE, { status: 'open' }), 400);
    expectProblem(await call('POST', `/api/tab/consultations/${N.H3}/status`, COORD_HEERDE, { status: 'open', version: 1, assigneeId: 'x' }), 400);
    const r = await fetch(`${tab.baseUrl}/api/tab/consultations/${N.H3}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[COORD_HEERDE]}`, 'content-type': 'text/plain' },
      body: 'status=open',
    });
    expect(r.status).toBe(415);
    const bad = await fetch(`${tab.baseUrl}/api/tab/consultations/${N.H3}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[COORD_HEERDE]}`, 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(bad.status).toBe(400);
  });
});

describe('static page and assets', () => {
  test('GET /tab/ is the page, framable by Teams only', async () => {
    const r = await fetch(`${tab.baseUrl}/tab/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors [^;]*teams\.microsoft\.com/);
    const html = await r.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('Ontwikkelmodus — niet voor productie');
  });
  test('/tab (without slash) serves the page too; assets use absolute /tab/ URLs', async () => {
    const r = await fetch(`${tab.baseUrl}/tab`, { redirect: 'manual' });
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('src="/tab/app.js"');
    expect(html).toContain('src="/tab/teams-js.js"');
  });
  test('assets and teams-js', async () => {
    for (const [p, type] of [['/tab/app.js', 'text/javascript'], ['/tab/styles.css', 'text/css'], ['/tab/teams-js.js', 'text/javascript']] as const) {
      const r = await fetch(`${tab.baseUrl}${p}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain(type);
    }
    const js = await (await fetch(`${tab.baseUrl}/tab/teams-js.js`)).text();
    expect(js).toContain('authentication');
  });
  test('no path traversal, unknown files 404', async () => {
    for (const p of ['/tab/../package.json', '/tab/%2e%2e%2fpackage.json', '/tab/..%2f..%2fpackage.json', '/tab/nope.js', '/tab/.env', '/tab/%zz']) {
      const r = await fetch(`${tab.baseUrl}${p}`);
      expect(r.status).toBe(404);
    }
  });
});

describe('config and dev login', () => {
  test('config tells the page dev auth is on and which dev accounts exist', async () => {
    const r = await get('/api/tab/config');
    expect(r.body).toMatchObject({ devAuth: true, sso: true });
    expect(r.body.devUsers.map((u: { id: string }) => u.id)).toEqual([COORD_HEERDE, COORD_ZWOLLE, PROF]);
  });
  test('dev login only for dev accounts in the policy', async () => {
    expectProblem(await call('POST', '/api/tab/dev-login', null, { userId: 'dev-nobody' }), 403);
    expectProblem(await call('POST', '/api/tab/dev-login', null, { userId: ENTRA_COORD }), 403);
    expectProblem(await call('POST', '/api/tab/dev-login', null, {}), 400);
  });

  test('without dev auth there is no dev login route and config says so', async () => {
    const t = await startTab({ repo: new FakeRepo(), auth: { devAuth: false, clientId: CLIENT_ID, tenantIds: [TENANT], jwksUri: entra.jwksUri } });
    try {
      const login = await fetch(`${t.baseUrl}/api/tab/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: COORD_HEERDE }) });
      expect(login.status).toBe(404);
      const cfg = (await (await fetch(`${t.baseUrl}/api/tab/config`)).json()) as Record<string, unknown>;
      expect(cfg).toEqual({ devAuth: false, sso: true });
      // A dev token from another (dev) process is worthless here.
      const r = await fetch(`${t.baseUrl}/api/tab/consultations`, { headers: { authorization: `Bearer ${tokens[COORD_HEERDE]}` } });
      expect(r.status).toBe(401);
    } finally {
      await t.close();
    }
  });

  test('in production dev auth cannot be switched on: the server refuses to start', () => {
    expect(() =>
      createTabServer({ repo: new FakeRepo(), access: testPolicy, auth: { devAuth: true }, env: { NODE_ENV: 'production' } }),
    ).toThrow(/production/);
  });

  test('tabRoutesFromEnv wires policy + env; refuses dev auth in production', () => {
    const server = restify.createServer();
    expect(() => tabRoutesFromEnv(new FakeRepo(), { MEL_DEV_AUTH: 'true', NODE_ENV: 'development' })(server)).not.toThrow();
    expect(() => tabRoutesFromEnv(new FakeRepo(), { MEL_DEV_AUTH: 'true', NODE_ENV: 'production' })).toThrow(/production/);
    expect(() => tabRoutesFromEnv(new FakeRepo(), { MEL_ACCESS_POLICY: '/nonexistent.json' })).toThrow(/niet gevonden/);
    server.close();
  });

  test('in production without dev auth: no dev-login route', async () => {
    const t = await startTab({ repo: new FakeRepo(), auth: { devAuth: false }, env: { NODE_ENV: 'production' } });
    try {
      const login = await fetch(`${t.baseUrl}/api/tab/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"dev-coordinator-heerde"}' });
      expect(login.status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
