/**
 * Transactional outbox for the municipal API.
 *
 * Items are written in the same transaction as the consultation change (`enqueueOutbox`), then delivered by a
 * worker: claims due items with a lease (multi-instance safe: `FOR UPDATE SKIP LOCKED` on PostgreSQL, a
 * compare-and-set lease in a serialised transaction on SQLite), POSTs creates with their `Idempotency-Key`,
 * PATCHes status updates in order per record (an item is claimable only when every earlier item of the same
 * record has been delivered, so an update never overtakes its create), marks delivered only after the API
 * confirmed, retries with exponential backoff + full jitter (attempts and next_attempt_at are stored, so a
 * restart continues where it was) and parks permanently-invalid items as `failed` with the problem logged.
 * Lease, backoff, retry policy (with the recovery probe) and the round loop are the one outbox engine's
 * (src/outbox/engine.ts); this file holds the candidate query and the delivery.
 * A worker that dies mid-delivery leaves a lease that expires; another worker then redelivers with the same
 * idempotency key and the API answers with the first result, so every record arrives exactly once.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db';
import { createNoteRetention, createRetention } from './retention';
import { createOutboxEngine, leaseRows, workerControls, type OutboxTuning } from '../outbox/engine';
import { silentLogger, type Logger } from './logger';
import type { DeliveryOutcome, MunicipalClient, StatusFields } from './municipalClient';
import type { MunicipalRecord } from './schema';
import type { ConsultationStatus } from '../consultation/ports';

export type OutboxKind = 'create' | 'status';
export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export type OutboxPayload =
  | { kind: 'create'; record: MunicipalRecord }
  /**
   * The record follows its consultation: status, and (when the overleg was requested later) overlegGevraagd and
   * urgentie. Structured fields only. Older rows carry only the status.
   */
  | ({
      kind: 'status';
      recordId: string;
      status: ConsultationStatus;
      // overlegGevraagd/urgentie (overleg requested later) and the version fields of issue 13 (versie, stap, actie,
      // uitkomst, afgerondMaand): the fields of a status PATCH. Older rows carry none of them.
    } & StatusFields);

export interface OutboxRow {
  id: string;
  record_id: string;
  seq: number;
  kind: OutboxKind;
  idempotency_key: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/**
 * Adds an item inside the caller's transaction. `seq` orders the items of one record (the consultation version
 * at the time of the change). Returns the idempotency key (a fresh uuid).
 */
export async function enqueueOutbox(tx: Db, item: { recordId: string; seq: number; payload: OutboxPayload }, now: Date): Promise<string> {
  const key = randomUUID();
  const at = now.toISOString();
  await tx.execute(
    `INSERT INTO outbox (id, record_id, seq, kind, idempotency_key, payload, status, attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)`,
    [randomUUID(), item.recordId, item.seq, item.payload.kind, key, JSON.stringify(item.payload), at],
  );
  return key;
}

/**
 * Defaults: baseDelayMs 1000 (full jitter: the delay is random in [0, min(max, base·2^(attempt-1))]), maxDelayMs
 * 300 000 (5 min), pollMs 1000, batchSize 20, leaseMs max(30 s, 3 × client timeout), retentionMs 30 days.
 */
export interface OutboxWorkerOptions extends OutboxTuning {
  db: Db;
  client: MunicipalClient;
  logger?: Logger;
  /** The professional's note is removed from consultations older than this, ms (NOTE_RETENTION_DAYS). Default 90 days; 0 = never. */
  noteRetentionMs?: number;
  /**
   * Recovery after an outage, ms (default 5000; 0 = no probes). While items wait in backoff after connection failures,
   * the worker probes the API's health at most this often; when the API answers again (probe or a delivery), the
   * waiting items become due at once instead of sitting out backoffs of up to `maxDelayMs`.
   */
  probeMs?: number;
}

export interface OutboxStats {
  pending: number;
  /** Pending items currently claimed by a worker (in flight). */
  inFlight: number;
  delivered: number;
  /** Parked as permanently invalid (see logs / `failedItems()`); retried only via `retryFailed()`. */
  failed: number;
  /** Pending items waiting behind a failed earlier item of the same record (never overtaking it). */
  blocked: number;
  /** Oldest `created_at` among pending items, or null. */
  oldestPending: string | null;
}

export interface FlushResult {
  delivered: number;
  retried: number;
  failed: number;
}

export interface OutboxWorker {
  readonly workerId: string;
  /** Delivers everything that is due now (repeatedly, while deliveries unblock later items). */
  flush(): Promise<FlushResult>;
  /**
   * Flushes, waits for backoff/leases, flushes again … until nothing deliverable is pending (items blocked behind
   * a failed item do not count) or the timeout passes. For tests and graceful shutdown.
   */
  drain(opts?: { timeoutMs?: number }): Promise<OutboxStats>;
  stats(): Promise<OutboxStats>;
  failedItems(): Promise<Array<{ id: string; recordId: string; kind: OutboxKind; attempts: number; lastStatus: number | null; lastError: string | null }>>;
  /** Puts parked items back in the queue (after fixing the cause). Returns how many. */
  retryFailed(ids?: string[]): Promise<number>;
  /** Deletes delivered items older than the retention now (the worker also does this by itself, hourly). */
  purgeDelivered(): Promise<number>;
  /** Removes notes of consultations older than the note retention now (the worker also does this hourly). */
  purgeNotes(): Promise<number>;
  /** Triggers a round now (e.g. right after enqueueing). */
  wake(): void;
  /** Stops polling and waits for the running round to finish. */
  stop(): Promise<void>;
}

export function startOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const { db, client } = opts;
  const logger = opts.logger ?? silentLogger;
  const baseDelayMs = opts.baseDelayMs ?? 1000;
  const maxDelayMs = opts.maxDelayMs ?? 300_000;
  const pollMs = opts.pollMs ?? 1000;
  const batchSize = opts.batchSize ?? 20;
  const leaseMs = opts.leaseMs ?? Math.max(30_000, 3 * client.timeoutMs);
  const workerId = opts.workerId ?? `w-${randomUUID().slice(0, 8)}`;
  const now = opts.now ?? (() => new Date());
  const random = opts.random ?? Math.random;
  const probeMs = opts.probeMs ?? 5000;

  /** Due items, oldest first; an item is due only when every earlier item of its record was delivered. */
  async function claim(c: { nowIso: string; until: string; workerId: string; limit: number }): Promise<OutboxRow[]> {
    const due = `o.status = 'pending' AND o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until <= $1)
      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.record_id = o.record_id AND p.seq < o.seq AND p.status <> 'delivered')`;
    if (db.kind === 'postgres') {
      return db.query<OutboxRow>(
        `UPDATE outbox SET lease_owner = $2, lease_until = $3
         WHERE id IN (SELECT o.id FROM outbox o WHERE ${due} ORDER BY o.next_attempt_at, o.created_at, o.seq LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [c.nowIso, c.workerId, c.until, c.limit],
      );
    }
    return db.transaction(async (tx) => {
      const candidates = await tx.query<OutboxRow>(
        `SELECT o.* FROM outbox o WHERE ${due} ORDER BY o.next_attempt_at, o.created_at, o.seq LIMIT $2`,
        [c.nowIso, c.limit],
      );
      return leaseRows(tx, 'outbox', candidates, { workerId: c.workerId, until: c.until, nowIso: c.nowIso });
    });
  }

  /** One delivery: POST a create, PATCH a status update (same idempotency key on every attempt). */
  async function attempt(row: OutboxRow): Promise<DeliveryOutcome> {
    const payload = JSON.parse(row.payload) as OutboxPayload;
    return payload.kind === 'create'
      ? client.create(payload.record, row.idempotency_key)
      : client.updateStatus(payload.recordId, payload.status, row.idempotency_key, patchFields(payload));
  }

  async function record(row: OutboxRow, outcome: DeliveryOutcome, s: { attempts: number; at: Date; nextAttemptAt?: string; delayMs?: number }): Promise<void> {
    const { attempts, at } = s;
    const fields = { outboxId: row.id, recordId: row.record_id, kind: row.kind, seq: row.seq, attempts, workerId };
    if (outcome.kind === 'delivered') {
      await db.execute(
        `UPDATE outbox SET status = 'delivered', delivered_at = $2, attempts = $3, last_status = $4, last_error = NULL,
         lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'`,
        [row.id, at.toISOString(), attempts, outcome.httpStatus],
      );
      logger.info('outbox item delivered', { ...fields, httpStatus: outcome.httpStatus });
    } else if (outcome.kind === 'retry') {
      await db.execute(
        `UPDATE outbox SET attempts = $2, next_attempt_at = $3, last_status = $4, last_error = $5,
         lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'`,
        [row.id, attempts, s.nextAttemptAt, outcome.httpStatus ?? null, outcome.reason.slice(0, 500)],
      );
      logger.warn('outbox delivery failed, will retry', { ...fields, reason: outcome.reason, httpStatus: outcome.httpStatus, retryInMs: s.delayMs });
    } else {
      const detail = JSON.stringify({ reason: outcome.reason, problem: outcome.problem ?? null }).slice(0, 2000);
      await db.execute(
        `UPDATE outbox SET status = 'failed', attempts = $2, last_status = $3, last_error = $4,
         lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'`,
        [row.id, attempts, outcome.httpStatus, detail],
      );
      logger.error('outbox item rejected by the municipal API, parked as failed', {
        ...fields,
        httpStatus: outcome.httpStatus,
        problem: outcome.problem ?? null,
      });
    }
  }

  const retention = createRetention({ db, table: 'outbox', retentionMs: opts.retentionMs, now, logger });
  const noteRetention = createNoteRetention({ db, retentionMs: opts.noteRetentionMs, now, logger });

  const engine = createOutboxEngine<OutboxRow, DeliveryOutcome>({
    db,
    table: 'outbox',
    workerId,
    baseDelayMs,
    maxDelayMs,
    pollMs,
    batchSize,
    leaseMs,
    now,
    random,
    logPrefix: 'outbox',
    logger,
    claim,
    attempt,
    record,
    onThrow: (err) => ({ kind: 'retry', reason: `client error: ${(err as Error)?.name ?? 'Error'}` }),
    parallel: true,
    ...(client.probe ? { probe: () => client.probe!() } : {}),
    probeMs,
    async beforeRound() {
      await retention.maybePurge();
      await noteRetention.maybePurge();
    },
    async remaining() {
      const s = await stats();
      return s.pending - s.blocked;
    },
  });

  async function stats(): Promise<OutboxStats> {
    const rows = await db.query<{ status: OutboxStatus; n: number }>('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status');
    const nowIso = now().toISOString();
    const [extra] = await db.query<{ inflight: number; oldest: string | null }>(
      `SELECT COALESCE(SUM(CASE WHEN lease_until > $1 THEN 1 ELSE 0 END), 0) AS inflight, MIN(created_at) AS oldest
       FROM outbox WHERE status = 'pending'`,
      [nowIso],
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<Record<OutboxStatus, number>>;
    let blocked = 0;
    if (by.failed && by.pending) {
      const [b] = await db.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM outbox o WHERE o.status = 'pending'
         AND EXISTS (SELECT 1 FROM outbox p WHERE p.record_id = o.record_id AND p.seq < o.seq AND p.status = 'failed')`,
      );
      blocked = Number(b?.n ?? 0);
    }
    return {
      pending: by.pending ?? 0,
      inFlight: Number(extra?.inflight ?? 0),
      delivered: by.delivered ?? 0,
      failed: by.failed ?? 0,
      blocked,
      oldestPending: extra?.oldest ?? null,
    };
  }

  return {
    workerId,
    ...workerControls(engine, stats),
    async failedItems() {
      const rows = await db.query<OutboxRow>("SELECT * FROM outbox WHERE status = 'failed' ORDER BY created_at");
      return rows.map((r) => ({ id: r.id, recordId: r.record_id, kind: r.kind, attempts: r.attempts, lastStatus: r.last_status, lastError: r.last_error }));
    },
    async retryFailed(ids?: string[]) {
      const at = now().toISOString();
      if (!ids) {
        return db.execute("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1 WHERE status = 'failed'", [at]);
      }
      let n = 0;
      for (const id of ids) {
        n += await db.execute("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1 WHERE status = 'failed' AND id = $2", [at, id]);
      }
      return n;
    },
    purgeDelivered: () => retention.purge(),
    purgeNotes: () => noteRetention.purge(),
  };
}

/** The structured fields beside the status that a status item carries (older items: none). */
export function patchFields(p: Extract<OutboxPayload, { kind: 'status' }>): StatusFields {
  const out: StatusFields = {};
  if (p.overlegGevraagd !== undefined) out.overlegGevraagd = p.overlegGevraagd;
  if (p.urgentie !== undefined) out.urgentie = p.urgentie;
  if (p.versie !== undefined) out.versie = p.versie;
  if (p.stap !== undefined) out.stap = p.stap;
  if (p.actie !== undefined) out.actie = p.actie;
  if (p.uitkomst !== undefined) out.uitkomst = p.uitkomst;
  if (p.afgerondMaand !== undefined) out.afgerondMaand = p.afgerondMaand;
  return out;
}

