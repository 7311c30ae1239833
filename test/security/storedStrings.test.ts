/**
 * No control, NUL, lone-surrogate or bidi-override characters in any stored string: what users type (dialog state,
 * conversation references), the note, names of assignees and actors. Identifiers with such characters are refused.
 * Uses the privacy core's cleanText (src/privacy/clean.ts) through src/store/clean.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { createMeldwijzer, type Meldwijzer } from '../../src/app';
import { loadConfig } from '../../src/config';
import { memoryLogger } from '../../src/records/logger';
import { createConsultationRepository } from '../../src/consultation/repository';
import { migrate, openDb } from '../../src/store';
import { cleanStrings, storedJson } from '../../src/store/clean';
import { startMockConnector, TeamsConversation, type MockConnector } from '../support/mockConnector';
import { newConsultation } from '../support/fixtures';

const DIRTY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NASTY = 'a\u0000b\u202Ec\u2066d\u0007e\ud800f\u200Fg\u0085h';

test('cleanStrings / storedJson clean every string at any depth and keep text, newlines, tabs and emoji', () => {
  const value = { a: NASTY, list: [NASTY, 1, true, null], nested: { deep: [{ x: `regel 1\r\nregel 2\tmet tab 👍 ${NASTY}` }] } };
  const cleaned = cleanStrings(value);
  expect(JSON.stringify(cleaned)).not.toMatch(DIRTY);
  expect(cleaned.a).toBe('abcdefgh');
  expect(cleaned.nested.deep[0]!.x).toBe('regel 1\nregel 2\tmet tab 👍 abcdefgh');
  expect(cleaned.list.slice(1)).toEqual([1, true, null]);
  expect(JSON.parse(storedJson(value))).toEqual(cleaned);
  const clean = { a: 'gewoon', b: ['ook'] };
  expect(cleanStrings(clean)).toBe(clean);
});

describe('the running bot stores no dirty strings', () => {
  let dir: string;
  let app: Meldwijzer;
  let url: string;
  let connector: MockConnector;
  const agent = new http.Agent({ keepAlive: true });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-clean-'));
    connector = await startMockConnector();
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', MELDWIJZER_DB_URL: `sqlite:${path.join(dir, 'bot.db')}`, MUNICIPAL_API_URL: 'http://127.0.0.1:9/', MUNICIPAL_API_TOKEN: 'x', PSEUDONYM_SECRET: 'c'.repeat(40), LOG_LEVEL: 'silent' });
    app = await createMeldwijzer(config, { logger: memoryLogger(), outbox: false, env: {} });
    url = await app.listen();
  });
  afterAll(async () => {
    agent.destroy();
    await app?.close();
    await connector?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('typed text and the user name lose control / bidi / NUL characters before state and references are stored', async () => {
    const conv = new TeamsConversation({ botUrl: url, connector, agent, userName: `Pro\u202Efessional${NASTY}` });
    for (const text of ['start', `Ik maak me zorgen ${NASTY} over een leerling`, `nee${NASTY}`, NASTY]) {
      const r = await conv.say(text);
      expect(r.status).toBe(200);
    }
    const state = await app.db.query<{ data: string }>('SELECT data FROM bot_state');
    const refs = await app.db.query<{ ref: string }>('SELECT ref FROM conversation_refs');
    expect(state.length).toBeGreaterThan(0);
    // JSON escapes control characters (\u0000); look at the parsed strings as well as the raw text.
    for (const raw of [...state.map((r) => r.data), ...refs.map((r) => r.ref)]) {
      expect(raw).not.toMatch(DIRTY);
      expect(JSON.stringify(JSON.parse(raw))).not.toMatch(/\\u00(0|1)[0-8b-fB-F]|\\u202e|\\u2066|\\ud800/i);
    }
  });

  test('an activity whose ids carry such characters is refused (400) before the bot runs', async () => {
    const conv = new TeamsConversation({ botUrl: url, connector, agent });
    for (const partial of [{ from: { id: '29:abc\u0000' } }, { conversation: { id: 'a:1\u202Eevil' } }, { recipient: { id: '28:bot\ud800' } }]) {
      const r = await conv.send({ type: 'message', text: 'help', ...partial }, true);
      expect(r.status).toBe(400);
      expect(r.replies).toHaveLength(0);
    }
  });
});

test('repository: note, assignee name and actor name are stored clean', async () => {
  const db = await openDb({ url: 'sqlite::memory:' });
  try {
    await migrate(db);
    const repo = createConsultationRepository(db, { pseudonymSecret: 'd'.repeat(40) });
    const c = await repo.create(newConsultation({ note: `Zorgen\u202E over de sfeer${NASTY} thuis` }));
    expect(c.note).not.toMatch(DIRTY);
    const u = await repo.update(c.nummer, c.version, { status: 'in-behandeling', assigneeId: 'aad-1', assigneeName: `Petra\u202E${NASTY}` }, { userId: 'aad-1', name: `Petra\u0000${NASTY}` }, `oppakken${NASTY}`);
    expect(u!.assigneeName).toBe('Petraabcdefgh');
    const rows = [...(await db.query('SELECT * FROM consultations')), ...(await db.query('SELECT * FROM consultation_audit'))];
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/\\u00(0|1)[0-8b-fB-F]|\\u202e|\\u2066|\\ud800/i);
    for (const row of rows) for (const v of Object.values(row as Record<string, unknown>)) if (typeof v === 'string') expect(v).not.toMatch(DIRTY);
  } finally {
    await db.close();
  }
});
