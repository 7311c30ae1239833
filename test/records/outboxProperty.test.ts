/**
 * Property: whatever the sequence of faults (not reached, processed-but-answer-lost, 5xx, 429), and with two
 * workers competing, every record is created exactly once at the API, no status update ever arrives before its
 * create, and the API ends in the bot's final status.
 */
import fc from 'fast-check';
import type { ConsultationStatus } from '../../src/consultation/ports';
import type { DeliveryOutcome, MunicipalClient } from '../../src/records/municipalClient';
import { startOutboxWorker } from '../../src/records/outbox';
import { createConsultationRepository } from '../../src/consultation/repository';
import { canTransition } from '../../src/records/schema';
import { migrate, openDb } from '../../src/store';
import { newConsultation } from '../support/fixtures';

type Fault = 'ok' | 'lost-before' | 'lost-after' | '500' | '429';

function fakeApi(faults: Fault[]) {
  let i = 0;
  const next = (): Fault => faults[i++] ?? 'ok'; // the API recovers after the faults
  const records = new Map<string, { status: ConsultationStatus; creates: number }>();
  const keys = new Map<string, string>();
  const violations: string[] = [];
  const retry = (reason: string): DeliveryOutcome => ({ kind: 'retry', reason });
  const client: MunicipalClient = {
    timeoutMs: 1000,
    async create(record, key) {
      const f = next();
      if (f === 'lost-before') return retry('network');
      if (f === '500' || f === '429') return { kind: 'retry', httpStatus: Number(f), reason: f };
      if (!keys.has(key)) {
        keys.set(key, record.recordId);
        const existing = records.get(record.recordId);
        if (existing) existing.creates++;
        else records.set(record.recordId, { status: record.status, creates: 1 });
      }
      return f === 'lost-after' ? retry('timeout') : { kind: 'delivered', httpStatus: 201 };
    },
    async updateStatus(recordId, status) {
      const f = next();
      if (f === 'lost-before') return retry('network');
      if (f === '500' || f === '429') return { kind: 'retry', httpStatus: Number(f), reason: f };
      const r = records.get(recordId);
      if (!r) {
        violations.push(`update ${status} before create of ${recordId}`);
        return { kind: 'failed', httpStatus: 404, reason: 'not found' };
      }
      if (r.status !== status) {
        if (!canTransition(r.status, status)) violations.push(`invalid ${r.status} → ${status}`);
        r.status = status;
      }
      return f === 'lost-after' ? retry('timeout') : { kind: 'delivered', httpStatus: 200 };
    },
  };
  return { client, records, violations };
}

const PATHS: ConsultationStatus[][] = [[], ['in-behandeling'], ['in-behandeling', 'afgerond'], ['ingetrokken'], ['in-behandeling', 'ingetrokken']];

describe('outbox exactly-once property (SQLite, fake API with faults)', () => {
  it('holds for random fault sequences and two competing workers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Fault>('ok', 'ok', 'lost-before', 'lost-after', '500', '429'), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: PATHS.length - 1 }), { minLength: 1, maxLength: 5 }),
        async (faults, paths) => {
          const db = await openDb({ url: 'sqlite::memory:' });
          try {
            await migrate(db);
            const repo = createConsultationRepository(db, { pseudonymSecret: 'prop-secret-0123456789' });
            const expected = new Map<string, ConsultationStatus>();
            for (const p of paths) {
              const c = await repo.create(newConsultation());
              let version = c.version;
              let status: ConsultationStatus = c.status;
              for (const s of PATHS[p]) {
                const u = await repo.update(c.nummer, version, { status: s }, { userId: 'x' }, s);
                version = u!.version;
                status = s;
              }
              expected.set((await repo.recordIdOf(c.nummer))!, status);
            }
            const api = fakeApi(faults);
            const opts = { db, client: api.client, pollMs: 0, baseDelayMs: 1, maxDelayMs: 2, batchSize: 2 };
            const w1 = startOutboxWorker(opts);
            const w2 = startOutboxWorker(opts);
            const [s1] = await Promise.all([w1.drain({ timeoutMs: 10_000 }), w2.drain({ timeoutMs: 10_000 })]);
            await Promise.all([w1.stop(), w2.stop()]);
            expect(api.violations).toEqual([]);
            expect(s1).toMatchObject({ pending: 0, failed: 0 });
            expect(api.records.size).toBe(expected.size);
            for (const [id, status] of expected) {
              expect(api.records.get(id)).toEqual({ status, creates: 1 });
            }
          } finally {
            await db.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
