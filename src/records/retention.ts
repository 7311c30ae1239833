/**
 * Retention jobs, run from the record outbox worker's round. First: retention of delivered outbox items (records and overleg notifications). A delivered item has done its job: the
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

  async function purge(): Promise<number> {
    if (retentionMs <= 0) return 0;
    const before = new Date(opts.now().getTime() - retentionMs).toISOString();
    const n = await opts.db.execute(`DELETE FROM ${opts.table} WHERE status = 'delivered' AND delivered_at < $1`, [before]);
    if (n > 0) opts.logger.info('outbox.retention.purged', { table: opts.table, deleted: n });
    return n;
  }

  return periodic(purge, opts, retentionMs, everyMs, 'outbox.retention.failed', { table: opts.table });
}

export const DEFAULT_NOTE_RETENTION_MS = 90 * 24 * 3600_000;

/**
 * Retention of the professional's note. The scrubbed note stays with the consultation in the bot's own store (never
 * at the municipality) so the aandachtsfunctionaris can read it in the overleg; after `retentionMs` (NOTE_RETENTION_DAYS,
 * default 90 days) counted from the consultation's creation it is removed from the stored consultation. The rest of
 * the consultation (structured fields, status, audit) stays. 0 = keep notes forever.
 */
export function createNoteRetention(opts: { db: Db; retentionMs?: number; everyMs?: number; now: () => Date; logger: Logger }): Retention {
  const retentionMs = opts.retentionMs ?? DEFAULT_NOTE_RETENTION_MS;
  const everyMs = opts.everyMs ?? Math.min(DEFAULT_EVERY_MS, Math.max(1, retentionMs));

  async function purge(): Promise<number> {
    if (retentionMs <= 0) return 0;
    const before = new Date(opts.now().getTime() - retentionMs).toISOString();
    let deleted = 0;
    for (;;) {
      // `"note":"` only matches a note that is a string (JSON escapes quotes inside strings, so text cannot fake it).
      const rows = await opts.db.query<{ nummer: string; doc: string; version: number }>(
        `SELECT nummer, doc, version FROM consultations WHERE created_at < $1 AND doc LIKE '%"note":"%' ORDER BY created_at LIMIT 200`,
        [before],
      );
      let changed = 0;
      for (const row of rows) {
        const doc = JSON.parse(row.doc) as { note?: unknown };
        if (doc.note == null) continue;
        doc.note = null;
        // Compare-and-set on the version: a concurrent status change wins, and the next purge catches the note then.
        // The version is not raised: removing the note is housekeeping, not a change of the consultation.
        changed += await opts.db.execute('UPDATE consultations SET doc = $2 WHERE nummer = $1 AND version = $3', [row.nummer, JSON.stringify(doc), row.version]);
      }
      deleted += changed;
      if (rows.length < 200 || changed === 0) break;
    }
    if (deleted > 0) opts.logger.info('notes.retention.purged', { deleted });
    return deleted;
  }

  return periodic(purge, opts, retentionMs, everyMs, 'notes.retention.failed', {});
}

/**
 * A purge as housekeeping: at most once per `everyMs` (none when the retention is 0), and a failed purge must not stop
 * deliveries (logged; the next interval tries again).
 */
function periodic(
  purge: () => Promise<number>,
  opts: { now: () => Date; logger: Logger },
  retentionMs: number,
  everyMs: number,
  failure: string,
  fields: Record<string, unknown>,
): Retention {
  let last = -Infinity;
  return {
    purge,
    async maybePurge() {
      const at = opts.now().getTime();
      if (retentionMs <= 0 || at - last < everyMs) return;
      last = at;
      try {
        await purge();
      } catch (err) {
        opts.logger.warn(failure, { ...fields, error: (err as Error)?.name ?? 'Error' });
      }
    },
  };
}
