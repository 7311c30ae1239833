/**
 * Runs a worker's delivery round one at a time and, when `pollMs` > 0, on a timer. A `run()` during a round queues
 * one more round right after it (so a caller that just enqueued something is covered); `wake()` starts a round now
 * when none is running; `stop()` ends polling and waits for the running round. Shared by the record outbox and the
 * overleg notification outbox.
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
  table: 'outbox' | 'overleg_notifications',
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
