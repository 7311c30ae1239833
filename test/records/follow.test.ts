/**
 * Issue #9: the municipal record follows its consultation. An overleg requested after the advice (status stays
 * "open") reaches the municipality as a new version through the outbox PATCH path — structured fields only
 * (overlegGevraagd, urgentie, status), in order, idempotent.
 */
import { hashToken, startMunicipalApi, type RunningMunicipalApi } from '../../src/api';
import { memoryLogger } from '../../src/records/logger';
import { startOutboxWorker, type OutboxWorker } from '../../src/records/outbox';
import { createMunicipalClient } from '../../src/records/municipalClient';
import { createConsultationRepository } from '../../src/consultation/repository';
import { StatusPatch } from '../../src/records/schema';
import { migrate, openDb } from '../../src/store';
import type { Db } from '../../src/store/db';
import { newConsultation, recordingMunicipalClient } from '../support/fixtures';

const TOKEN = 'follow-test-token-0123456789';
const SECRET = 'follow-secret-0123456789abcdef';

let db: Db;
let api: RunningMunicipalApi;
let worker: OutboxWorker;
let bodies: Array<Record<string, unknown>>;

beforeEach(async () => {
  db = await openDb({ url: 'sqlite::memory:' });
  await migrate(db);
  api = await startMunicipalApi({ port: 0, dbUrl: 'sqlite::memory:', tokens: `bot:${hashToken(TOKEN)}:consultations:write,consultations:read`, logger: memoryLogger() });
  const recording = recordingMunicipalClient(api.url, TOKEN);
  bodies = recording.patches;
  const client = recording.client;
  worker = startOutboxWorker({ db, client, baseDelayMs: 5, maxDelayMs: 40, pollMs: 0, logger: memoryLogger() });
});
afterEach(async () => {
  await worker.stop();
  await api.close();
  await db.close();
});

async function municipal(recordId: string): Promise<Record<string, unknown>> {
  const r = await fetch(`${api.url}/api/v1/consultations/${recordId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(r.status).toBe(200);
  return (await r.json()) as Record<string, unknown>;
}

test('an overleg requested later reaches the municipal record; then pick-up and close; each change once, in order', async () => {
  const repo = createConsultationRepository(db, { pseudonymSecret: SECRET });
  const base = newConsultation({ requesterId: 'aad-requester' });
  const c = await repo.create({ ...base, overlegGevraagd: false, urgentie: null });
  const recordId = (await repo.recordIdOf(c.nummer))!;
  await worker.drain();
  expect(await municipal(recordId)).toMatchObject({ overlegGevraagd: false, urgentie: null, status: 'open' });

  const v2 = await repo.update(c.nummer, c.version, { overlegGevraagd: true, urgentie: 'vandaag', bereikbaarheid: 'teams-chat', contactRol: 'aandachtsfunctionaris-jeugd', status: 'open' }, { userId: 'aad-requester' }, 'overleg.aangevraagd');
  await worker.drain();
  expect(await municipal(recordId)).toMatchObject({ overlegGevraagd: true, urgentie: 'vandaag', status: 'open' });

  const v3 = await repo.update(c.nummer, v2!.version, { status: 'in-behandeling', assigneeId: 'aad-af', assigneeName: 'AF' }, { userId: 'aad-af' }, 'overleg.opgepakt');
  // A change of fields the record does not have (only the assignee) sends nothing.
  const v4 = await repo.update(c.nummer, v3!.version, { assigneeName: 'AF Jeugd' }, { userId: 'aad-af' }, 'naam');
  await repo.update(c.nummer, v4!.version, { status: 'afgerond' }, { userId: 'aad-af' }, 'overleg.afgerond');
  await worker.drain();
  const record = await municipal(recordId);
  expect(record).toMatchObject({ overlegGevraagd: true, urgentie: 'vandaag', status: 'afgerond' });
  const step = { stap: c.advice.stap, actie: c.advice.actie };
  expect(bodies).toEqual([
    { status: 'open', overlegGevraagd: true, urgentie: 'vandaag', versie: 2, ...step, uitkomst: null, afgerondMaand: null },
    { status: 'in-behandeling', overlegGevraagd: true, urgentie: 'vandaag', versie: 3, ...step, uitkomst: null, afgerondMaand: null },
    { status: 'afgerond', overlegGevraagd: true, urgentie: 'vandaag', versie: 5, ...step, uitkomst: null, afgerondMaand: expect.stringMatching(/^\d{4}-\d{2}$/) },
  ]);
  // Structured fields only: the PATCH body schema refuses anything else (no free text, no names).
  for (const b of bodies) expect(StatusPatch.safeParse(b).success).toBe(true);
  expect(StatusPatch.safeParse({ status: 'open', notitie: 'vrije tekst' }).success).toBe(false);
  expect(JSON.stringify(bodies)).not.toMatch(/aad-|AF Jeugd|MW-/);
});

test('the PATCH is idempotent: the same overleg fields again leave the record unchanged', async () => {
  const repo = createConsultationRepository(db, { pseudonymSecret: SECRET });
  const c = await repo.create({ ...newConsultation({ requesterId: 'aad-requester' }), overlegGevraagd: false, urgentie: null });
  const recordId = (await repo.recordIdOf(c.nummer))!;
  await worker.drain();
  const client = createMunicipalClient({ baseUrl: api.url, token: TOKEN });
  expect((await client.updateStatus(recordId, 'open', 'k-1', { overlegGevraagd: true, urgentie: 'deze-week' })).kind).toBe('delivered');
  const [before] = await api.db.query<{ version: number }>('SELECT version FROM municipal_consultations WHERE record_id = $1', [recordId]);
  expect((await client.updateStatus(recordId, 'open', 'k-2', { overlegGevraagd: true, urgentie: 'deze-week' })).kind).toBe('delivered');
  const [after] = await api.db.query<{ version: number }>('SELECT version FROM municipal_consultations WHERE record_id = $1', [recordId]);
  expect(Number(after!.version)).toBe(Number(before!.version));
  expect(await municipal(recordId)).toMatchObject({ overlegGevraagd: true, urgentie: 'deze-week', status: 'open' });
});
