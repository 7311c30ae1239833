/** Latency statistics and a bounded closed-loop load driver. */

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarise(samples: number[]): LatencySummary {
  const s = [...samples].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return { count: s.length, mean: s.length ? sum / s.length : NaN, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : NaN };
}

export interface LoadResult {
  /** Completed operations (turns). */
  ops: number;
  errors: number;
  elapsedMs: number;
  perSecond: number;
  latencies: number[];
  summary: LatencySummary;
}

/**
 * Closed loop: `concurrency` workers each call `iteration(worker, n)` back to back until `durationMs` passed or
 * `maxIterations` iterations started in total. An iteration reports the latencies of the operations it made and
 * how many of them failed. Bounded in time and count.
 */
export async function closedLoop(opts: {
  concurrency: number;
  durationMs: number;
  maxIterations: number;
  iteration: (worker: number, n: number) => Promise<{ latencies: number[]; errors: number }>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + opts.durationMs;
  const worker = async (w: number) => {
    while (performance.now() < deadline && started < opts.maxIterations) {
      const n = started++;
      try {
        const r = await opts.iteration(w, n);
        for (const l of r.latencies) latencies.push(l);
        errors += r.errors;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
  const elapsedMs = performance.now() - t0;
  return { ops: latencies.length, errors, elapsedMs, perSecond: (latencies.length / elapsedMs) * 1000, latencies, summary: summarise(latencies) };
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
