/**
 * Runs a worker's delivery round one at a time and, when `pollMs` > 0, on a timer. A `run()` during a round queues
 * one more round right after it (so a caller that just enqueued something is covered); `wake()` starts a round now
 * when none is running; `stop()` ends polling and waits for the running round. Shared by the record outbox and the
 * overleg notification outbox.
 */
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
