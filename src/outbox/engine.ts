/**
 * The one outbox engine, for the record outbox (src/records/outbox.ts: municipal API) and the notification outbox
 * (src/overleg/outbox.ts: Teams). Each outbox keeps only its candidate query (which rows are due, in which order)
 * and its delivery (what an attempt does and what it stores); the engine owns the rest, the same for both:
 * - one lease: `leaseRows`, a compare-and-set on `lease_owner`/`lease_until`, safe with several workers;
 * - one backoff: `backoffDelay`, exponential with full jitter, never shorter than a Retry-After;
 * - one retry policy: an attempt that throws counts as a retry; a retry after a connection-class failure (no answer,
 *   502/503/504) marks an outage, and the first sign that the far side answers again (a delivery, or the outbox's
 *   health probe, at most once per `probeMs`) makes what waits in backoff for that outage due at once;
 * - one round loop (claim → deliver → until nothing due or only retries), one round runner (timer, wake, stop),
 *   one drain (for tests and shutdown).
 */
import type { Db } from '../store/db';

/** Tuning shared by the record outbox and the notification outbox; each worker documents its own defaults. */
export interface OutboxTuning {
  /** First retry delay cap, ms. */
  baseDelayMs?: number;
  /** Largest retry delay, ms. */
  maxDelayMs?: number;
  /** Poll interval, ms; 0 = no background polling (call flush()/drain() yourself). */
  pollMs?: number;
  /** Items claimed per round. */
  batchSize?: number;
  /** How long a claim is held before another worker may take the item over, ms. */
  leaseMs?: number;
  /** Identifies this worker in the lease column. Default a random id. */
  workerId?: string;
  now?: () => Date;
  random?: () => number;
  /** Delivered items older than this are deleted (retention.ts). Default 30 days; 0 = keep forever. */
  retentionMs?: number;
}

/**
 * Compare-and-set lease on candidate rows of an outbox table: a row is claimed only while it is still pending and
 * unleased (or its lease ran out), so of two workers racing for a row exactly one gets it. Returns the claimed rows.
 */
export async function leaseRows<T extends { id: string; lease_owner: string | null; lease_until: string | null }>(
  db: Db,
  table: OutboxTable,
  candidates: readonly T[],
  lease: { workerId: string; until: string; nowIso: string },
): Promise<T[]> {
  const claimed: T[] = [];
  for (const row of candidates) {
    const n = await db.execute(
      `UPDATE ${table} SET lease_owner = $2, lease_until = $3
       WHERE id = $1 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $4)`,
      [row.id, lease.workerId, lease.until, lease.nowIso],
    );
    if (n === 1) claimed.push({ ...row, lease_owner: lease.workerId, lease_until: lease.until });
  }
  return claimed;
}

/**
 * Delay before the next attempt, ms: exponential (`base · 2^(attempt-1)`, capped at `max`) with full jitter (a random
 * point in [0, cap], so many failing items do not retry in step), and never shorter than the far side's Retry-After.
 */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number, retryAfterMs?: number): number {
  const cap = Math.min(max, base * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  const jittered = Math.floor(random() * cap);
  return retryAfterMs !== undefined ? Math.max(jittered, retryAfterMs) : jittered;
}

/** Failures that say "the far side is not reachable" rather than "this item has a problem". */
export function isOutage(httpStatus: number | undefined | null): boolean {
  return httpStatus === undefined || httpStatus === null || httpStatus === 502 || httpStatus === 503 || httpStatus === 504;
}

export type OutboxTable = 'outbox' | 'overleg_notifications';

export interface LeasedRow {
  id: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
}

/** What one attempt came to (each outbox adds its own fields). */
export interface AttemptOutcome {
  kind: 'delivered' | 'retry' | 'failed';
  httpStatus?: number;
  retryAfterMs?: number;
  reason?: string;
}

export interface RoundResult {
  delivered: number;
  retried: number;
  failed: number;
}

export interface OutboxEngineOptions<Row extends LeasedRow, O extends AttemptOutcome> {
  db: Db;
  table: OutboxTable;
  workerId: string;
  baseDelayMs: number;
  maxDelayMs: number;
  pollMs: number;
  batchSize: number;
  leaseMs: number;
  now: () => Date;
  random: () => number;
  /** Log lines (round failures, recoveries) carry this prefix, e.g. `outbox` or `overleg.notification`. */
  logPrefix: string;
  logger: { info(msg: string, fields?: Record<string, unknown>): void; error(msg: string, fields?: Record<string, unknown>): void };
  /** The candidate query: due rows of this outbox, in order, at most `limit`, leased to this worker (use `leaseRows`). */
  claim(c: { nowIso: string; until: string; workerId: string; limit: number }): Promise<Row[]>;
  /** One attempt at one row (a throw is a retry). */
  attempt(row: Row): Promise<O>;
  /** Stores what the attempt came to; `nextAttemptAt` (and `delayMs`) are set for a retry. */
  record(row: Row, outcome: O, s: { attempts: number; at: Date; nextAttemptAt?: string; delayMs?: number }): Promise<void>;
  /** The outcome to use when `attempt` throws. */
  onThrow(err: unknown): O;
  /** Rows of one round in parallel (municipal API) or one at a time (Teams: rate limits are per bot). */
  parallel: boolean;
  /** Health check of the far side during an outage (the fast recovery probe); none = recovery by delivery only. */
  probe?: () => Promise<boolean>;
  /** At most one probe (and one recovery) per this many ms; 0 = no probes. */
  probeMs: number;
  /** Runs before every round (retention jobs). */
  beforeRound?: () => Promise<void>;
  /** Pending rows that can still be delivered (drain waits until 0). */
  remaining(): Promise<number>;
}

export interface OutboxEngine {
  flush(): Promise<RoundResult>;
  drain(timeoutMs?: number): Promise<void>;
  wake(): void;
  stop(): Promise<void>;
}

export function createOutboxEngine<Row extends LeasedRow, O extends AttemptOutcome>(o: OutboxEngineOptions<Row, O>): OutboxEngine {
  const { db, table } = o;
  /** Set by a connection-class failure; cleared when the far side is seen answering again. */
  let outage = false;
  let lastProbe = -Infinity;
  let lastReset = -Infinity;

  async function claim(): Promise<Row[]> {
    const at = o.now();
    return o.claim({ nowIso: at.toISOString(), until: new Date(at.getTime() + o.leaseMs).toISOString(), workerId: o.workerId, limit: o.batchSize });
  }

  async function handle(row: Row): Promise<O['kind']> {
    let outcome: O;
    try {
      outcome = await o.attempt(row);
    } catch (err) {
      outcome = o.onThrow(err);
    }
    const attempts = row.attempts + 1;
    const at = o.now();
    if (outcome.kind === 'retry') {
      if (isOutage(outcome.httpStatus)) outage = true;
      const delayMs = backoffDelay(attempts, o.baseDelayMs, o.maxDelayMs, o.random, outcome.retryAfterMs);
      await o.record(row, outcome, { attempts, at, delayMs, nextAttemptAt: new Date(at.getTime() + delayMs).toISOString() });
    } else {
      await o.record(row, outcome, { attempts, at });
    }
    return outcome.kind;
  }

  /**
   * The far side answers again: rows that backed off because it was unreachable (no answer, 502/503/504) are due now.
   * Rows refused for their own reason (429 with Retry-After, 500 on one item) keep their backoff. At most once per
   * `probeMs`, so a flapping far side does not turn into a retry storm.
   */
  async function endOutage(via: 'probe' | 'delivery'): Promise<number> {
    const at = o.now();
    // Within the cool-down the outage stays flagged, so a later probe still ends the backoff of what is waiting.
    if (at.getTime() - lastReset < o.probeMs) return 0;
    outage = false;
    lastReset = at.getTime();
    const nowIso = at.toISOString();
    const n = await db.execute(
      `UPDATE ${table} SET next_attempt_at = $1 WHERE status = 'pending' AND next_attempt_at > $1 AND attempts > 0
       AND (last_status IS NULL OR last_status IN (502, 503, 504))`,
      [nowIso],
    );
    if (n > 0) o.logger.info(`${o.logPrefix}.recovered`, { via, due: n, workerId: o.workerId });
    return n;
  }

  /** During an outage with everything in backoff: asks the far side's health, at most once per `probeMs`. */
  async function probeIfDue(): Promise<boolean> {
    if (!outage || o.probeMs <= 0 || !o.probe) return false;
    const at = o.now().getTime();
    if (at - lastProbe < o.probeMs) return false;
    lastProbe = at;
    if (!(await o.probe())) return false;
    return (await endOutage('probe')) > 0;
  }

  async function round(): Promise<RoundResult> {
    await o.beforeRound?.();
    const total: RoundResult = { delivered: 0, retried: 0, failed: 0 };
    for (;;) {
      const rows = await claim();
      if (rows.length === 0) {
        // Nothing due. If that is because of an outage, a probe may find the far side back and make the backlog due.
        if (await probeIfDue()) continue;
        break;
      }
      const kinds: Array<O['kind']> = [];
      if (o.parallel) kinds.push(...(await Promise.all(rows.map(handle))));
      else for (const row of rows) kinds.push(await handle(row));
      let progressed = false;
      for (const k of kinds) {
        if (k === 'delivered') total.delivered++;
        else if (k === 'retry') total.retried++;
        else total.failed++;
        if (k !== 'retry') progressed = true;
      }
      // The first delivery after an outage: the far side is back, the backlog need not sit out its backoff.
      if (outage && kinds.includes('delivered')) await endOutage('delivery');
      // Only retries: everything left is in backoff; stop rather than spin.
      if (!progressed) break;
    }
    return total;
  }

  const runner = createRoundRunner<RoundResult>({
    round,
    idle: { delivered: 0, retried: 0, failed: 0 },
    pollMs: o.pollMs,
    onError: (err: unknown) => o.logger.error(`${o.logPrefix}.round_failed`, { workerId: o.workerId, error: (err as Error)?.name }),
  });

  return {
    // One round at a time per worker; a flush during a round runs another round right after it.
    flush: () => runner.run(),
    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await runner.run();
        if ((await o.remaining()) === 0 || Date.now() >= deadline) return;
        const [next] = await db.query<{ due: string | null; lease: string | null }>(
          `SELECT MIN(next_attempt_at) AS due, MIN(lease_until) AS lease FROM ${table} WHERE status = 'pending'`,
        );
        const candidates = [next?.due, next?.lease].filter((x): x is string => !!x).map((x) => Date.parse(x) - o.now().getTime());
        const wait = Math.max(5, Math.min(250, ...candidates.map((c) => Math.max(5, c))));
        await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - Date.now()))));
      }
    },
    wake: () => runner.wake(),
    stop: () => runner.stop(),
  };
}

/** The worker controls both outboxes expose, over the engine; `drain` answers with the outbox's own stats. */
export function workerControls<S>(engine: OutboxEngine, stats: () => Promise<S>) {
  return {
    flush: (): Promise<RoundResult> => engine.flush(),
    async drain(o: { timeoutMs?: number } = {}): Promise<S> {
      await engine.drain(o.timeoutMs);
      return stats();
    },
    stats,
    wake: (): void => engine.wake(),
    stop: (): Promise<void> => engine.stop(),
  };
}

export interface RoundRunner<R> {
  run(): Promise<R>;
  wake(): void;
  stop(): Promise<void>;
}

export function createRoundRunner<R>(opts: { round: () => Promise<R>; idle: R; pollMs: number; onError: (err: unknown) => void }): RoundRunner<R> {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<R> | null = null;

  function run(): Promise<R> {
    const previous = running ?? Promise.resolve(opts.idle);
    const next = previous.catch(() => undefined).then(opts.round);
    running = next;
    void next
      .finally(() => {
        if (running === next) running = null;
      })
      .catch(() => undefined);
    return next;
  }

  function schedule(delay: number): void {
    if (stopped || opts.pollMs <= 0) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delay);
    timer.unref?.();
  }

  function tick(): void {
    timer = null;
    if (stopped) return;
    run()
      .catch(opts.onError)
      .finally(() => schedule(opts.pollMs));
  }

  schedule(0);

  return {
    run,
    wake() {
      if (!stopped && opts.pollMs > 0 && !running) schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running.catch(() => undefined);
    },
  };
}
