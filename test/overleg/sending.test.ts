/** The pure sending policy (classification, Retry-After, backoff) and the notification outbox worker. */
import { backoffDelay, enqueueNotification, notificationsOf, startNotificationWorker, type ProcessOutcome } from '../../src/overleg/outbox';
import { classifyError, parseRetryAfter } from '../../src/overleg/transport';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTeamsTransport } from '../../src/overleg/teamsTransport';
import { createAdapter } from '../../src/bot/adapter';
import { silentLogger } from '../../src/records/logger';
import type { ConversationRefStore } from '../../src/consultation/ports';
import { chatDeepLink, notificationCard } from '../../src/overleg/cards';
import { openStore } from '../support/overlegHarness';

const restError = (statusCode: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error('x'), { name: 'RestError', statusCode, code: 'E', response: { headers: { get: (n: string) => headers[n.toLowerCase()] } } });

describe('classifying send failures', () => {
  test.each<[string, unknown, string]>([
    ['403 blocked → gone', restError(403), 'gone'],
    ['404 conversation gone → gone', restError(404), 'gone'],
    ['429 → transient', restError(429), 'transient'],
    ['412 → transient', restError(412), 'transient'],
    ['502 → transient', restError(502), 'transient'],
    ['504 → transient', restError(504), 'transient'],
    ['400 → failed', restError(400), 'failed'],
    ['401 → failed', restError(401), 'failed'],
    ['network error → transient', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 'transient'],
  ])('%s', (_n, err, kind) => {
    expect(classifyError(err).kind).toBe(kind);
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    expect(classifyError(restError(429, { 'retry-after': '3' })).retryAfterMs).toBe(3000);
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('nonsense', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('HTTP calls per failed send attempt', () => {
  // Measured on a Teams outage (every call answered 503): with the former sendWithRetry loop (3 tries) on top of the
  // connector client's own retries (1 + 3) one outbox attempt made 12 HTTP calls; now the outbox is the retry layer.
  test('one outbox attempt against an unreachable Teams makes only the connector client\'s own calls (4, not 12)', async () => {
    let calls = 0;
    const srv = http.createServer((req, res) => {
      calls++;
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    try {
      const serviceUrl = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
      const ref = { serviceUrl, channelId: 'msteams', conversation: { id: 'c1' }, bot: { id: 'b' }, user: { id: 'u' } };
      const adapter = createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', tenantId: '' }, silentLogger);
      const transport = createTeamsTransport({ adapter, appId: '', refs: { get: async () => ref } as unknown as ConversationRefStore });
      const d = await transport.sendToUser('u', () => ({ text: 'x' }));
      expect(d).toMatchObject({ ok: false, kind: 'transient', httpStatus: 503 });
      expect(calls).toBe(4);
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});

describe('outbox backoff', () => {
  test('outbox backoff grows exponentially, is capped, jittered in full, and never undercuts Retry-After', () => {
    const r = () => 1;
    expect([1, 2, 3, 4, 10].map((a) => backoffDelay(a, 1000, 8000, r))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(backoffDelay(1, 1000, 8000, r, 30_000)).toBe(30_000);
    // One formula for both outboxes: full jitter, so random() = 0 retries at once.
    expect(backoffDelay(1, 1000, 8000, () => 0)).toBe(0);
  });
});

describe('notification outbox worker', () => {
  test('enqueue is idempotent per key; two workers on one database process each notification exactly once', async () => {
    const { db } = await openStore();
    for (let i = 0; i < 20; i++) {
      expect(await enqueueNotification(db, { dedupeKey: `k${i}`, payload: { kind: 'message', nummer: `MW-AAAA${String(i).padStart(2, '2')}`, userId: 'u', key: 'overleg.withdrawn', vars: {} } })).toBe(true);
    }
    expect(await enqueueNotification(db, { dedupeKey: 'k0', payload: { kind: 'message', nummer: 'MW-AAAA22', userId: 'u', key: 'x', vars: {} } })).toBe(false);
    const seen: string[] = [];
    const process = async (row: { id: string }): Promise<ProcessOutcome> => {
      seen.push(row.id);
      await new Promise((r) => setTimeout(r, 2));
      return { kind: 'delivered', result: {} };
    };
    const a = startNotificationWorker({ db, process, pollMs: 0, batchSize: 3 });
    const b = startNotificationWorker({ db, process, pollMs: 0, batchSize: 3 });
    await Promise.all([a.flush(), b.flush(), a.flush(), b.flush()]);
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
    expect(await a.stats()).toEqual({ pending: 0, delivered: 20, failed: 0 });
  });

  test('a processor that throws is retried later, with attempts and the reason stored; permanent failures are parked, not lost', async () => {
    const { db } = await openStore();
    await enqueueNotification(db, { dedupeKey: 'a', payload: { kind: 'message', nummer: 'MW-BBBBBB', userId: 'u', key: 'k', vars: {} } });
    await enqueueNotification(db, { dedupeKey: 'b', payload: { kind: 'message', nummer: 'MW-CCCCCC', userId: 'u', key: 'k', vars: {} } });
    let calls = 0;
    const w = startNotificationWorker({
      db,
      pollMs: 0,
      // Fixed 500 ms backoff: long enough that the first flush cannot retry on a loaded CI machine.
      baseDelayMs: 500,
      maxDelayMs: 500,
      random: () => 1,
      process: async (_row, p): Promise<ProcessOutcome> => {
        if (p.nummer === 'MW-CCCCCC') return { kind: 'failed', reason: 'http 400', httpStatus: 400 };
        if (++calls < 3) throw new Error('boom');
        return { kind: 'delivered', result: { to: 'user' } };
      },
    });
    await w.flush();
    expect((await notificationsOf(db, 'MW-BBBBBB'))[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'processor error: Error' });
    await w.drain({ timeoutMs: 5000 });
    expect((await notificationsOf(db, 'MW-BBBBBB'))[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    expect((await notificationsOf(db, 'MW-CCCCCC'))[0]).toMatchObject({ status: 'failed', last_status: 400, last_error: 'http 400' });
  });
});

describe('outage recovery (the one retry policy of both outboxes)', () => {
  test('after Teams was unreachable, the first delivery makes the waiting notifications due; 429 and not-before keep their time', async () => {
    const { db } = await openStore();
    const msg = (nummer: string) => ({ kind: 'message' as const, nummer, userId: 'u', key: 'k', vars: {} });
    await enqueueNotification(db, { dedupeKey: 'a', payload: msg('MW-AAAAAA') });
    await enqueueNotification(db, { dedupeKey: 'b', payload: msg('MW-BBBBBB') });
    await enqueueNotification(db, { dedupeKey: 'later', payload: msg('MW-LLLLLL'), notBefore: new Date(Date.now() + 3600_000) });
    let teamsUp = false;
    const w = startNotificationWorker({
      db,
      pollMs: 0,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      random: () => 1,
      probeMs: 0,
      process: async (_row, p): Promise<ProcessOutcome> => {
        if (p.nummer === 'MW-BBBBBB' && !teamsUp) return { kind: 'retry', reason: 'http 429', httpStatus: 429, retryAfterMs: 60_000 };
        if (!teamsUp) return { kind: 'retry', reason: 'network: ECONNREFUSED' };
        return { kind: 'delivered', result: {} };
      },
    });
    expect(await w.flush()).toEqual({ delivered: 0, retried: 2, failed: 0 });
    teamsUp = true;
    // Nothing is due for a minute; a new notification is delivered, which shows Teams answers again.
    await enqueueNotification(db, { dedupeKey: 'c', payload: msg('MW-CCCCCC') });
    expect(await w.flush()).toEqual({ delivered: 2, retried: 0, failed: 0 }); // MW-CCCCCC, then MW-AAAAAA at once
    expect((await notificationsOf(db, 'MW-AAAAAA'))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    expect((await notificationsOf(db, 'MW-BBBBBB'))[0]).toMatchObject({ status: 'pending', attempts: 1, last_status: 429 });
    expect((await notificationsOf(db, 'MW-LLLLLL'))[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });
});

describe('notification card', () => {
  const base = {
    nummer: 'MW-ABCDEF',
    doelgroep: 'oudere' as const,
    urgentie: 'deze-week' as const,
    bereikbaarheid: 'telefoon' as const,
    stap: 2,
    stapTitel: 'Overleg met een collega en raadpleeg zo nodig Veilig Thuis',
    contactNaam: 'Aandachtsfunctionaris',
    status: 'open' as const,
    assigneeName: null,
    refreshUserIds: ['a', 'b', 'a'],
  };
  test('no chat link when the requester\'s Entra id is unknown; buttons depend on who looks', () => {
    const contact = notificationCard({ ...base, audience: 'contact' }, 'nl');
    expect((contact.actions as any[]).map((a) => a.title)).toEqual(['Oppakken']);
    expect((contact.refresh as any).userIds).toEqual(['a', 'b']);
    const withChat = notificationCard({ ...base, audience: 'contact', chatUrl: chatDeepLink('0000-aad') }, 'nl');
    expect((withChat.actions as any[])[1]).toEqual({ type: 'Action.OpenUrl', title: 'Chat met aanvrager', url: 'https://teams.microsoft.com/l/chat/0/0?users=0000-aad' });
    expect((notificationCard({ ...base, audience: 'other' }, 'nl').actions as any[] | undefined) ?? []).toEqual([]);
    expect((notificationCard({ ...base, audience: 'requester' }, 'nl').actions as any[]).map((a) => a.verb)).toEqual(['mw.intrekken']);
  });

  test('English', () => {
    const card = notificationCard({ ...base, audience: 'contact', status: 'in-behandeling', assigneeName: 'Sam' }, 'en');
    const json = JSON.stringify(card);
    expect(json).toContain('Consultation request MW-ABCDEF');
    expect(json).toContain('Picked up by Sam');
    expect(json).toContain('This week');
    expect((card.actions as any[]).map((a) => a.title)).toEqual(['Close']);
  });
});
