import { randomUUID } from 'node:crypto';
import { hashToken, startMunicipalApi, type RunningMunicipalApi } from '../../src/api';
import { memoryLogger } from '../../src/records/logger';
import { classify, createMunicipalClient, parseRetryAfter, type DeliveryOutcome, type MunicipalClient } from '../../src/records/municipalClient';
import { enqueueOutbox, startOutboxWorker, type OutboxWorker } from '../../src/records/outbox';
import { createConsultationRepository } from '../../src/consultation/repository';
import { migrate } from '../../src/store';
import type { Db } from '../../src/store/db';
import { forEachDb } from '../support/dbs';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { newConsultation, sampleRecord } from '../support/fixtures';

const TOKEN = 'outbox-test-token-0123456789';
const TOKENS = `bot:${hashToken(TOKEN)}:consultations:write,consultations:read`;
const SECRET = 'outbox-secret-0123456789abcdef';

interface Call {
  kind: 'create' | 'status';
  recordId: string;
  status?: string;
  outcome: DeliveryOutcome['kind'];
  at: number;
}

/** Wraps a client and records every call with its outcome. */
function recording(inner: MunicipalClient, calls: Call[]): MunicipalClient {
  return {
    timeoutMs: inner.timeoutMs,
    async create(record, key) {
      const o = await inner.create(record, key);
      calls.push({ kind: 'create', recordId: record.recordId, outcome: o.kind, at: calls.length });
      return o;
    },
    async updateStatus(recordId, status, key, fields) {
      const o = await inner.updateStatus(recordId, status, key, fields);
      calls.push({ kind: 'status', recordId, status, outcome: o.kind, at: calls.length });
      return o;
    },
  };
}

/** Every status call for a record comes after that record's create was delivered, and in order. */
function expectOrdered(calls: Call[]) {
  const delivered = new Map<string, number>();
  for (const c of calls) {
    if (c.kind === 'create' && c.outcome === 'delivered' && !delivered.has(c.recordId)) delivered.set(c.recordId, c.at);
    if (c.kind === 'status') {
      expect(delivered.has(c.recordId)).toBe(true);
      expect(delivered.get(c.recordId)!).toBeLessThan(c.at);
    }
  }
  const byRecord = new Map<string, string[]>();
  for (const c of calls) if (c.kind === 'status' && c.outcome === 'delivered') byRecord.set(c.recordId, [...(byRecord.get(c.recordId) ?? []), c.status!]);
  for (const seq of byRecord.values()) {
    expect(seq.filter((s, i) => s !== seq[i - 1])).toEqual(['in-behandeling', 'afgerond'].slice(0, new Set(seq).size));
  }
}

forEachDb(
  'outbox delivery',
  (f) => {
    let db: Db;
    let api: RunningMunicipalApi;
    let proxy: FaultProxy;
    const workers: OutboxWorker[] = [];

    beforeEach(async () => {
      db = await f.fresh();
      await migrate(db);
      api = await startMunicipalApi({ port: 0, dbUrl: 'sqlite::memory:', tokens: TOKENS, logger: memoryLogger() });
      proxy = await startFaultProxy(api.url, { slowMs: 400 });
    });
    afterEach(async () => {
      for (const w of workers.splice(0)) await w.stop();
      await proxy.close();
      await api.close();
    });

    function worker(opts: Partial<Parameters<typeof startOutboxWorker>[0]> & { client: MunicipalClient }) {
      const w = startOutboxWorker({ db, baseDelayMs: 5, maxDelayMs: 40, pollMs: 0, logger: memoryLogger(), ...opts });
      workers.push(w);
      return w;
    }

    async function apiRecords(): Promise<Array<{ record_id: string; status: string }>> {
      return api.db.query('SELECT record_id, status FROM municipal_consultations ORDER BY record_id');
    }

    /** n consultations, each picked up and finished: 3 outbox items per consultation. */
    async function makeWork(n: number) {
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET });
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const c = await repo.create(newConsultation({ requesterId: `aad-requester-${i}` }));
        const v2 = await repo.update(c.nummer, 1, { status: 'in-behandeling', assigneeId: 'aad-coord' }, { userId: 'aad-coord' }, 'oppakken');
        await repo.update(c.nummer, v2!.version, { status: 'afgerond' }, { userId: 'aad-coord' }, 'afronden');
        ids.push((await repo.recordIdOf(c.nummer))!);
      }
      return ids.sort();
    }

    it('delivers exactly once after the API was down for a long stretch (refused, reset, 5xx, 429)', async () => {
      const ids = await makeWork(4);
      const calls: Call[] = [];
      const down = createMunicipalClient({ baseUrl: 'http://127.0.0.1:1', token: TOKEN, timeoutMs: 500 });
      const up = createMunicipalClient({ baseUrl: proxy.url, token: TOKEN, timeoutMs: 2000 });
      let n = 0;
      const switching: MunicipalClient = {
        timeoutMs: 2000,
        create: (r, k) => (++n <= 10 ? down.create(r, k) : up.create(r, k)),
        updateStatus: (id, s, k) => (++n <= 10 ? down.updateStatus(id, s, k) : up.updateStatus(id, s, k)),
      };
      const actions = ['reset', '500', '503', '429', 'reset', '500'] as const;
      proxy.setPlan((i) => (i <= 24 ? actions[i % actions.length] : 'pass'));
      const w = worker({ client: recording(switching, calls) });
      const stats = await w.drain({ timeoutMs: 20_000 });
      expect(stats).toMatchObject({ pending: 0, delivered: 12, failed: 0 });
      const records = await apiRecords();
      expect(records.map((r) => r.record_id)).toEqual(ids);
      expect(records.every((r) => r.status === 'afgerond')).toBe(true);
      expect(calls.filter((c) => c.outcome === 'retry').length).toBeGreaterThanOrEqual(20);
      expectOrdered(calls);
      const attempts = await db.query<{ attempts: number }>('SELECT attempts FROM outbox');
      expect(Math.max(...attempts.map((a) => a.attempts))).toBeGreaterThan(1);
    });

    it('does not duplicate when the API is slower than the client timeout but did process the request', async () => {
      const ids = await makeWork(3);
      const calls: Call[] = [];
      let posts = 0;
      proxy.setPlan((_i, method) => (method === 'POST' && ++posts <= 3 ? 'slow' : 'pass'));
      const client = createMunicipalClient({ baseUrl: proxy.url, token: TOKEN, timeoutMs: 150 });
      const w = worker({ client: recording(client, calls) });
      const stats = await w.drain({ timeoutMs: 20_000 });
      expect(stats).toMatchObject({ pending: 0, delivered: 9, failed: 0 });
      // The API answered the slow requests (201) after the client gave up; the retries got the first result (200).
      const postsSeen = proxy.log.filter((e) => e.method === 'POST');
      expect(postsSeen.filter((e) => e.action === 'slow').map((e) => e.status)).toEqual([201, 201, 201]);
      expect(postsSeen.filter((e) => e.action === 'pass').map((e) => e.status)).toEqual([200, 200, 200]);
      expect(calls.filter((c) => c.kind === 'create' && c.outcome === 'retry')).toHaveLength(3);
      expect((await apiRecords()).map((r) => r.record_id)).toEqual(ids);
      const [{ n }] = await api.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM municipal_idempotency');
      expect(n).toBe(3);
    });

    it('a worker killed mid-delivery is taken over by a new worker: every record arrives once', async () => {
      const ids = await makeWork(5);
      const real = createMunicipalClient({ baseUrl: proxy.url, token: TOKEN, timeoutMs: 2000 });
      const hung: Array<() => void> = [];
      let reached = 0;
      // The "killed" worker: the API processes its requests, but it never gets to mark them delivered.
      const dying: MunicipalClient = {
        timeoutMs: 2000,
        async create(record, key) {
          await real.create(record, key);
          reached++;
          return new Promise<DeliveryOutcome>((resolve) => hung.push(() => resolve({ kind: 'retry', reason: 'killed' })));
        },
        async updateStatus() {
          throw new Error('not reached');
        },
      };
      const a = startOutboxWorker({ db, client: dying, pollMs: 0, leaseMs: 300, baseDelayMs: 5, maxDelayMs: 40 });
      const aRound = a.flush();
      const until = Date.now() + 5000;
      while (reached < 5 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(reached).toBe(5);
      expect((await apiRecords()).map((r) => r.record_id)).toEqual(ids);
      expect((await a.stats()).inFlight).toBe(5);

      const calls: Call[] = [];
      const other = await f.again().catch(() => db);
      const b = startOutboxWorker({ db: other, client: recording(real, calls), pollMs: 0, leaseMs: 300, baseDelayMs: 5, maxDelayMs: 40 });
      workers.push(b);
      const stats = await b.drain({ timeoutMs: 20_000 });
      expect(stats).toMatchObject({ pending: 0, delivered: 15, failed: 0 });
      expect(calls.filter((c) => c.kind === 'create').every((c) => c.outcome === 'delivered')).toBe(true);
      expect(proxy.log.filter((e) => e.method === 'POST').map((e) => e.status).sort()).toEqual([200, 200, 200, 200, 200, 201, 201, 201, 201, 201]);
      const records = await apiRecords();
      expect(records.map((r) => r.record_id)).toEqual(ids);
      expect(records.every((r) => r.status === 'afgerond')).toBe(true);
      expectOrdered(calls);

      // The dead worker "wakes up": its late bookkeeping changes nothing.
      hung.forEach((release) => release());
      await aRound;
      await a.stop();
      expect(await b.stats()).toMatchObject({ pending: 0, delivered: 15, failed: 0 });
    });

    it('two workers on the same store claim disjoint items (multi-instance): each record is sent once', async () => {
      const ids = await makeWork(8);
      const calls: Call[] = [];
      const client = recording(createMunicipalClient({ baseUrl: proxy.url, token: TOKEN }), calls);
      const other = await f.again().catch(() => db);
      const w1 = worker({ client, batchSize: 3 });
      const w2 = startOutboxWorker({ db: other, client, pollMs: 0, batchSize: 3, baseDelayMs: 5, maxDelayMs: 40 });
      workers.push(w2);
      await Promise.all([w1.drain({ timeoutMs: 20_000 }), w2.drain({ timeoutMs: 20_000 })]);
      expect(await w1.stats()).toMatchObject({ pending: 0, delivered: 24, failed: 0 });
      expect(calls.filter((c) => c.kind === 'create')).toHaveLength(8);
      expect(calls.filter((c) => c.kind === 'status')).toHaveLength(16);
      expect((await apiRecords()).map((r) => r.record_id)).toEqual(ids);
      expectOrdered(calls);
    });

    it('parks a permanently invalid item as failed with the problem logged, blocks its later updates, delivers the rest', async () => {
      await makeWork(2);
      // A record from an old bot version that still carries a note: the API refuses free text (422).
      const bad = { ...sampleRecord(), notitie: 'Bel moeder op 06-12345678' } as ReturnType<typeof sampleRecord>;
      await db.transaction(async (tx) => {
        await enqueueOutbox(tx, { recordId: bad.recordId, seq: 1, payload: { kind: 'create', record: bad } }, new Date());
        await enqueueOutbox(tx, { recordId: bad.recordId, seq: 2, payload: { kind: 'status', recordId: bad.recordId, status: 'in-behandeling' } }, new Date());
      });
      const logger = memoryLogger();
      const w = worker({ client: createMunicipalClient({ baseUrl: proxy.url, token: TOKEN }), logger });
      const stats = await w.drain({ timeoutMs: 3000 });
      expect(stats).toMatchObject({ pending: 1, blocked: 1, delivered: 6, failed: 1 });
      const failed = await w.failedItems();
      expect(failed).toEqual([expect.objectContaining({ recordId: bad.recordId, kind: 'create', lastStatus: 422, attempts: 1 })]);
      expect(failed[0].lastError).toContain('free-text');
      expect(failed[0].lastError).not.toContain('06-12345678');
      const entry = logger.entries.find((e) => e.level === 'error');
      expect(entry?.fields).toMatchObject({ recordId: bad.recordId, httpStatus: 422, problem: expect.objectContaining({ type: 'urn:meldwijzer:problem:free-text' }) });
      expect(JSON.stringify(logger.entries)).not.toContain('06-12345678');
      expect((await apiRecords()).map((r) => r.record_id)).not.toContain(bad.recordId);
      // Put back in the queue after a "fix": it fails again, still not dropped.
      expect(await w.retryFailed()).toBe(1);
      await w.flush();
      expect((await w.stats()).failed).toBe(1);
    });

    it('a wrong token parks items as failed (403), never drops them', async () => {
      await makeWork(1);
      const readOnly = 'read-only-token-0123456789';
      await api.close();
      api = await startMunicipalApi({ port: 0, dbUrl: 'sqlite::memory:', tokens: `r:${hashToken(readOnly)}:consultations:read`, logger: memoryLogger() });
      const w = worker({ client: createMunicipalClient({ baseUrl: api.url, token: readOnly }) });
      await w.flush();
      expect(await w.stats()).toMatchObject({ failed: 1, pending: 2, delivered: 0 });
    });

    it('backs off exponentially with full jitter, persisted so a restarted worker continues', async () => {
      await makeWork(1);
      let now = Date.now() + 1000;
      const always: MunicipalClient = {
        timeoutMs: 1000,
        create: async () => ({ kind: 'retry', reason: 'HTTP 503', httpStatus: 503 }),
        updateStatus: async () => ({ kind: 'retry', reason: 'HTTP 503', httpStatus: 503 }),
      };
      const opts = { client: always, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999, now: () => new Date(now) };
      const delays: number[] = [];
      let w = worker(opts);
      for (let i = 0; i < 6; i++) {
        if (i === 3) {
          await w.stop();
          w = worker(opts); // "restart": attempts and next_attempt_at come from the table
        }
        await w.flush();
        const [row] = await db.query<{ attempts: number; next_attempt_at: string }>("SELECT attempts, next_attempt_at FROM outbox WHERE kind = 'create'");
        expect(row.attempts).toBe(i + 1);
        delays.push(Date.parse(row.next_attempt_at) - now);
        // Not due yet: another flush does nothing.
        expect(await w.flush()).toEqual({ delivered: 0, retried: 0, failed: 0 });
        now = Date.parse(row.next_attempt_at);
      }
      expect(delays).toEqual([99, 199, 399, 799, 999, 999]);
      // Full jitter: with random() = 0 the retry is immediate.
      const zero = worker({ ...opts, random: () => 0 });
      await zero.flush();
      const [row] = await db.query<{ next_attempt_at: string }>("SELECT next_attempt_at FROM outbox WHERE kind = 'create'");
      expect(Date.parse(row.next_attempt_at)).toBe(now);
      // Retry-After wins over a shorter jittered delay.
      const polite = worker({
        ...opts,
        random: () => 0,
        client: { ...always, create: async () => ({ kind: 'retry', reason: 'HTTP 429', httpStatus: 429, retryAfterMs: 700 }) },
      });
      await polite.flush();
      const [row2] = await db.query<{ next_attempt_at: string }>("SELECT next_attempt_at FROM outbox WHERE kind = 'create'");
      expect(Date.parse(row2.next_attempt_at) - now).toBe(700);
    });

    it('deletes delivered items after the retention, never pending or failed ones, and later updates still go out', async () => {
      const DAY = 24 * 3600_000;
      const t0 = Date.now();
      let now = t0;
      const repo = createConsultationRepository(db, { pseudonymSecret: SECRET, now: () => new Date(now) });
      // Delivered on day 0: consultation A (create + pick-up) and B (create).
      const a = await repo.create(newConsultation({ requesterId: 'aad-a' }));
      const a2 = await repo.update(a.nummer, 1, { status: 'in-behandeling', assigneeId: 'aad-coord' }, { userId: 'aad-coord' }, 'oppakken');
      const b = await repo.create(newConsultation({ requesterId: 'aad-b' }));
      const up = createMunicipalClient({ baseUrl: api.url, token: TOKEN });
      const w = worker({ client: up, retentionMs: 30 * DAY, now: () => new Date(now) });
      expect((await w.flush()).delivered).toBe(3);
      // Day 10: C is rejected by the API (parked as failed), D is waiting (API unreachable).
      now = t0 + 10 * DAY;
      await repo.create(newConsultation({ requesterId: 'aad-c' }));
      const reject: MunicipalClient = { timeoutMs: 1000, create: async () => ({ kind: 'failed', reason: 'HTTP 422', httpStatus: 422 }), updateStatus: up.updateStatus };
      expect((await worker({ client: reject, now: () => new Date(now) }).flush()).failed).toBe(1);
      await repo.create(newConsultation({ requesterId: 'aad-d' }));
      // Day 29: nothing is old enough yet.
      now = t0 + 29 * DAY;
      expect(await w.purgeDelivered()).toBe(0);
      // Day 31: the three items delivered on day 0 go; the failed and the pending item stay.
      now = t0 + 31 * DAY;
      const down: MunicipalClient = { timeoutMs: 1000, create: async () => ({ kind: 'retry', reason: 'down' }), updateStatus: async () => ({ kind: 'retry', reason: 'down' }) };
      const later = worker({ client: down, retentionMs: 30 * DAY, now: () => new Date(now) });
      await later.flush(); // the round purges by itself
      expect(await later.stats()).toMatchObject({ delivered: 0, failed: 1, pending: 1 });
      // A's next status update (its earlier items are gone) is not blocked and reaches the API.
      await repo.update(a.nummer, a2!.version, { status: 'afgerond' }, { userId: 'aad-coord' }, 'afronden');
      now += 60_000; // past D's backoff
      const again = worker({ client: up, retentionMs: 30 * DAY, now: () => new Date(now) });
      await again.flush();
      const status = new Map((await apiRecords()).map((r) => [r.record_id, r.status]));
      expect(status.get((await repo.recordIdOf(a.nummer))!)).toBe('afgerond');
      expect(status.get((await repo.recordIdOf(b.nummer))!)).toBe('open');
      expect(status.size).toBe(3); // A, B and D; C stays parked
      expect(await again.stats()).toMatchObject({ failed: 1, pending: 0 });
    });

    it('the background poller delivers without explicit flushes', async () => {
      await makeWork(2);
      const w = worker({ client: createMunicipalClient({ baseUrl: api.url, token: TOKEN }), pollMs: 20 });
      const until = Date.now() + 5000;
      while ((await w.stats()).delivered < 6 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(await w.stats()).toMatchObject({ delivered: 6, pending: 0 });
      expect(await apiRecords()).toHaveLength(2);
    });
  },
  { sqliteFile: true },
);

describe('municipal client', () => {
  it('classifies answers', async () => {
    expect(classify(201, 'application/json', '{}', null).kind).toBe('delivered');
    expect(classify(200, 'application/json', '{}', null).kind).toBe('delivered');
    expect(classify(409, 'application/problem+json', '{}', null).kind).toBe('delivered');
    for (const s of [408, 429, 500, 502, 503, 504]) expect(classify(s, '', '', null).kind).toBe('retry');
    for (const s of [400, 401, 403, 404, 413, 415, 422]) expect(classify(s, '', '', null).kind).toBe('failed');
    expect(classify(503, '', '', '2')).toMatchObject({ kind: 'retry', retryAfterMs: 2000 });
    const failed = classify(422, 'application/problem+json', JSON.stringify({ type: 't', title: 'x', status: 422, secret: 'no' }), null);
    expect(failed).toMatchObject({ kind: 'failed', problem: { type: 't', title: 'x', status: 422 } });
    expect(JSON.stringify(failed)).not.toContain('secret');
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('sends the Idempotency-Key and bearer token, and times out', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const fake = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response('{}', { status: 201, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const client = createMunicipalClient({ baseUrl: 'http://api.test/', token: 't0k', fetch: fake });
    expect(client.timeoutMs).toBe(10_000);
    const r = sampleRecord();
    expect(await client.create(r, 'key-1')).toEqual({ kind: 'delivered', httpStatus: 201 });
    expect(await client.updateStatus(r.recordId, 'afgerond', 'key-2')).toEqual({ kind: 'delivered', httpStatus: 201 });
    expect(seen[0].url).toBe('http://api.test/api/v1/consultations');
    expect(seen[0].init.headers).toMatchObject({ authorization: 'Bearer t0k', 'idempotency-key': 'key-1' });
    expect(seen[1]).toMatchObject({ url: `http://api.test/api/v1/consultations/${r.recordId}`, init: { method: 'PATCH', body: '{"status":"afgerond"}' } });

    const never = (async (_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as unknown as typeof fetch;
    const slow = createMunicipalClient({ baseUrl: 'http://api.test', token: 't', timeoutMs: 30, fetch: never });
    expect(await slow.create(r, randomUUID())).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/timeout/) });
  });
});
