/**
 * The notification outbox and the pick-up race on both databases, with two handles on one database (two bot
 * instances): each notification is delivered once, and of two simultaneous pick-ups exactly one wins.
 */
import { migrate } from '../../src/store';
import { createConsultationRepository } from '../../src/consultation/repository';
import { createConversationRefStore } from '../../src/store/conversationRefs';
import { enqueueNotification, notificationsOf, startNotificationWorker, type ProcessOutcome } from '../../src/overleg/outbox';
import { createOverlegService } from '../../src/overleg/service';
import { forEachDb } from '../support/dbs';
import { fakeTransport, testPolicy } from '../support/overlegHarness';

forEachDb(
  'overleg store',
  (f) => {
    test('two instances: each notification is processed exactly once; enqueue is idempotent', async () => {
      const one = await f.fresh();
      await migrate(one);
      const two = await f.again();
      for (let i = 0; i < 12; i++) await enqueueNotification(one, { dedupeKey: `k${i}`, payload: { kind: 'message', nummer: `MW-K${i}`, userId: 'u', key: 'x', vars: {} } });
      expect(await enqueueNotification(two, { dedupeKey: 'k3', payload: { kind: 'message', nummer: 'MW-K3', userId: 'u', key: 'x', vars: {} } })).toBe(false);
      const seen: string[] = [];
      const process = async (row: { nummer: string }): Promise<ProcessOutcome> => {
        seen.push(row.nummer);
        return { kind: 'delivered', result: {}, then: [{ dedupeKey: `then-${row.nummer}`, payload: { kind: 'message', nummer: row.nummer, userId: 'v', key: 'y', vars: {} } }] };
      };
      const a = startNotificationWorker({ db: one, process, pollMs: 0, batchSize: 4 });
      const b = startNotificationWorker({ db: two, process, pollMs: 0, batchSize: 4 });
      await Promise.all([a.drain(), b.drain()]);
      expect(seen).toHaveLength(24); // 12 + their 12 follow-ups
      // Each consultation number: its notification and its follow-up, once each.
      const perNummer = new Map<string, number>();
      for (const n of seen) perNummer.set(n, (perNummer.get(n) ?? 0) + 1);
      expect([...perNummer.values()]).toEqual(Array(12).fill(2));
      expect(await a.stats()).toEqual({ pending: 0, delivered: 24, failed: 0 });
      expect((await notificationsOf(one, 'MW-K0')).map((n) => n.dedupe_key).sort()).toEqual(['k0', 'then-MW-K0']);
    }, 60_000);

    test('delivered notifications are deleted after the retention; pending and failed ones stay', async () => {
      const db = await f.fresh();
      await migrate(db);
      const DAY = 24 * 3600_000;
      const t0 = Date.now();
      let now = t0;
      const message = (n: string) => ({ dedupeKey: n, payload: { kind: 'message' as const, nummer: n, userId: 'u', key: 'x', vars: {} } });
      for (const n of ['MW-OLD1', 'MW-OLD2', 'MW-BAD']) await enqueueNotification(db, message(n), new Date(now));
      const outcome = async (row: { nummer: string }): Promise<ProcessOutcome> =>
        row.nummer === 'MW-BAD' ? { kind: 'failed', reason: 'gone' } : row.nummer === 'MW-WAIT' ? { kind: 'retry', reason: 'throttled' } : { kind: 'delivered', result: {} };
      const w = startNotificationWorker({ db, process: outcome, pollMs: 0, now: () => new Date(now), retentionMs: 30 * DAY });
      await w.flush();
      now = t0 + 20 * DAY;
      for (const n of ['MW-NEW', 'MW-WAIT']) await enqueueNotification(db, message(n), new Date(now));
      await w.flush();
      expect(await w.stats()).toEqual({ pending: 1, delivered: 3, failed: 1 });
      now = t0 + 31 * DAY;
      expect(await w.purgeDelivered()).toBe(2); // the two delivered on day 0
      expect(await w.stats()).toEqual({ pending: 1, delivered: 1, failed: 1 });
      expect(await notificationsOf(db, 'MW-OLD1')).toEqual([]);
      expect((await notificationsOf(db, 'MW-NEW')).map((n) => n.status)).toEqual(['delivered']);
    });

    test('two instances pick up the same request at once: exactly one wins, one audit entry', async () => {
      const one = await f.fresh();
      await migrate(one);
      const two = await f.again();
      const policy = testPolicy();
      const mk = (db: typeof one) =>
        createOverlegService({ policy, db, repo: createConsultationRepository(db, { pseudonymSecret: 'x' }), refs: createConversationRefStore(db), transport: fakeTransport() });
      const s1 = mk(one);
      const s2 = mk(two);
      const r = await s1.request({ requesterId: 'aad-req', case: { gemeente: 'GM0246', doelgroep: 'kind', leeftijdsgroep: '4-11' }, urgentie: 'vandaag', bereikbaarheid: 'teams-chat', lang: 'nl' });
      if (!r.ok) throw new Error('request failed');
      const nummer = r.consultation.nummer;
      const results = await Promise.all([
        s1.act('mw.oppakken', nummer, { userId: 'dev-af-jeugd-heerde', name: 'Jeugd' }, 'nl'),
        s2.act('mw.oppakken', nummer, { userId: 'dev-af-volwassenen-heerde', name: 'Volwassenen' }, 'nl'),
        s1.act('mw.oppakken', nummer, { userId: 'dev-af-volwassenen-heerde', name: 'Volwassenen 2' }, 'nl'),
        s2.act('mw.oppakken', nummer, { userId: 'dev-af-jeugd-heerde', name: 'Jeugd 2' }, 'nl'),
      ]);
      expect(results.filter((x) => x!.changed)).toHaveLength(1);
      const repo = createConsultationRepository(one, { pseudonymSecret: 'x' });
      expect((await repo.get(nummer))!.version).toBe(2);
      expect((await repo.audit(nummer)).filter((a) => a.action === 'overleg.opgepakt')).toHaveLength(1);
      // One "picked up" message for the requester, not four.
      expect((await notificationsOf(one, nummer)).filter((n) => n.kind === 'message')).toHaveLength(1);
    }, 60_000);
  },
  { sqliteFile: true },
);
