/**
 * Durable outbox for proactive overleg notifications (table `overleg_notifications`, migration
 * bot-0004). A notification is written before anyone tries to send it and is only marked delivered (or
 * parked as failed, with the reason) after the send was decided; a worker claims due rows with a lease
 * (compare-and-set, safe with several instances and on both SQLite and PostgreSQL), processes them and
 * reschedules transient failures with exponential backoff + jitter, honouring Retry-After. Attempts,
 * progress and the next attempt time are stored, so a restart continues where it was: nothing is lost.
 * Lease, backoff, retry policy and the round loop are the one outbox engine's (src/outbox/engine.ts); this file
 * holds the candidate query and what is stored per outcome.
 * No botbuilder here: what a row means is decided by the processor the worker is given.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db';
import { backoffDelay, createOutboxEngine, leaseRows, workerControls, type OutboxTuning } from '../outbox/engine';
import { createRetention } from '../records/retention';
import { silentLogger, type Logger } from '../records/logger';
import type { Language } from '../meldcode/types';

/** Notify the routed contact (users → deputies → channel) of a new overleg request. */
export interface RequestPayload {
  kind: 'request';
  nummer: string;
  /** Language of the requester (for the fallback message they get). */
  lang: Language;
}
/** A short text message to one user (requester or assignee); rendered in the recipient's language at delivery. */
export interface MessagePayload {
  kind: 'message';
  nummer: string;
  userId: string;
  /** Text key in policy/texts. */
  key: string;
  vars: Record<string, string>;
  /** Buttons under the text (Action.Submit back to the bot; title = text key), e.g. the follow-up nudge. */
  buttons?: Array<{ key: string; data: Record<string, unknown> }>;
  /** Not sent (delivered as "vervallen") once the consultation is closed or withdrawn. */
  onlyWhileActive?: boolean;
}
export type NotificationPayload = RequestPayload | MessagePayload;

export type NotificationStatus = 'pending' | 'delivered' | 'failed';

export interface NotificationRow {
  id: string;
  dedupe_key: string;
  nummer: string;
  kind: NotificationPayload['kind'];
  payload: string;
  progress: string | null;
  status: NotificationStatus;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  result: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** What processing a row came to. `progress` is stored on the row (e.g. which users already got it). */
export type ProcessOutcome =
  | { kind: 'delivered'; result: Record<string, unknown>; progress?: Record<string, unknown>; then?: NewNotification[] }
  | { kind: 'retry'; reason: string; httpStatus?: number; retryAfterMs?: number; progress?: Record<string, unknown> }
  | { kind: 'failed'; reason: string; httpStatus?: number; progress?: Record<string, unknown>; then?: NewNotification[] };

export interface NewNotification {
  /** Idempotency: a second enqueue with the same key is ignored. */
  dedupeKey: string;
  payload: NotificationPayload;
  /** Not before this time (default now). */
  notBefore?: Date;
}

/** Adds a notification (idempotent on dedupeKey). Returns true when it was new. Works inside a transaction. */
export async function enqueueNotification(db: Db, n: NewNotification, now: Date = new Date()): Promise<boolean> {
  const at = now.toISOString();
  const changed = await db.execute(
    `INSERT INTO overleg_notifications (id, dedupe_key, nummer, kind, payload, progress, status, attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, NULL, 'pending', 0, $6, $7)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [randomUUID(), n.dedupeKey, n.payload.nummer, n.payload.kind, JSON.stringify(n.payload), (n.notBefore ?? now).toISOString(), at],
  );
  return changed === 1;
}

export async function notificationsOf(db: Db, nummer: string): Promise<NotificationRow[]> {
  return db.query<NotificationRow>('SELECT * FROM overleg_notifications WHERE nummer = $1 ORDER BY created_at, id', [nummer]);
}

/**
 * Defaults: baseDelayMs 2000 (full jitter, see backoffDelay in src/outbox/engine.ts), maxDelayMs 300 000 (5 min: undelivered notifications
 * are retried for as long as it takes), pollMs 2000, batchSize 20, leaseMs 120 000 (a send with retries can take a
 * while), retentionMs 30 days.
 */
export interface NotificationWorkerOptions extends OutboxTuning {
  db: Db;
  process(row: NotificationRow, payload: NotificationPayload): Promise<ProcessOutcome>;
  logger?: Logger;
  /** After an outage (no answer, 502/503/504) the first delivery makes the rest due, at most once per this many ms. */
  probeMs?: number;
}

export interface NotificationStats {
  pending: number;
  delivered: number;
  failed: number;
}

export interface NotificationWorker {
  readonly workerId: string;
  /** Processes everything that is due now. */
  flush(): Promise<{ delivered: number; retried: number; failed: number }>;
  /** Flushes, waits for backoff, flushes again … until nothing is pending or the timeout passes. */
  drain(opts?: { timeoutMs?: number }): Promise<NotificationStats>;
  stats(): Promise<NotificationStats>;
  /** Deletes delivered notifications older than the retention now (the worker also does this by itself, hourly). */
  purgeDelivered(): Promise<number>;
  wake(): void;
  stop(): Promise<void>;
}

/** The one backoff of both outboxes (kept importable from here for callers of the notification outbox). */
export { backoffDelay };

export function startNotificationWorker(opts: NotificationWorkerOptions): NotificationWorker {
  const { db } = opts;
  const logger = opts.logger ?? silentLogger;
  const baseDelayMs = opts.baseDelayMs ?? 2000;
  const maxDelayMs = opts.maxDelayMs ?? 300_000;
  const pollMs = opts.pollMs ?? 2000;
  const batchSize = opts.batchSize ?? 20;
  const leaseMs = opts.leaseMs ?? 120_000;
  const workerId = opts.workerId ?? `n-${randomUUID().slice(0, 8)}`;
  const now = opts.now ?? (() => new Date());
  const random = opts.random ?? Math.random;


  /** Due notifications, oldest first (`notBefore` is the first next_attempt_at). */
  async function claim(c: { nowIso: string; until: string; workerId: string; limit: number }): Promise<NotificationRow[]> {
    const candidates = await db.query<NotificationRow>(
      `SELECT * FROM overleg_notifications
       WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
       ORDER BY next_attempt_at, created_at LIMIT $2`,
      [c.nowIso, c.limit],
    );
    return leaseRows(db, 'overleg_notifications', candidates, { workerId: c.workerId, until: c.until, nowIso: c.nowIso });
  }

  async function record(row: NotificationRow, outcome: ProcessOutcome, s: { attempts: number; at: Date; nextAttemptAt?: string; delayMs?: number }): Promise<void> {
    const { attempts, at } = s;
    const fields = { notificationId: row.id, nummer: row.nummer, kind: row.kind, attempts, workerId };
    const progress = outcome.progress !== undefined ? JSON.stringify(outcome.progress) : row.progress;
    if (outcome.kind === 'retry') {
      await db.execute(
        `UPDATE overleg_notifications SET attempts = $2, next_attempt_at = $3, last_status = $4, last_error = $5, progress = $6,
         lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'`,
        [row.id, attempts, s.nextAttemptAt, outcome.httpStatus ?? null, outcome.reason.slice(0, 500), progress],
      );
      logger.warn('overleg.notification.retry', { ...fields, reason: outcome.reason, httpStatus: outcome.httpStatus, retryInMs: s.delayMs });
      return;
    }
    const final = outcome;
    await db.transaction(async (tx) => {
      const n = await tx.execute(
        `UPDATE overleg_notifications SET status = $2, attempts = $3, delivered_at = $4, result = $5, last_status = $6, last_error = $7,
         progress = $8, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'`,
        [
          row.id,
          final.kind,
          attempts,
          final.kind === 'delivered' ? at.toISOString() : null,
          final.kind === 'delivered' ? JSON.stringify(final.result) : null,
          final.kind === 'failed' ? (final.httpStatus ?? null) : null,
          final.kind === 'failed' ? final.reason.slice(0, 500) : null,
          progress,
        ],
      );
      // Follow-up notifications (e.g. "could not reach the contact" to the requester) in the same transaction.
      if (n === 1) for (const next of final.then ?? []) await enqueueNotification(tx, next, at);
    });
    if (final.kind === 'delivered') logger.info('overleg.notification.delivered', { ...fields, ...final.result });
    else logger.error('overleg.notification.failed', { ...fields, reason: final.reason, httpStatus: final.httpStatus });
  }

  const retention = createRetention({ db, table: 'overleg_notifications', retentionMs: opts.retentionMs, now, logger });

  const engine = createOutboxEngine<NotificationRow, ProcessOutcome>({
    db,
    table: 'overleg_notifications',
    workerId,
    baseDelayMs,
    maxDelayMs,
    pollMs,
    batchSize,
    leaseMs,
    now,
    random,
    logPrefix: 'overleg.notification',
    logger,
    claim,
    attempt: (row) => opts.process(row, JSON.parse(row.payload) as NotificationPayload),
    record,
    onThrow: (err) => ({ kind: 'retry', reason: `processor error: ${(err as Error)?.name ?? 'Error'}` }),
    // One row at a time: Teams rate limits are per bot, parallel sends would only earn more 429s.
    parallel: false,
    // No health probe for Teams: the first delivery after an outage makes the rest due.
    probeMs: opts.probeMs ?? 5000,
    beforeRound: () => retention.maybePurge(),
    remaining: async () => (await stats()).pending,
  });

  async function stats(): Promise<NotificationStats> {
    const rows = await db.query<{ status: NotificationStatus; n: number }>('SELECT status, COUNT(*) AS n FROM overleg_notifications GROUP BY status');
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<Record<NotificationStatus, number>>;
    return { pending: by.pending ?? 0, delivered: by.delivered ?? 0, failed: by.failed ?? 0 };
  }

  return {
    workerId,
    ...workerControls(engine, stats),
    purgeDelivered: () => retention.purge(),
  };
}
