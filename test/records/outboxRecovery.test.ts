/**
 * Outbox recovery after an outage, on a virtual clock: while items back off because the API was unreachable, the
 * worker probes its health at most every `probeMs`; when the API answers again (probe or a delivery), the waiting items
 * become due at once. Items refused for their own reason (429) keep their backoff; no probe without an outage.
 */
import { createMunicipalClient, type DeliveryOutcome, type MunicipalClient } from '../../src/records/municipalClient';
import { memoryLogger } from '../../src/records/logger';
import { startOutboxWorker } from '../../src/records/outbox';
import { createConsultationRepository } from '../../src/consultation/repository';
import { migrate, openDb } from '../../src/store';
import type { Db } from '../../src/store/db';
import { newConsultation } from '../support/fixtures';

let db: Db;
let clock = Date.parse('2026-05-01T10:00:00Z');
const now = () => new Date(clock);

beforeEach(async () => {
  db = await openDb({ url: 'sqlite::memory:' });
  await migrate(db);
  clock = Date.parse('2026-05-01T10:00:00Z');
});
afterEach(async () => db.close());

async function consultations(n: number) {
  const repo = createConsultationRepository(db, { pseudonymSecret: 'recovery-secret-0123456789abcdef', now });
  for (let i = 0; i < n; i++) await repo.create(newConsultation({ requesterId: `aad-${i}` }));
}

/** A fake API: `up` decides; counts creates and probes. Down = no answer (connection refused). */
function fakeApi(opts: { status?: () => DeliveryOutcome } = {}) {
  const api = { up: false, creates: 0, probes: 0, delivered: 0 };
  const client: MunicipalClient = {
    timeoutMs: 1000,
    async create() {
      api.creates++;
      if (!api.up) return { kind: 'retry', reason: 'network: ECONNREFUSED' };
      const o = opts.status?.() ?? { kind: 'delivered', httpStatus: 201 };
      if (o.kind === 'delivered') api.delivered++;
      return o;
    },
    async updateStatus() {
      return api.up ? { kind: 'delivered', httpStatus: 200 } : { kind: 'retry', reason: 'network: ECONNREFUSED' };
    },
    async probe() {
      api.probes++;
      return api.up;
    },
  };
  return { api, client };
}

const pending = async () => Number((await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'"))[0]!.n);

test('a probe ends the backoff as soon as the API is back (not after minutes of backoff)', async () => {
  await consultations(5);
  const { api, client } = fakeApi();
  const w = startOutboxWorker({ db, client, pollMs: 0, baseDelayMs: 1000, maxDelayMs: 300_000, probeMs: 5000, now, random: () => 0.999, logger: memoryLogger() });
  // Down for a long stretch: every round retries what is due; backoff grows towards minutes.
  for (let i = 0; i < 12; i++) {
    await w.flush();
    const [next] = await db.query<{ due: string }>("SELECT MIN(next_attempt_at) AS due FROM outbox WHERE status = 'pending'");
    clock = Math.max(clock + 1000, Date.parse(next!.due));
  }
  await w.flush();
  const [late] = await db.query<{ due: string }>("SELECT MIN(next_attempt_at) AS due FROM outbox WHERE status = 'pending'");
  expect(Date.parse(late!.due) - clock).toBeGreaterThan(60_000);
  // Nothing due for minutes: idle rounds probe the (still unreachable) API, which changes nothing.
  clock += 5000;
  await w.flush();
  expect(api.probes).toBeGreaterThan(0);
  expect(await pending()).toBe(5);
  // The API comes back. Within one probe interval everything is delivered, long before the backoff would end.
  api.up = true;
  clock += 5000;
  await w.flush();
  expect(await pending()).toBe(0);
  expect(api.delivered).toBe(5);
  await w.stop();
});

test('probes at most every probeMs, and not at all without an outage', async () => {
  await consultations(2);
  const { api, client } = fakeApi();
  const w = startOutboxWorker({ db, client, pollMs: 0, baseDelayMs: 60_000, maxDelayMs: 300_000, probeMs: 5000, now, random: () => 0.999, logger: memoryLogger() });
  await w.flush(); // both fail: outage
  const start = api.probes;
  for (let i = 0; i < 10; i++) {
    clock += 1000;
    await w.flush();
  }
  // 10 s of rounds every second: two probes (at +5 s and +10 s), not ten.
  expect(api.probes - start).toBe(2);
  await w.stop();

  // Healthy API, nothing pending: no probes.
  const other = fakeApi();
  other.api.up = true;
  await db.execute("DELETE FROM outbox");
  await consultations(1);
  const healthy = startOutboxWorker({ db, client: other.client, pollMs: 0, probeMs: 5000, now, logger: memoryLogger() });
  for (let i = 0; i < 5; i++) {
    clock += 6000;
    await healthy.flush();
  }
  expect(other.api.probes).toBe(0);
  expect(other.api.delivered).toBe(1);
  await healthy.stop();
});

test('the first delivery after an outage ends the backoff of the rest; items refused with 429 keep theirs', async () => {
  await consultations(3);
  let n = 0;
  const { api, client } = fakeApi({ status: () => (++n === 2 ? { kind: 'retry', httpStatus: 429, reason: 'HTTP 429', retryAfterMs: 120_000 } : { kind: 'delivered', httpStatus: 201 }) });
  const randoms = [0.01, 0.999, 0.999];
  const w = startOutboxWorker({ db, client, pollMs: 0, baseDelayMs: 60_000, maxDelayMs: 300_000, probeMs: 0, now, random: () => randoms.shift() ?? 0.999, logger: memoryLogger() });
  await w.flush(); // all three refused (outage): one waits 0.6 s, two wait ~60 s
  api.up = true;
  clock += 1000;
  await w.flush();
  // The one item due is delivered; that ends the outage and the two others are tried at once (no probes: probeMs 0).
  expect(api.probes).toBe(0);
  expect(api.creates).toBe(6);
  expect(api.delivered).toBe(2);
  // The one refused with 429 waits for its Retry-After.
  const [row] = await db.query<{ last_status: number; next_attempt_at: string }>("SELECT last_status, next_attempt_at FROM outbox WHERE status = 'pending'");
  expect(row!.last_status).toBe(429);
  expect(Date.parse(row!.next_attempt_at) - clock).toBeGreaterThanOrEqual(119_000);
  await w.stop();
});

test('the HTTP client probes GET /api/v1/healthz and only a JSON answer counts', async () => {
  const answers: Array<[number, string, string]> = [
    [200, 'application/json', '{"status":"ok"}'],
    [200, 'text/html', '<html>portal</html>'],
    [503, 'application/problem+json', '{"status":503}'],
  ];
  const seen: string[] = [];
  let i = 0;
  const fetchFake = (async (url: string) => {
    seen.push(url);
    const [status, type, body] = answers[i++]!;
    return new Response(body, { status, headers: { 'content-type': type } });
  }) as unknown as typeof fetch;
  const client = createMunicipalClient({ baseUrl: 'http://api.example/', token: 't', fetch: fetchFake });
  expect(await client.probe!()).toBe(true);
  expect(await client.probe!()).toBe(false);
  expect(await client.probe!()).toBe(false);
  const refused = createMunicipalClient({ baseUrl: 'http://127.0.0.1:1', token: 't', timeoutMs: 500 });
  expect(await refused.probe!()).toBe(false);
  expect(seen[0]).toBe('http://api.example/api/v1/healthz');
});
