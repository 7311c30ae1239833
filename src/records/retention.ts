/**
 * Retention of delivered outbox items (records and overleg notifications). A delivered item has done its job: the
 * municipality has the record, the notification reached Teams. Keeping it forever only keeps data (an anonymised
 * record, a Teams target) longer than needed and grows the table. Delivered items older than the retention are
 * deleted, at most once per `everyMs`, from the worker's own round. Pending and failed items are never deleted:
 * they still have work to do or need an operator.
 */
import type { Db } from '../store/db';
import type { Logger } from './logger';

export const DEFAULT_RETENTION_MS = 30 * 24 * 3600_000;
const DEFAULT_EVERY_MS = 3600_000;

export interface RetentionOptions {
  /** How long delivered items are kept, ms. Default 30 days; 0 = keep forever. */
  retentionMs?: number;
  /** Smallest interval between two purges, ms. Default 1 hour (or the retention, when shorter). */
  everyMs?: number;
}

export interface Retention {
  /** Deletes delivered items older than the retention now. Returns how many. */
  purge(): Promise<number>;
  /** Purges when the last purge is at least `everyMs` ago. */
  maybePurge(): Promise<void>;
}

export function createRetention(opts: RetentionOptions & { db: Db; table: 'outbox' | 'overleg_notifications'; now: () => Date; logger: Logger }): Retention {
  const retentionMs = opts.retentionMs ?? DEFAULT_RETENTION_MS;
  const everyMs = opts.everyMs ?? Math.min(DEFAULT_EVERY_MS, Math.max(1, retentionMs));
  let last = -Infinity;

  async function purge(): Promise<number> {
    if (retentionMs <= 0) return 0;
    const before = new Date(opts.now().getTime() - retentionMs).toISOString();
    const n = await opts.db.execute(`DELETE FROM ${opts.table} WHERE status = 'delivered' AND delivered_at < $1`, [before]);
    if (n > 0) opts.logger.info('outbox.retention.purged', { table: opts.table, deleted: n });
    return n;
  }

  return {
    purge,
    async maybePurge() {
      const at = opts.now().getTime();
      if (retentionMs <= 0 || at - last < everyMs) return;
      last = at;
      try {
        await purge();
      } catch (err) {
        // Retention is housekeeping: a failed purge must not stop deliveries. The next interval tries again.
        opts.logger.warn('outbox.retention.failed', { table: opts.table, error: (err as Error)?.name ?? 'Error' });
      }
    },
  };
}
