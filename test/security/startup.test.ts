/**
 * Production refuses to run without credentials: loadConfig throws, and the real process (`node dist/src/index.js`)
 * exits non-zero with a clear message before it listens. With credentials it starts with JWT validation on and
 * rejects unauthenticated activities.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { botEnv, ensureBuilt, runBotToExit, spawnBot } from '../faults/botProcess';
import { freePorts } from '../support/ports';
import { request } from '../support/mockConnector';

const SECRET = 'p'.repeat(40);
const FULL_PROD = {
  NODE_ENV: 'production',
  MicrosoftAppId: '5e1f0c8a-1111-4222-8333-444455556666',
  MicrosoftAppPassword: 'client-secret',
  PSEUDONYM_SECRET: SECRET,
  MUNICIPAL_API_URL: 'https://gemeente.example.nl',
  MUNICIPAL_API_TOKEN: 'token',
  MELDWIJZER_DB_URL: 'sqlite:/tmp/unused.db',
};

describe('loadConfig refuses unsafe production configurations', () => {
  const without = (k: keyof typeof FULL_PROD) => Object.fromEntries(Object.entries(FULL_PROD).filter(([key]) => key !== k));
  test.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ['nothing but NODE_ENV=production', { NODE_ENV: 'production' }, /MicrosoftAppId/],
    ['no app id', without('MicrosoftAppId'), /MicrosoftAppId/],
    ['blank app id', { ...FULL_PROD, MicrosoftAppId: '   ' }, /MicrosoftAppId/],
    ['no app password', without('MicrosoftAppPassword'), /MicrosoftAppPassword/],
    ['no pseudonym secret', without('PSEUDONYM_SECRET'), /PSEUDONYM_SECRET/],
    ['short pseudonym secret', { ...FULL_PROD, PSEUDONYM_SECRET: 'kort' }, /PSEUDONYM_SECRET/],
    ['no municipal API', without('MUNICIPAL_API_URL'), /MUNICIPAL_API_URL/],
    ['in-memory database', { ...FULL_PROD, MELDWIJZER_DB_URL: 'sqlite::memory:' }, /blijvende database/],
    ['no NODE_ENV at all', { MicrosoftAppId: '' }, /NODE_ENV/],
    ['unknown NODE_ENV', { NODE_ENV: 'prod' }, /NODE_ENV/],
    ['negative outbox retention', { ...FULL_PROD, OUTBOX_RETENTION_DAYS: '-1' }, /OUTBOX_RETENTION_DAYS/],
    ['negative note retention', { ...FULL_PROD, NOTE_RETENTION_DAYS: '-1' }, /NOTE_RETENTION_DAYS/],
  ])('%s → ConfigError', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  test('a complete production configuration turns JWT validation on', () => {
    const c = loadConfig(FULL_PROD);
    expect(c.authenticated).toBe(true);
    expect(c.host).toBe('0.0.0.0');
  });

  test('delivered outbox items are kept 30 days unless configured (0 = forever)', () => {
    expect(loadConfig(FULL_PROD).outboxRetentionMs).toBe(30 * 24 * 3600_000);
    expect(loadConfig({ ...FULL_PROD, OUTBOX_RETENTION_DAYS: '7' }).outboxRetentionMs).toBe(7 * 24 * 3600_000);
    expect(loadConfig({ ...FULL_PROD, OUTBOX_RETENTION_DAYS: '0' }).outboxRetentionMs).toBe(0);
  });

  test('the professional\'s note is kept 90 days unless configured (0 = forever)', () => {
    expect(loadConfig(FULL_PROD).noteRetentionMs).toBe(90 * 24 * 3600_000);
    expect(loadConfig({ ...FULL_PROD, NOTE_RETENTION_DAYS: '14' }).noteRetentionMs).toBe(14 * 24 * 3600_000);
    expect(loadConfig({ ...FULL_PROD, NOTE_RETENTION_DAYS: '0' }).noteRetentionMs).toBe(0);
  });
});

describe('development mode stays on this machine', () => {
  const DEV = { NODE_ENV: 'development' };
  test.each(['0.0.0.0', '192.0.2.2', '::', 'meldwijzer.example.nl'])('HOST=%s without authentication → ConfigError naming the override', (host) => {
    expect(() => loadConfig({ ...DEV, HOST: host })).toThrow(ConfigError);
    expect(() => loadConfig({ ...DEV, HOST: host })).toThrow(/MELDWIJZER_DEV_ON_NETWORK=ik-begrijp-dat-iedereen-op-het-netwerk-erbij-kan/);
    // A casual "true" is not consent.
    expect(() => loadConfig({ ...DEV, HOST: host, MELDWIJZER_DEV_ON_NETWORK: 'true' })).toThrow(ConfigError);
  });

  test('loopback hosts are fine; the explicit override allows the network and is flagged', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) expect(loadConfig({ ...DEV, HOST: host }).devOnNetwork).toBe(false);
    expect(loadConfig(DEV).host).toBe('127.0.0.1');
    const c = loadConfig({ ...DEV, HOST: '0.0.0.0', MELDWIJZER_DEV_ON_NETWORK: 'ik-begrijp-dat-iedereen-op-het-netwerk-erbij-kan' });
    expect(c.host).toBe('0.0.0.0');
    expect(c.devOnNetwork).toBe(true);
  });

  test('dev sign-in for the tab counts as development mode, even with an app id', () => {
    const withAppId = { NODE_ENV: 'development', MicrosoftAppId: FULL_PROD.MicrosoftAppId, MicrosoftAppPassword: 'x', HOST: '0.0.0.0' };
    expect(loadConfig(withAppId).devOnNetwork).toBe(false);
    expect(() => loadConfig({ ...withAppId, MEL_DEV_AUTH: 'true' })).toThrow(/MEL_DEV_AUTH/);
  });
});

describe('the real process', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  test.each<[string, Record<string, string>, RegExp]>([
    ['production without credentials', { NODE_ENV: 'production' }, /Productie vereist MicrosoftAppId/],
    ['production with app id but no password', { NODE_ENV: 'production', MicrosoftAppId: FULL_PROD.MicrosoftAppId }, /MicrosoftAppPassword/],
    ['no NODE_ENV', {}, /NODE_ENV ontbreekt/],
    ['development mode on a network HOST', { NODE_ENV: 'development', HOST: '0.0.0.0', MELDWIJZER_DB_URL: 'sqlite::memory:' }, /MELDWIJZER_DEV_ON_NETWORK=ik-begrijp/],
  ])('%s: exits non-zero with a clear message, never listens', async (_name, env, message) => {
    const r = await runBotToExit(botEnv({ PORT: '0', ...env }));
    expect(r.signal).toBeNull();
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/^Meldwijzer start niet: /);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toContain('meldwijzer.listening');
    // restify is loaded by then: no DEP0111 (spdy → http-deceiver) any more, without --no-deprecation.
    expect(r.stderr).not.toMatch(/DEP0111|DeprecationWarning/);
  }, 30_000);

  test('development mode on the network with the explicit consent starts, and says so loudly', async () => {
    const [port, apiPort] = await freePorts(2);
    const bot = await spawnBot(
      botEnv({
        NODE_ENV: 'development',
        HOST: '0.0.0.0',
        MELDWIJZER_DEV_ON_NETWORK: 'ik-begrijp-dat-iedereen-op-het-netwerk-erbij-kan',
        PORT: String(port),
        MUNICIPAL_API_PORT: String(apiPort),
        MELDWIJZER_DB_URL: 'sqlite::memory:',
        MUNICIPAL_DB_URL: 'sqlite::memory:',
        LOG_LEVEL: 'info',
      }),
    );
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(bot.lines.some((l) => l.includes('meldwijzer.dev_on_network'))).toBe(true);
    } finally {
      await bot.kill('SIGTERM');
    }
  }, 40_000);

  test('production with credentials starts with bot-framework-jwt and answers unauthenticated activities with 401', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-sec-prod-'));
    const [port, deadPort] = await freePorts(2);
    const bot = await spawnBot(
      botEnv({
        ...FULL_PROD,
        HOST: '127.0.0.1',
        PORT: String(port),
        MELDWIJZER_DB_URL: `sqlite:${path.join(dir, 'bot.db')}`,
        MUNICIPAL_API_URL: `http://127.0.0.1:${deadPort}`,
      }),
    );
    try {
      const listening = bot.lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).find((l) => l?.msg === 'meldwijzer.listening');
      expect(listening.auth).toBe('bot-framework-jwt');
      const activity = {
        type: 'message', id: '1', text: 'hallo', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9',
        from: { id: '29:x' }, recipient: { id: '28:bot' }, conversation: { id: 'a:1' },
      };
      const none = await request(`${bot.url}/api/messages`, activity);
      expect(none.status).toBe(401);
      const bogus = await request(`${bot.url}/api/messages`, activity, { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.' } });
      expect(bogus.status).toBe(401);
    } finally {
      await bot.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
