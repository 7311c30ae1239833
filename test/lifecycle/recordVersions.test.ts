/**
 * Issue #13: the municipal record follows the consultation's life. Each new version (step reached, outcome, month of
 * closing; structured only) reaches the municipality through the outbox exactly once, on SQLite and PostgreSQL; a
 * replayed or late older version changes nothing; a closed consultation can be reopened within 30 days only.
 */
import { hashToken, startMunicipalApi, type RunningMunicipalApi } from '../../src/api';
import { memoryLogger } from '../../src/records/logger';
import { startOutboxWorker, type OutboxWorker } from '../../src/records/outbox';
import { createConsultationRepository, ReopenExpiredError } from '../../src/consultation/repository';
import { StatusPatch } from '../../src/records/schema';
import { migrate } from '../../src/store';
import type { Db } from '../../src/store/db';
import { forEachDb } from '../support/dbs';
import { newConsultation, sampleAdvice, sampleCase, recordingMunicipalClient } from '../support/fixtures';

const TOKEN = 'versions-test-token-0123456789';
const SECRET = 'versions-secret-0123456789abcdef';

forEachDb('record versions', (f) => {
  let db: Db;
  let api: RunningMunicipalApi;
  let worker: OutboxWorker;
  let bodies: Array<Record<string, unknown>>;
  let clock: Date;

  beforeEach(async () => {
    db = await f.fresh();
    await migrate(db);
    const apiDb = await f.fresh();
    api = await startMunicipalApi({ port: 0, db: apiDb, tokens: `bot:${hashToken(TOKEN)}:consultations:write,consultations:read`, logger: memoryLogger() });
    const recording = recordingMunicipalClient(api.url, TOKEN);
    bodies = recording.patches;
    const client = recording.client;
    worker = startOutboxWorker({ db, client, baseDelayMs: 5, maxDelayMs: 40, pollMs: 0, logger: memoryLogger() });
    clock = new Date('2026-03-02T09:00:00Z');
  });
  afterEach(async () => {
    await worker.stop();
    await api.close();
  });

  async function municipal(recordId: string): Promise<Record<string, unknown>> {
    const r = await fetch(`${api.url}/api/v1/consultations/${recordId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    return (await r.json()) as Record<string, unknown>;
  }

  test('step reached, outcome, closed month and reopen arrive as versions, each once, in order', async () => {
    const repo = createConsultationRepository(db, { pseudonymSecret: SECRET, now: () => clock });
    const c = await repo.create(newConsultation({ overlegGevraagd: false, urgentie: null }));
    const recordId = (await repo.recordIdOf(c.nummer))!;
    await worker.drain();
    expect(await municipal(recordId)).toMatchObject({ versie: 1, stap: 2, status: 'open' });

    // Two weeks later the professional resumes: steps 3 taken, afweging answered, the advice moves on to stap 5.
    clock = new Date('2026-03-16T10:00:00Z');
    const v2 = await repo.update(
      c.nummer,
      c.version,
      {
        case: { ...sampleCase, stappenGedaan: [1, 2, 3], afweging: { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: true } },
        advice: { ...sampleAdvice, stap: 5, actie: 'hulp-organiseren' },
      },
      { userId: 'req' },
      'verder',
    );
    clock = new Date('2026-04-03T08:00:00Z');
    const v3 = await repo.update(c.nummer, v2!.version, { status: 'afgerond', uitkomst: 'hulp-georganiseerd' }, { userId: 'req' }, 'afsluiten');
    expect(v3).toMatchObject({ status: 'afgerond', uitkomst: 'hulp-georganiseerd', afgerondOp: '2026-04-03T08:00:00.000Z' });
    await worker.drain();
    expect(await municipal(recordId)).toMatchObject({
      versie: 3,
      stap: 5,
      actie: 'hulp-organiseren',
      status: 'afgerond',
      uitkomst: 'hulp-georganiseerd',
      afgerondMaand: '2026-04',
    });

    // Reopened within 30 days: open again, outcome cleared; then closed with another outcome.
    clock = new Date('2026-04-20T08:00:00Z');
    const v4 = await repo.update(c.nummer, v3!.version, { status: 'open' }, { userId: 'req' }, 'heropenen');
    expect(v4).toMatchObject({ status: 'open', uitkomst: null, afgerondOp: null });
    await worker.drain();
    expect(await municipal(recordId)).toMatchObject({ versie: 4, status: 'open', uitkomst: null, afgerondMaand: null });
    clock = new Date('2026-05-04T08:00:00Z');
    await repo.update(c.nummer, v4!.version, { status: 'afgerond', uitkomst: 'gemeld-veilig-thuis' }, { userId: 'req' }, 'afsluiten');
    await worker.drain();
    const final = await municipal(recordId);
    expect(final).toMatchObject({ versie: 5, status: 'afgerond', uitkomst: 'gemeld-veilig-thuis', afgerondMaand: '2026-05' });

    // Exactly once per version, in order, structured fields only.
    expect(bodies.map((b) => b.versie)).toEqual([2, 3, 4, 5]);
    for (const b of bodies) expect(StatusPatch.safeParse(b).success).toBe(true);
    expect(JSON.stringify(bodies)).not.toMatch(/MW-|req|2026-0\d-\d\d/);

    // A replay of an older version (a late retry) is acknowledged and changes nothing.
    const late = await fetch(`${api.url}/api/v1/consultations/${recordId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': 'late-1' },
      body: JSON.stringify(bodies[1]),
    });
    expect(late.status).toBe(200);
    expect(await municipal(recordId)).toEqual(final);

    // History: each step reached and each decision with its date, codes only.
    const history = await repo.history(c.nummer);
    expect(history.map((h) => h.event)).toEqual([
      'stap-bereikt:2:collega-raadplegen',
      'stap-gezet:1',
      'stap-gezet:2',
      'afweging:onveilig:nee',
      'afweging:vermoeden:ja',
      'stap-bereikt:5:hulp-organiseren',
      'stap-gezet:3',
      'afweging:hulpAanvaard:ja',
      'afweging:zelfHulp:ja',
      'status:afgerond',
      'uitkomst:hulp-georganiseerd',
      'status:open',
      'status:afgerond',
      'uitkomst:gemeld-veilig-thuis',
    ]);
    expect(history.find((h) => h.event.startsWith('stap-bereikt:5'))!.at).toBe('2026-03-16T10:00:00.000Z');
  });

  test('the OpenAPI document describes record versions', async () => {
    const doc = (await (await fetch(`${api.url}/api/v1/openapi.json`)).json()) as any;
    const patch = doc.components.schemas.StatusPatch.properties;
    expect(Object.keys(patch)).toEqual(expect.arrayContaining(['status', 'versie', 'stap', 'actie', 'uitkomst', 'afgerondMaand']));
    expect(doc.components.schemas.MunicipalRecord.properties.uitkomst).toBeDefined();
    expect(doc.paths['/api/v1/consultations/{id}'].patch.description).toMatch(/versie.*precies één keer/s);
  });

  test('a closed consultation cannot be reopened after 30 days; counts carry the outcome', async () => {
    const repo = createConsultationRepository(db, { pseudonymSecret: SECRET, now: () => clock });
    const c = await repo.create(newConsultation());
    const closed = await repo.update(c.nummer, c.version, { status: 'afgerond', uitkomst: 'afgesloten-zonder-zorgen' }, { userId: 'req' }, 'afsluiten');
    clock = new Date(clock.getTime() + 31 * 86_400_000);
    await expect(repo.update(c.nummer, closed!.version, { status: 'open' }, { userId: 'req' }, 'heropenen')).rejects.toBeInstanceOf(ReopenExpiredError);
    expect((await repo.get(c.nummer))!.status).toBe('afgerond');
    const counts = await repo.counts({});
    expect(counts).toEqual([expect.objectContaining({ status: 'afgerond', uitkomst: 'afgesloten-zonder-zorgen', aantal: 1 })]);
  });
});
