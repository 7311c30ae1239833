/**
 * Durable outbox for proactive overleg notifications (table `overleg_notifications`, migration
 * bot-0004). A notification is written before anyone tries to send it and is only marked delivered (or
 * parked as failed, with the reason) after the send was decided; a worker claims due rows with a lease
 * (compare-and-set, safe with several instances and on both SQLite and PostgreSQL), processes them and
 * reschedules transient failures with exponential backoff + jitter, honouring Retry-After. Attempts,
 * progress and the next attempt time are stored, so a restart continues where it was: nothing is lost.
 * No botbuilder here: what a row means is decided by the processor the worker is given.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db';
import { createRoundRunner, leaseRows, type OutboxTuning } from '../records/roundRunner';
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
 * Defaults: baseDelayMs 2000 (equal jitter, see backoffDelay), maxDelayMs 300 000 (5 min: undelivered notifications
 * are retried for as long as it takes), pollMs 2000, batchSize 20, leaseMs 120 000 (a send with retries can take a
 * while), retentionMs 30 days.
 */
export interface NotificationWorkerOptions extends OutboxTuning {
  db: Db;
  process(row: NotificationRow, payload: NotificationPayload): Promise<ProcessOutcome>;
  logger?: Logger;
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

export function backoffDelay(attempt: number, base: number, max: number, random: () => number, retryAfterMs?: number): number {
  const cap = Math.min(max, base * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  // Equal jitter: at least half the exponential delay, so retries really back off.
  const delay = Math.floor(cap / 2 + random() * (cap / 2));
  return retryAfterMs !== undefined ? Math.min(Math.max(max, retryAfterMs), Math.max(delay, retryAfterMs)) : delay;
}

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


  async function claim(): Promise<NotificationRow[]> {
    const at = now();
    const nowIso = at.toISOString();
    const until = new Date(at.getTime() + leaseMs).toISOString();
    const candidates = await db.query<NotificationRow>(
      `SELECT * FROM overleg_notifications
       WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
       ORDER BY next_attempt_at, created_at LIMIT $2`,
      [nowIso, batchSize],
    );
    return leaseRows(db, 'overleg_notifications', candidates, { workerId, until, nowIso });
  }

  async function handle(row: NotificationRow): Promise<ProcessOutcome['kind']> {
    let outcome: ProcessOutcome;
    try {
      outcome = await opts.process(row, JSON.parse(row.payload) as NotificationPayload);
    } catch (err) {
      outcome = { kind: 'retry', reason: `processor error: ${(err as Error)?.name ?? 'Error'}` };
    }
    const attempts = row.attempts + 1;
    const at = now();
    const fields = { notificationId: row.id, nummer: row.nummer, kind: row.kind, attempts, workerId };
    const progress = outcome.progress !== undefined ? JSON.stringify(outcome.progress) : row.progress;
    if (outcome.kind === 'retry') {
      const delay = backoffDelay(attempts, baseDelayMs, maxDelayMs, random, outcome.retryAfterMs);
      await db.execute(
        `UPDATE overleg_notifications SET attempts = $2, next_attempt_at = $3, last_status = $4, last_error = $5, progress = $6,
         lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'`,
        [row.id, attempts, new Date(at.getTime() + delay).toISOString(), outcome.httpStatus ?? null, outcome.reason.slice(0, 500), progress],
      );
      logger.warn('overleg.notification.retry', { ...fields, reason: outcome.reason, httpStatus: outcome.httpStatus, retryInMs: delay });
      return 'retry';
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
    return final.kind;
  }

  const retention = createRetention({ db, table: 'overleg_notifications', retentionMs: opts.retentionMs, now, logger });

  async function round() {
    await retention.maybePurge();
    const total = { delivered: 0, retried: 0, failed: 0 };
    for (;;) {
      const rows = await claim();
      if (rows.length === 0) break;
      let progressed = false;
      // One row at a time: Teams rate limits are per bot, parallel sends would only earn more 429s.
      for (const row of rows) {
        const k = await handle(row);
        if (k === 'delivered') total.delivered++;
        else if (k === 'retry') total.retried++;
        else total.failed++;
        if (k !== 'retry') progressed = true;
      }
      if (!progressed) break;
    }
    return total;
  }

  function flush() {
    return runner.run();
  }

  async function stats(): Promise<NotificationStats> {
    const rows = await db.query<{ status: NotificationStatus; n: number }>('SELECT status, COUNT(*) AS n FROM overleg_notifications GROUP BY status');
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<Record<NotificationStatus, number>>;
    return { pending: by.pending ?? 0, delivered: by.delivered ?? 0, failed: by.failed ?? 0 };
  }

  async function drain(o: { timeoutMs?: number } = {}): Promise<NotificationStats> {
    const deadline = Date.now() + (o.timeoutMs ?? 30_000);
    for (;;) {
      await flush();
      const s = await stats();
      if (s.pending === 0 || Date.now() >= deadline) return s;
      const [next] = await db.query<{ due: string | null }>("SELECT MIN(next_attempt_at) AS due FROM overleg_notifications WHERE status = 'pending'");
      const wait = next?.due ? Math.max(5, Math.min(250, Date.parse(next.due) - now().getTime())) : 25;
      await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - Date.now()))));
    }
  }

  const runner = createRoundRunner({
    round,
    idle: { delivered: 0, retried: 0, failed: 0 },
    pollMs,
    onError: (err: unknown) => logger.error('overleg.notification.round_failed', { workerId, error: (err as Error)?.name }),
  });

  return {
    workerId,
    flush,
    drain,
    stats,
    purgeDelivered: () => retention.purge(),
    wake() {
      runner.wake();
    },
    async stop() {
      await runner.stop();
    },
  };
}
