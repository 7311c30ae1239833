import { migrate } from '../../src/store';
import type { Db } from '../../src/store/db';
import { createConsultationRepository, InvalidTransitionError, NUMMER_PATTERN } from '../../src/consultation/repository';
import { MunicipalRecord } from '../../src/records/schema';
import { forEachDb } from '../support/dbs';
import { newConsultation } from '../support/fixtures';

const SECRET = 'repo-test-secret-0123456789';

function clock(start = Date.parse('2026-03-01T08:00:00.000Z'), stepMs = 60_000) {
  let t = start;
  return () => new Date((t += stepMs));
}

interface OutboxRowLite {
  record_id: string;
  seq: number;
  kind: string;
  idempotency_key: string;
  payload: string;
  status: string;
}

forEachDb(
  'consultation repository',
  (f) => {
    let db: Db;
    beforeEach(async () => {
      db = await f.fresh();
      await migrate(db);
    });

    it('creates a consultation, its audit row and the anonymised record in the outbox (one transaction)', async () => {
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET, now: clock() });
      const requesterId = 'aad-0c4d6f1e-teams-user-9981';
      const c = await repo.create(newConsultation({ requesterId, note: 'Gebeld met 06-12345678, mail jan@school.nl' }));
      expect(c.nummer).toMatch(NUMMER_PATTERN);
      expect(c).toMatchObject({ status: 'open', version: 1, requesterId, assigneeId: null });
      expect(c.note).not.toContain('06-12345678');
      expect(c.note).not.toContain('jan@school.nl');
      expect(await repo.get(c.nummer)).toEqual(c);
      expect(await repo.audit(c.nummer)).toEqual([{ at: c.createdAt, actorId: requesterId, action: 'aangemaakt', from: null, to: 'open' }]);

      const rows = await db.query<OutboxRowLite>('SELECT * FROM outbox');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'create', seq: 1, status: 'pending' });
      expect(rows[0].idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
      const payload = JSON.parse(rows[0].payload) as { kind: string; record: unknown };
      const record = MunicipalRecord.parse(payload.record);
      expect(record.recordId).toBe(rows[0].record_id);
      expect(record.recordId).toBe(await repo.recordIdOf(c.nummer));
      expect(await repo.getByRecordId(record.recordId)).toEqual(c);
      expect(await repo.getByRecordId('00000000-0000-4000-8000-000000000000')).toBeNull();
      expect(rows[0].payload).not.toContain(requesterId);
      expect(rows[0].payload).not.toContain(c.nummer);
      expect(rows[0].payload).not.toContain('06-12345678');
      expect(record.maand).toBe(c.createdAt.slice(0, 7));
    });

    it('is idempotent per clientRef: a redelivered turn gets the first consultation back and enqueues nothing new', async () => {
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET, now: clock() });
      const first = await repo.create(newConsultation({ clientRef: 'run-1' }));
      const again = await repo.create(newConsultation({ clientRef: 'run-1' }));
      const parallel = await Promise.all([repo.create(newConsultation({ clientRef: 'run-2' })), repo.create(newConsultation({ clientRef: 'run-2' }))]);
      const other = await repo.create(newConsultation({ clientRef: null }));
      const other2 = await repo.create(newConsultation({}));
      expect(again).toEqual(first);
      expect(parallel[0]).toEqual(parallel[1]);
      expect(new Set([first.nummer, parallel[0].nummer, other.nummer, other2.nummer]).size).toBe(4);
      expect(await db.query('SELECT nummer FROM consultations')).toHaveLength(4);
      expect(await db.query('SELECT id FROM outbox')).toHaveLength(4);
    });

    it('retries the consultation number on collision', async () => {
      const numbers = ['MW-AAAAAA', 'MW-AAAAAA', 'MW-AAAAAA', 'MW-BBBBBB'];
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET, nummerGenerator: () => numbers.shift()! });
      expect((await repo.create(newConsultation())).nummer).toBe('MW-AAAAAA');
      expect((await repo.create(newConsultation())).nummer).toBe('MW-BBBBBB');
      const all = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox');
      expect(all[0].n).toBe(2);
    });

    it('rolls everything back when the outbox write fails', async () => {
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET });
      await db.execute('DROP TABLE outbox');
      await expect(repo.create(newConsultation())).rejects.toThrow(/outbox/);
      const [{ n }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM consultations');
      const [{ a }] = await db.query<{ a: number }>('SELECT COUNT(*) AS a FROM consultation_audit');
      expect([n, a]).toEqual([0, 0]);
    });

    it('update is compare-and-set: of two concurrent pick-ups exactly one wins', async () => {
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET });
      const c = await repo.create(newConsultation());
      const other = createConsultationRepository(await f.again(), { pseudonymSecret: SECRET });
      const results = await Promise.all([
        repo.update(c.nummer, 1, { status: 'in-behandeling', assigneeId: 'aad-a', assigneeName: 'A' }, { userId: 'aad-a', name: 'A' }, 'oppakken'),
        other.update(c.nummer, 1, { status: 'in-behandeling', assigneeId: 'aad-b', assigneeName: 'B' }, { userId: 'aad-b', name: 'B' }, 'oppakken'),
      ]);
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      const stored = await repo.get(c.nummer);
      expect(stored).toEqual(winners[0]);
      expect(stored!.version).toBe(2);
      const audit = await repo.audit(c.nummer);
      expect(audit).toHaveLength(2);
      expect(audit[1]).toMatchObject({ actorId: stored!.assigneeId, action: 'oppakken', from: 'open', to: 'in-behandeling' });
      const outbox = await db.query<OutboxRowLite>('SELECT * FROM outbox ORDER BY seq');
      expect(outbox.map((o) => [o.kind, o.seq])).toEqual([
        ['create', 1],
        ['status', 2],
      ]);
      expect(JSON.parse(outbox[1].payload)).toEqual({ kind: 'status', recordId: outbox[0].record_id, status: 'in-behandeling', overlegGevraagd: true, urgentie: 'deze-week' });
      expect(new Set(outbox.map((o) => o.idempotency_key)).size).toBe(2);
    });

    it('many concurrent updates with the same version: exactly one wins', async () => {
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET });
      const c = await repo.create(newConsultation());
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => repo.update(c.nummer, 1, { assigneeId: `aad-${i}` }, { userId: `aad-${i}` }, 'toewijzen')),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      // No status change: no outbox item for the municipality.
      const [{ n }] = await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'status'");
      expect(n).toBe(0);
    });

    it('returns null for a stale version or unknown number, and refuses invalid transitions', async () => {
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET });
      const c = await repo.create(newConsultation());
      expect(await repo.update(c.nummer, 7, { status: 'in-behandeling' }, { userId: 'x' }, 'oppakken')).toBeNull();
      expect(await repo.update('MW-ZZZZZZ', 1, { status: 'in-behandeling' }, { userId: 'x' }, 'oppakken')).toBeNull();
      await expect(repo.update(c.nummer, 1, { status: 'afgerond' }, { userId: 'x' }, 'afronden')).rejects.toBeInstanceOf(InvalidTransitionError);
      const v2 = await repo.update(c.nummer, 1, { status: 'in-behandeling' }, { userId: 'x' }, 'oppakken');
      const v3 = await repo.update(c.nummer, v2!.version, { status: 'afgerond' }, { userId: 'x' }, 'afronden');
      expect(v3).toMatchObject({ status: 'afgerond', version: 3 });
      const outbox = await db.query<OutboxRowLite>('SELECT * FROM outbox ORDER BY seq');
      expect(outbox.map((o) => o.seq)).toEqual([1, 2, 3]);
    });

    it('lists newest first with filters and an opaque cursor', async () => {
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET, now: clock() });
      const made = [];
      for (let i = 0; i < 7; i++) {
        made.push(
          await repo.create(
            newConsultation({
              requesterId: i % 2 ? 'aad-odd' : 'aad-even',
              case: { gemeente: i < 4 ? 'GM0246' : 'GM1708', doelgroep: i % 3 === 0 ? 'oudere' : 'kind' },
              urgentie: i === 6 ? 'vandaag' : 'geen-haast',
            }),
          ),
        );
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await repo.list({ limit: 3, cursor });
        seen.push(...page.items.map((c) => c.nummer));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(made.map((c) => c.nummer).reverse());
      expect((await repo.list({ gemeenten: ['GM1708'] })).items).toHaveLength(3);
      expect((await repo.list({ doelgroep: 'oudere' })).items).toHaveLength(3);
      expect((await repo.list({ requesterId: 'aad-odd' })).items).toHaveLength(3);
      expect((await repo.list({ urgentie: 'vandaag' })).items.map((c) => c.nummer)).toEqual([made[6].nummer]);
      await repo.update(made[0].nummer, 1, { status: 'in-behandeling' }, { userId: 'x' }, 'oppakken');
      expect((await repo.list({ status: ['in-behandeling'] })).items.map((c) => c.nummer)).toEqual([made[0].nummer]);
      expect((await repo.list({ status: ['open', 'afgerond'] })).items).toHaveLength(6);
      await expect(repo.list({ cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);
    });

    it('counts aggregate per month, gemeente, doelgroep, step, action and status', async () => {
      let t = Date.parse('2026-01-31T22:00:00.000Z');
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET, now: () => new Date((t += 3_600_000)) });
      await repo.create(newConsultation()); // 2026-01-31T23
      await repo.create(newConsultation()); // 2026-02-01T00
      await repo.create(newConsultation({ case: { doelgroep: 'partner' } })); // 2026-02, no gemeente
      const counts = await repo.counts({});
      expect(counts).toEqual([
        { maand: '2026-01', gemeente: 'GM0246', doelgroep: 'kind', stap: 2, actie: 'collega-raadplegen', status: 'open', aantal: 1 },
        { maand: '2026-02', gemeente: null, doelgroep: 'partner', stap: 2, actie: 'collega-raadplegen', status: 'open', aantal: 1 },
        { maand: '2026-02', gemeente: 'GM0246', doelgroep: 'kind', stap: 2, actie: 'collega-raadplegen', status: 'open', aantal: 1 },
      ]);
      expect(await repo.counts({ from: '2026-02', gemeenten: ['GM0246'] })).toHaveLength(1);
      expect(await repo.counts({ to: '2026-01' })).toHaveLength(1);
    });
  },
  { sqliteFile: true },
);
