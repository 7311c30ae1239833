/**
 * The real server end to end on loopback: activities POSTed to /api/messages, replies received on a mock
 * Bot Framework connector, the consultation stored and its anonymised record delivered to the embedded
 * municipal API.
 */
import type { Meldwijzer } from '../../src/app';
import { startTestApp, type TestApp } from '../support/testApp';
import { startMockConnector, TeamsConversation, lastCard, textsOf, request, type MockConnector } from '../support/mockConnector';

let t: TestApp;
let app: Meldwijzer;
let url: string;
let connector: MockConnector;

beforeAll(async () => {
  t = await startTestApp();
  ({ app, url } = t);
  connector = await startMockConnector();
});

afterAll(async () => {
  await t?.close();
  await connector?.close();
});

test('a consultation over HTTP: replies arrive on the connector, the record reaches the municipal API once', async () => {
  const conv = new TeamsConversation({ botUrl: url, connector, aadObjectId: '00000000-0000-0000-0000-00000000abcd' });
  let r = await conv.say('ik maak me zorgen over een leerling in Tilburg');
  expect(r.status).toBe(200);
  expect(lastCard(r.replies)?.body?.[0]?.text).toBe('Is er nu iemand in acuut gevaar?');
  r = await conv.answer(lastCard(r.replies), 'nee');
  expect(textsOf(r.replies)).toContain('typ geen namen');
  r = await conv.submit(lastCard(r.replies), { sector: 'onderwijs' });
  r = await conv.submit(lastCard(r.replies), { doelgroep: 'kind', leeftijdsgroep: '12-17' });
  r = await conv.answer(lastCard(r.replies), 'nee');
  r = await conv.submit(lastCard(r.replies), { signalen: 'schoolverzuim', vormen: '', disclosure: 'false' });
  r = await conv.submit(lastCard(r.replies), { stappen: '1,2' });
  const advice = lastCard(r.replies);
  expect(advice?.body?.[0]?.text).toBe('Stap 3: Ga in gesprek met de cliënt');
  const nummer = /MW-[A-Z0-9]{6}/.exec(JSON.stringify(advice))![0];
  const local = await app.repo.get(nummer);
  expect(local?.case).toMatchObject({ gemeente: 'GM0855', doelgroep: 'kind', stappenGedaan: [1, 2] });

  await app.worker!.drain({ timeoutMs: 10_000 });
  const rows = await app.municipalApi!.db.query<{ doc: string }>('SELECT * FROM municipal_consultations');
  expect(rows).toHaveLength(1);
  const stored = JSON.stringify(rows[0]);
  expect(stored).toContain('GM0855');
  expect(stored).not.toContain(nummer);
  expect(stored).not.toContain('abcd');
  expect(stored).not.toContain(conv.userId);
});

test.each<[string, number, string]>([
  ['not JSON', 400, '{"type": "message", '],
  ['no conversation', 400, JSON.stringify({ type: 'message', serviceUrl: 'http://127.0.0.1:1', channelId: 'msteams', text: 'hoi' })],
  ['serviceUrl not a URL', 400, JSON.stringify({ type: 'message', serviceUrl: 'nope', channelId: 'x', conversation: { id: 'c' } })],
  ['an array', 400, '[]'],
])('malformed activity (%s) → clear %i JSON error, no crash', async (_n, status, body) => {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(res.status).toBe(status);
  const json = (await res.json()) as { error: string; message: string };
  expect(json.message).toMatch(/geldige|activity/);
  const health = await fetch(`${url}/healthz`);
  expect(health.status).toBe(200);
});

test('an oversized activity is refused with 413', async () => {
  const res = await request(`${url}/api/messages`, { type: 'message', text: 'x'.repeat(300 * 1024) });
  expect(res.status).toBe(413);
});

test('readiness reports the database and the outbox backlog (counts only)', async () => {
  const res = await fetch(`${url}/readyz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ready', outbox: { pending: expect.any(Number), failed: 0, oldestPending: null } });
});
