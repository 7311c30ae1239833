jest.mock('jose', () => require('../support/joseShim'));
/**
 * The two hosts side by side: one .env for both (the Agents SDK's connection settings fill MicrosoftApp*), and
 * switching host (MELDWIJZER_HOST) keeps a running conversation: both hosts read and write the same state rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Meldwijzer } from '../../src/app';
import { startTestApp, type TestApp } from '../support/testApp';
import { ConfigError, loadConfig } from '../../src/config';
import { startMockConnector, TeamsConversation, lastCard, cardKind, type MockConnector } from '../support/mockConnector';

describe('configuration for both hosts', () => {
  const base = { NODE_ENV: 'test', MELDWIJZER_DB_URL: 'sqlite::memory:' };

  test('the Agents SDK connection settings fill MicrosoftAppId/Password/TenantId (any case), MicrosoftApp* wins', () => {
    const c = loadConfig({
      ...base,
      Connections__serviceConnection__Settings__ClientId: 'agents-client',
      CONNECTIONS__SERVICECONNECTION__SETTINGS__CLIENTSECRET: 'agents-secret',
      connections__serviceConnection__settings__tenantId: 'agents-tenant',
    });
    expect(c).toMatchObject({ appId: 'agents-client', appPassword: 'agents-secret', tenantId: 'agents-tenant', authenticated: true, sdkHost: 'botbuilder' });
    const both = loadConfig({ ...base, MicrosoftAppId: 'bf-app', Connections__serviceConnection__Settings__ClientId: 'agents-client' });
    expect(both.appId).toBe('bf-app');
  });

  test('MELDWIJZER_HOST picks the host; botbuilder is the default; anything else refuses to start', () => {
    expect(loadConfig(base).sdkHost).toBe('botbuilder');
    expect(loadConfig({ ...base, MELDWIJZER_HOST: 'agents' }).sdkHost).toBe('agents');
    expect(() => loadConfig({ ...base, MELDWIJZER_HOST: 'teams-ai' })).toThrow(ConfigError);
  });
});

describe('switching host keeps a running conversation', () => {
  let connector: MockConnector;
  let dir: string;
  beforeAll(async () => {
    connector = await startMockConnector();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-switch-'));
  });
  afterAll(async () => {
    await connector?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = (host: 'botbuilder' | 'agents') => startTestApp({ dir, env: { MELDWIJZER_HOST: host }, overrides: { outbox: false } });

  test.each([
    ['botbuilder', 'agents'],
    ['agents', 'botbuilder'],
  ] as const)('started on %s, answered on %s: the next question follows, not a fresh start', async (first, second) => {
    const conversationId = `a:switch-${first}`;
    const a = await start(first);
    let r = await new TeamsConversation({ botUrl: a.url, connector, conversationId }).say('ik maak me zorgen over een leerling');
    expect(cardKind(lastCard(r.replies))).toBe('acuut');
    await a.app.close();

    const b = await start(second);
    try {
      const conv = new TeamsConversation({ botUrl: b.url, connector, conversationId });
      r = await conv.answer(lastCard(r.replies), 'nee');
      expect(r.status).toBe(200);
      // The acute answer was taken: the flow goes on (no new acute question, no "unknown").
      expect(cardKind(lastCard(r.replies))).not.toBe('acuut');
      expect(cardKind(lastCard(r.replies))).toBeDefined();
    } finally {
      await b.app.close();
    }
  });
});

describe.each(['botbuilder', 'agents'] as const)('install events on the %s host', (host) => {
  let connector: MockConnector;
  let t: TestApp;
  let app: Meldwijzer;
  let url: string;
  beforeAll(async () => {
    connector = await startMockConnector();
    t = await startTestApp({ env: { MELDWIJZER_HOST: host, MELDWIJZER_LANGUAGE: 'nl' }, overrides: { outbox: false } });
    ({ app, url } = t);
  });
  afterAll(async () => {
    await t?.close();
    await connector?.close();
  });

  test('a professional added to the chat is welcomed once (not the bot itself) and the conversation is remembered with bot and agent', async () => {
    const conv = new TeamsConversation({ botUrl: url, connector, aadObjectId: `aad-install-${host}` });
    const base = conv.activity({}) as { recipient: { id: string }; from: { id: string } };
    const r = await conv.send({ type: 'conversationUpdate', membersAdded: [{ id: base.recipient.id }, { id: base.from.id }] });
    expect(r.status).toBe(200);
    expect(r.replies.map((x) => x.text)).toEqual([expect.stringMatching(/^Welkom bij Meldwijzer/)]);
    const ref = (await app.refs.get(`aad-install-${host}`)) as { bot?: { id: string }; agent?: { id: string }; conversation?: { id: string } } | null;
    expect(ref).toMatchObject({ bot: { id: base.recipient.id }, agent: { id: base.recipient.id }, conversation: { id: conv.id } });
    const onlyBot = await conv.send({ type: 'conversationUpdate', membersAdded: [{ id: base.recipient.id }] });
    expect(onlyBot.replies).toHaveLength(0);
  });
});
