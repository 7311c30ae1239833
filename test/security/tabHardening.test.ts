/**
 * Tab hardening: security headers, HEAD on the page, dev sign-in only for loopback clients, and the professional's
 * note only for the person the overleg reached (and its author), never for other coordinators or in the list.
 */
jest.mock('jose', () => require('../support/joseShim'));

import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { createTabServer, isLoopbackAddress } from '../../src/tab/routes';
import { COORD_HEERDE, OTHER_REQUESTER, PROF, realRepo, startTab, testPolicy, type RunningTab } from '../tab/harness';
import { newConsultation } from '../tab/fixtures';
import { FakeRepo } from '../tab/fixtures';

const DEV = { devAuth: true, devSecret: 'tab-hardening-dev-secret-0123456789' };

async function login(baseUrl: string, userId: string): Promise<string> {
  const r = await fetch(`${baseUrl}/api/tab/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
  expect(r.status).toBe(200);
  return ((await r.json()) as { token: string }).token;
}

describe('tab headers', () => {
  let tab: RunningTab;
  afterEach(async () => tab?.close());

  test('Permissions-Policy on page and API; HSTS only in production; HEAD /tab/ answers 200 without a body', async () => {
    tab = await startTab({ repo: new FakeRepo(), auth: DEV, env: { NODE_ENV: 'test' } });
    for (const path of ['/tab/', '/api/tab/config', '/api/tab/me']) {
      const r = await fetch(`${tab.baseUrl}${path}`);
      expect(r.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
      expect(r.headers.get('permissions-policy')).toMatch(/geolocation=\(\)/);
      expect(r.headers.get('strict-transport-security')).toBeNull();
    }
    for (const path of ['/tab/', '/tab', '/tab/index.html']) {
      const head = await fetch(`${tab.baseUrl}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toMatch(/text\/html/);
      expect(await head.text()).toBe('');
    }
    expect((await fetch(`${tab.baseUrl}/tab/nope.html`, { method: 'HEAD' })).status).toBe(404);
    await tab.close();

    tab = await startTab({ repo: new FakeRepo(), auth: { devAuth: false }, env: { NODE_ENV: 'production' } });
    for (const path of ['/tab/', '/api/tab/config', '/api/tab/me']) {
      const r = await fetch(`${tab.baseUrl}${path}`);
      expect(r.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
      expect(r.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
    }
  });
});

describe('dev sign-in only from loopback', () => {
  test('isLoopbackAddress', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ['192.0.2.2', '10.0.0.1', '::ffff:10.0.0.1', 'fd00::2', '', undefined, '1127.0.0.1']) expect(isLoopbackAddress(a)).toBe(false);
  });

  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
  (external ? test : test.skip)('a client on the network gets 404 from /api/tab/dev-login; loopback still signs in', async () => {
    const warnings: string[] = [];
    const server = createTabServer({ repo: new FakeRepo(), access: testPolicy, auth: DEV, env: { NODE_ENV: 'development' }, logger: { warn: (m) => warnings.push(m), error: () => {} } });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      const fromNetwork = await fetch(`http://${external}:${port}/api/tab/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: COORD_HEERDE }) });
      expect(fromNetwork.status).toBe(404);
      expect(await fromNetwork.text()).not.toContain('token');
      expect(warnings.some((w) => /dev-login geweigerd/.test(w))).toBe(true);
      expect(await login(`http://127.0.0.1:${port}`, COORD_HEERDE)).toMatch(/\S{20,}/);
    } finally {
      await new Promise<void>((r) => {
        server.close(() => r());
        (server.server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    }
  });
});

describe('the note in the tab', () => {
  test('only the assignee (after Oppakken) and the author read the note; never other coordinators, never the list', async () => {
    const { repo, close } = await realRepo();
    const tab = await startTab({ repo, auth: DEV, env: { NODE_ENV: 'test' } });
    try {
      const note = 'Zorgen over de sfeer thuis, gesprek gepland.';
      const c = await repo.create({ ...newConsultation({ gemeente: 'GM0246', doelgroep: 'kind', requesterId: PROF }), note });
      await repo.create({ ...newConsultation({ gemeente: 'GM0246', doelgroep: 'kind', requesterId: OTHER_REQUESTER }), note: null });
      const coord = await login(tab.baseUrl, COORD_HEERDE);
      const prof = await login(tab.baseUrl, PROF);
      const get = async (path: string, token: string) => {
        const r = await fetch(`${tab.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
        return { status: r.status, text: await r.text() };
      };
      // Coordinator of the gemeente, not (yet) the one who took the overleg: no note, not in the list either.
      const before = await get(`/api/tab/consultations/${c.nummer}`, coord);
      expect(before.status).toBe(200);
      expect(before.text).not.toContain('sfeer');
      expect((await get('/api/tab/consultations', coord)).text).not.toContain('sfeer');
      // The author sees their own note.
      expect(JSON.parse((await get(`/api/tab/consultations/${c.nummer}`, prof)).text).note).toBe(note);
      // Oppakken: now this coordinator is the aandachtsfunctionaris in the overleg and reads the note.
      const pick = await fetch(`${tab.baseUrl}/api/tab/consultations/${c.nummer}/status`, {
        method: 'POST',
        headers: { authorization: `Bearer ${coord}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'in-behandeling', version: c.version }),
      });
      expect(pick.status).toBe(200);
      expect(await pick.text()).not.toContain('sfeer');
      expect(JSON.parse((await get(`/api/tab/consultations/${c.nummer}`, coord)).text).note).toBe(note);
      expect((await get('/api/tab/consultations', coord)).text).not.toContain('sfeer');
    } finally {
      await tab.close();
      await close();
    }
  });
});
