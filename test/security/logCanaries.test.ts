/**
 * No message text and no identifier in any log line. A conversation full of recognisable canaries (a fake name,
 * BSN, phone number, e-mail address, street, Teams user / AAD / conversation ids) runs through the real HTTP
 * server, the dialog, the outbox and the municipal API, including error paths (unknown answers, an over-long
 * message, a card submit with a canary value, the connector failing mid-turn). Every line of the bot's and the
 * municipal API's loggers is captured — plus console and process.stdout/stderr as a backstop — and none may
 * contain a canary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { createMeldwijzer, type Meldwijzer } from '../../src/app';
import { loadConfig } from '../../src/config';
import { hashToken, startMunicipalApi, type RunningMunicipalApi } from '../../src/api';
import { createJsonLogger } from '../../src/records/logger';
import { startMockConnector, TeamsConversation, runConsultation, lastCard, type MockConnector } from '../support/mockConnector';
import { HOST_ENV } from '../support/host';

const NAME = 'Kanarie Pietersma';
const BSN = '123456782';
const PHONE = '06-98765432';
const EMAIL = 'kanarie.pietersma@voorbeeld.nl';
const STREET = 'Kanarieweg 77';
const USER_ID = '29:1CanaryUserIdQwErTy';
const AAD = '0ca1a2b3-c4d5-4e6f-8a9b-0c0d0e0f1a2b';
const CONV_ID = 'a:1CanaryConversationIdZxCvB';
const USER_NAME = 'Canary Professional';
const SENTENCE = `Ik maak me zorgen over ${NAME} (BSN ${BSN}, tel ${PHONE}, ${EMAIL}, ${STREET}) want zij heeft blauwe plekken`;
const CANARIES = [NAME, 'Kanarie', 'Pietersma', BSN, PHONE, '0698765432', EMAIL, STREET, 'Kanarieweg', USER_ID, '1CanaryUserId', AAD, CONV_ID, '1CanaryConversationId', USER_NAME, 'blauwe plekken', 'zorgen over'];

describe('logs carry no message text or identifiers', () => {
  const lines: string[] = [];
  const capture = (service: string) => createJsonLogger({ level: 'debug', base: { service }, write: (l) => void lines.push(l) });
  const stray: string[] = [];
  let dir: string;
  let api: RunningMunicipalApi;
  let app: Meldwijzer;
  let url: string;
  let connector: MockConnector;
  const agent = new http.Agent({ keepAlive: true });
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(jest.spyOn(console, m).mockImplementation((...a: unknown[]) => void stray.push(a.map((x) => (x instanceof Error ? `${x.message}\n${x.stack}` : typeof x === 'string' ? x : JSON.stringify(x))).join(' '))));
    }
    for (const s of [process.stdout, process.stderr]) {
      const orig = s.write.bind(s);
      spies.push(
        jest.spyOn(s, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
          stray.push(String(chunk));
          return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
        }) as never),
      );
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-canary-'));
    const token = randomBytes(24).toString('base64url');
    api = await startMunicipalApi({ port: 0, dbUrl: `sqlite:${path.join(dir, 'municipal.db')}`, logger: capture('municipal-api'), tokens: [{ name: 'bot', sha256: hashToken(token), scopes: ['consultations:write'] }] });
    connector = await startMockConnector();
    const config = loadConfig({
      ...HOST_ENV,
      NODE_ENV: 'test',
      PORT: '0',
      MELDWIJZER_DB_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      MUNICIPAL_API_URL: api.url,
      MUNICIPAL_API_TOKEN: token,
      PSEUDONYM_SECRET: 'canary-test-secret-0123456789abcdef0123456789',
      LOG_LEVEL: 'debug',
    });
    app = await createMeldwijzer(config, { logger: capture('meldwijzer-bot'), env: {}, outboxOptions: { pollMs: 50, baseDelayMs: 20, maxDelayMs: 200 } });
    url = await app.listen();
  });

  afterAll(async () => {
    agent.destroy();
    await app?.close();
    await api?.close();
    await connector?.close();
    for (const s of spies) s.mockRestore();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a canary-laden conversation, its error paths and its delivery leave no canary in any log line', async () => {
    const conv = new TeamsConversation({ botUrl: url, connector, agent, conversationId: CONV_ID, userId: USER_ID, aadObjectId: AAD, userName: USER_NAME });
    // Free text with every identifier as the opening message, then the whole consultation.
    const run = await runConsultation(conv, 1, { startText: SENTENCE });
    expect(run.outcome).toBe('advice');

    // Error and odd paths, each with canaries in them.
    let r = await conv.say('opnieuw');
    r = await conv.say(`Bel ${NAME} op ${PHONE}`); // not a yes/no: re-prompt
    r = await conv.say(SENTENCE); // still not an answer
    expect(r.status).toBe(200);
    r = await conv.answer(lastCard(r.replies), 'nee');
    r = await conv.submit(lastCard(r.replies), { gemeente: `${NAME} ${BSN}` }); // invalid card value
    r = await conv.submit(lastCard(r.replies), { gemeente: 'GM0246', extra: EMAIL, __proto__: { x: STREET } });
    r = await conv.say(`${SENTENCE} `.repeat(120)); // over-long message
    r = await conv.say('help');
    // The connector fails while the bot answers: the turn errors (turn.error is logged).
    connector.failWith((id) => (id === CONV_ID ? 500 : null));
    r = await conv.say(`stop ${NAME}`);
    connector.failWith(null);
    r = await conv.say('stop');
    expect(r.status).toBe(200);
    // An invalid activity with canaries in every field (400 before the adapter).
    const bad = await conv.send({ type: 'message', text: SENTENCE, serviceUrl: `not a url ${EMAIL}`, channelId: 'msteams', conversation: { id: CONV_ID } }, true);
    expect(bad.status).toBe(400);

    // Requests that carry the consultation number in the path: the tab detail and status routes (401 without a token)
    // and paths that match no route (404). Request logs use the route template, never the path.
    const nummer = run.nummer!;
    expect(nummer).toMatch(/^MW-/);
    for (const [method, p] of [
      ['GET', `/api/tab/consultations/${nummer}`],
      ['POST', `/api/tab/consultations/${nummer}/status`],
      ['GET', `/tab/${nummer}`],
      ['GET', `/api/messages/${nummer}`],
      ['GET', `/${nummer}?q=${encodeURIComponent(NAME)}`],
    ] as const) {
      const res = await fetch(`${url}${p}`, { method });
      await res.arrayBuffer();
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
    // Delivery to the municipal API.
    const stats = await app.worker!.drain({ timeoutMs: 10_000 });
    expect(stats.pending).toBe(0);
    const [row] = await api.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM municipal_consultations');
    expect(Number(row!.n)).toBeGreaterThanOrEqual(1);

    // Positive control: the loggers did log, at debug level, from both services, including the error path.
    const parsed = lines.map((l) => JSON.parse(l) as { service: string; msg: string });
    expect(parsed.some((l) => l.service === 'meldwijzer-bot' && l.msg === 'http')).toBe(true);
    expect(parsed.some((l) => l.service === 'meldwijzer-bot' && l.msg === 'turn.error')).toBe(true);
    expect(parsed.some((l) => l.service === 'meldwijzer-bot' && /delivered/.test(l.msg))).toBe(true);
    expect(parsed.some((l) => l.service === 'municipal-api' && l.msg === 'request')).toBe(true);

    // Request lines name the route template, never a path (not even a redacted one).
    const httpLines = parsed.filter((l) => l.service === 'meldwijzer-bot' && l.msg === 'http') as unknown as Array<Record<string, unknown>>;
    expect(httpLines.some((l) => l.route === '/api/tab/consultations/:nummer')).toBe(true);
    expect(httpLines.some((l) => l.route === '/api/messages')).toBe(true);
    for (const l of httpLines) expect(Object.keys(l)).not.toContain('path');
    // No consultation number in any line, from any service.
    expect(lines.filter((l) => /MW-[23456789A-HJKMNP-Z]{6}/.test(l))).toEqual([]);
    expect(stray.filter((l) => l.includes(nummer))).toEqual([]);

    const leaks = (source: string[]) => source.flatMap((l) => CANARIES.filter((c) => l.toLowerCase().includes(c.toLowerCase())).map((c) => `${c} in: ${l.slice(0, 300)}`));
    expect(leaks(lines)).toEqual([]);
    expect(leaks(stray)).toEqual([]);
  }, 60_000);
});
