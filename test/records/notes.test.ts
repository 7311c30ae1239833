/**
 * The professional's note never leaves the bot: it is not in the municipal record, it stays scrubbed with the
 * consultation, and it is removed after NOTE_RETENTION_DAYS. Stored notes from before are removed by migrations on
 * both sides. Runs on SQLite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { canonicalHash, createMunicipalStore, MUNICIPAL_MIGRATIONS } from '../../src/api/store';
import { memoryLogger } from '../../src/records/logger';
import { createConsultationRepository } from '../../src/consultation/repository';
import { createNoteRetention } from '../../src/records/retention';
import { startOutboxWorker } from '../../src/records/outbox';
import type { MunicipalClient } from '../../src/records/municipalClient';
import { BOT_MIGRATIONS, migrate, runMigrations } from '../../src/store';
import { forEachDb } from '../support/dbs';
import { newConsultation, sampleRecord } from '../support/fixtures';

const SECRET = 'notes-secret-0123456789abcdef0123456789';
const DAY = 24 * 3600_000;
const NOTE = 'Gesprek met moeder gehad over verzuim, zij belde vanaf 06-12345678.';

forEachDb('notes stay in the bot and expire', (f) => {
  it('keeps the scrubbed note with the consultation, never in the outbox record, and removes it after the retention', async () => {
    const db = await f.fresh();
    await migrate(db);
    const t0 = Date.parse('2026-03-01T10:00:00Z');
    let now = t0;
    const repo = createConsultationRepository(db, { pseudonymSecret: SECRET, now: () => new Date(now) });
    const old = await repo.create(newConsultation({ requesterId: 'aad-old', note: NOTE }));
    now = t0 + 50 * DAY;
    const recent = await repo.create(newConsultation({ requesterId: 'aad-recent', note: 'Zorgen over verzuim en sfeer thuis.' }));
    const none = await repo.create(newConsultation({ requesterId: 'aad-none', note: null }));
    expect((await repo.get(old.nummer))!.note).toContain('Gesprek met moeder');
    expect((await repo.get(old.nummer))!.note).not.toContain('06-12345678');
    const payloads = (await db.query<{ payload: string }>('SELECT payload FROM outbox')).map((r) => r.payload).join('\n');
    expect(payloads).not.toContain('notitie');
    expect(payloads).not.toContain('Gesprek');
    expect(payloads).not.toContain('sfeer');

    const logger = memoryLogger();
    const retention = createNoteRetention({ db, retentionMs: 90 * DAY, now: () => new Date(now), logger });
    now = t0 + 89 * DAY;
    expect(await retention.purge()).toBe(0);
    now = t0 + 91 * DAY;
    expect(await retention.purge()).toBe(1);
    expect((await repo.get(old.nummer))!.note).toBeNull();
    // The consultation itself stays, unchanged otherwise (status, version, advice).
    expect(await repo.get(old.nummer)).toMatchObject({ nummer: old.nummer, status: 'open', version: old.version, advice: old.advice });
    expect((await repo.get(recent.nummer))!.note).toBe('Zorgen over verzuim en sfeer thuis.');
    expect((await repo.get(none.nummer))!.note).toBeNull();
    // Nothing of the note in the database any more.
    const [row] = await db.query<{ doc: string }>('SELECT doc FROM consultations WHERE nummer = $1', [old.nummer]);
    expect(row!.doc).not.toContain('moeder');
    expect(JSON.stringify(logger.entries)).not.toContain(old.nummer);
    // A later status change still works on the consultation without note.
    expect(await repo.update(old.nummer, old.version, { status: 'ingetrokken' }, { userId: 'aad-old' }, 'intrekken')).toMatchObject({ status: 'ingetrokken' });

    // The outbox worker runs the note retention by itself (default 90 days).
    now = t0 + 141 * DAY;
    const idle: MunicipalClient = { timeoutMs: 1000, create: async () => ({ kind: 'retry', reason: 'down' }), updateStatus: async () => ({ kind: 'retry', reason: 'down' }) };
    const w = startOutboxWorker({ db, client: idle, pollMs: 0, now: () => new Date(now), logger: memoryLogger() });
    await w.flush();
    await w.stop();
    expect((await repo.get(recent.nummer))!.note).toBeNull();
  });

  it('NOTE_RETENTION_DAYS=0 keeps notes', async () => {
    const db = await f.fresh();
    await migrate(db);
    const repo = createConsultationRepository(db, { pseudonymSecret: SECRET, now: () => new Date('2020-01-01T00:00:00Z') });
    const c = await repo.create(newConsultation({ note: 'Zorgen over verzuim.' }));
    expect(await createNoteRetention({ db, retentionMs: 0, now: () => new Date(), logger: memoryLogger() }).purge()).toBe(0);
    expect((await repo.get(c.nummer))!.note).toBe('Zorgen over verzuim.');
  });

  it('bot migration removes notes from records still waiting in the outbox', async () => {
    const db = await f.fresh();
    await migrate(db, BOT_MIGRATIONS.filter((m) => m.id < 'bot-0006'));
    const record = { ...sampleRecord(), notitie: 'Zorgen over verzuim' };
    await db.execute(
      `INSERT INTO outbox (id, record_id, seq, kind, idempotency_key, payload, status, attempts, next_attempt_at, created_at)
       VALUES ($1, $2, 1, 'create', $3, $4, 'pending', 0, $5, $5)`,
      [randomUUID(), record.recordId, randomUUID(), JSON.stringify({ kind: 'create', record }), new Date().toISOString()],
    );
    expect(await migrate(db)).toContain('bot-0006-outbox-without-notitie');
    const [row] = await db.query<{ payload: string }>('SELECT payload FROM outbox');
    const { notitie: _dropped, ...rest } = record;
    expect(JSON.parse(row!.payload)).toEqual({ kind: 'create', record: rest });
  });

  it('municipal migration removes stored notes; a re-sent record without note is still an idempotent replay', async () => {
    const db = await f.fresh();
    await runMigrations(db, MUNICIPAL_MIGRATIONS.filter((m) => m.id < 'municipal-0003'));
    const record = { ...sampleRecord(), notitie: 'Zorgen over verzuim' };
    const doc = JSON.stringify(record);
    await db.execute(
      `INSERT INTO municipal_consultations (record_id, body_hash, status, gemeente, doelgroep, maand, stap, actie, doc, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)`,
      [record.recordId, canonicalHash(record), record.status, record.gemeente, record.doelgroep, record.maand, record.stap, record.actie, doc],
    );
    await db.execute(
      `INSERT INTO municipal_idempotency (client_id, idem_key, request_hash, record_id, response_status, response_body, created_at)
       VALUES ('bot', 'key-1', $1, $2, 201, $3, $4)`,
      [canonicalHash(record), record.recordId, doc, new Date().toISOString()],
    );
    expect(await runMigrations(db, MUNICIPAL_MIGRATIONS)).toEqual(['municipal-0003-remove-notitie']);
    const all = JSON.stringify([...(await db.query('SELECT * FROM municipal_consultations')), ...(await db.query('SELECT * FROM municipal_idempotency'))]);
    expect(all).not.toContain('notitie');
    expect(all).not.toContain('verzuim');
    const { notitie: _dropped, ...clean } = record;
    const store = createMunicipalStore(db);
    expect(await store.get(record.recordId)).toEqual(clean);
    expect(await store.create('bot', 'key-1', clean)).toMatchObject({ kind: 'replayed' });
    expect(await store.create('bot', 'key-2', clean)).toMatchObject({ kind: 'replayed' });
  });
});
