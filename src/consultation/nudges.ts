/**
 * Follow-up nudges (issue 13): a consultation that has not moved for N working days (policy `opvolging.werkdagen`,
 * default 10) gets one proactive message in the professional's chat — number and step only — with Verder / Afsluiten
 * / Later. At most one per consultation per week; never for the 112 route, never for closed or withdrawn ones. The
 * claim (nudged_at, compare-and-set) and the notification are written in one transaction, so with several instances
 * exactly one sends; delivery goes through the notification outbox and the stored conversation reference.
 */
import type { Db } from '../store/db';
import { enqueueNotification } from '../overleg/outbox';
import type { ConsultationLifecycle } from './ports';

export const NUDGE_INTERVAL_DAYS = 7;
export const DEFAULT_NUDGE_WORKING_DAYS = 10;

/** The instant `n` working days (Monday–Friday) before `now`, same time of day. */
export function workingDaysBefore(now: Date, n: number): Date {
  const d = new Date(now.getTime());
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() - 1);
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) left--;
  }
  return d;
}

export interface NudgeSchedulerOptions {
  db: Db;
  repo: ConsultationLifecycle;
  /** Working days without movement before a nudge (policy). */
  workingDays?: number;
  now?: () => Date;
  /** How often to look (ms); 0 = only when runOnce() is called. Default one hour. */
  intervalMs?: number;
  /** Wakes the notification worker after nudges were queued. */
  wake?: () => void;
  logger?: { info(msg: string, fields?: Record<string, unknown>): void; warn(msg: string, fields?: Record<string, unknown>): void };
}

export interface NudgeScheduler {
  /** One round: queues the nudges that are due; returns how many. */
  runOnce(): Promise<number>;
  stop(): void;
}

export function startNudgeScheduler(opts: NudgeSchedulerOptions): NudgeScheduler {
  const now = opts.now ?? (() => new Date());
  const days = opts.workingDays ?? DEFAULT_NUDGE_WORKING_DAYS;
  let running: Promise<number> | null = null;

  async function round(): Promise<number> {
    const at = now();
    const atIso = at.toISOString();
    const movedBefore = workingDaysBefore(at, days).toISOString();
    const nudgedBefore = new Date(at.getTime() - NUDGE_INTERVAL_DAYS * 86_400_000).toISOString();
    const due = await opts.repo.stale(movedBefore, nudgedBefore, 200);
    let queued = 0;
    for (const c of due) {
      const sent = await opts.db.transaction(async (tx) => {
        const claimed = await tx.execute(
          `UPDATE consultations SET nudged_at = $3 WHERE nummer = $1 AND status IN ('open', 'in-behandeling') AND actie <> '112'
             AND (nudged_at IS NULL OR nudged_at < $2)`,
          [c.nummer, nudgedBefore, atIso],
        );
        if (claimed !== 1) return false;
        const data = (actie: string) => ({ mw: 'lifecycle', actie, nummer: c.nummer });
        return enqueueNotification(
          tx,
          {
            dedupeKey: `nudge:${c.nummer}:${atIso}`,
            payload: {
              kind: 'message',
              nummer: c.nummer,
              userId: c.requesterId,
              key: 'lifecycle.nudge',
              vars: { nummer: c.nummer, stap: String(c.advice.stap) },
              buttons: [
                { key: 'lifecycle.button.verder', data: data('verder') },
                { key: 'lifecycle.button.afsluiten', data: data('afsluiten') },
                { key: 'lifecycle.button.later', data: data('later') },
              ],
              onlyWhileActive: true,
            },
          },
          at,
        );
      });
      if (sent) queued++;
    }
    if (queued) {
      opts.logger?.info('nudges.queued', { count: queued });
      opts.wake?.();
    }
    return queued;
  }

  const runOnce = () => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };
  const interval = opts.intervalMs ?? 60 * 60 * 1000;
  const timer = interval > 0 ? setInterval(() => void runOnce().catch((err: Error) => opts.logger?.warn('nudges.failed', { error: err?.name })), interval) : null;
  timer?.unref?.();
  return {
    runOnce,
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
