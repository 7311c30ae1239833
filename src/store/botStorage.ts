/**
 * botbuilder `Storage` on the shared Db (table `bot_state`), so conversation/user/dialog state survives restarts
 * and is shared between instances. Semantics follow botbuilder's MemoryStorage:
 * - read returns stored items (with their `eTag`), missing keys are absent;
 * - write without eTag or with `'*'` overwrites; with another eTag it succeeds only when it equals the stored
 *   one (or the key does not exist), otherwise it throws `Storage: error writing "<key>" due to eTag conflict.`;
 * - every successful write gives the item a new eTag;
 * - delete removes the keys (missing keys are fine).
 * All changes of a multi-key write() are applied in one transaction. This is the only file in src/store that knows botbuilder.
 */
import { randomUUID } from 'node:crypto';
import type { KeyValueStorage as Storage, StoreItems } from '../turn/storage';
import type { Db } from './db';
import { storedJson } from './clean';

export class DbStorage implements Storage {
  private readonly now: () => Date;

  constructor(
    private readonly db: Db,
    opts: { now?: () => Date } = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const result: StoreItems = {};
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += 100) {
      const chunk = unique.slice(i, i + 100);
      const placeholders = chunk.map((_, j) => `$${j + 1}`).join(', ');
      const rows = await this.db.query<{ key: string; data: string; etag: string }>(
        `SELECT state_key AS key, data, etag FROM bot_state WHERE state_key IN (${placeholders})`,
        chunk,
      );
      for (const row of rows) {
        result[row.key] = { ...(JSON.parse(row.data) as Record<string, unknown>), eTag: row.etag };
      }
    }
    return result;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    const at = this.now().toISOString();
    // One key (every turn): its statements need no transaction. The upsert is one statement; the eTag path is a
    // conditional UPDATE, then an INSERT that does nothing when the row exists, and either order of a concurrent
    // writer between the two gives the same answer as a serial one (stale eTag → conflict; deleted row → written).
    if (keys.length === 1) return this.writeOne(this.db, keys[0]!, changes[keys[0]!], at);
    await this.db.transaction(async (tx) => {
      for (const key of keys) await this.writeOne(tx, key, changes[key], at);
    });
  }

  private async writeOne(db: Db, key: string, change: unknown, at: string): Promise<void> {
    const item = (change ?? {}) as Record<string, unknown>;
    const { eTag, ...rest } = item;
    // Dialog state holds what users typed: stored without control / bidi / NUL characters (src/store/clean.ts).
    const data = storedJson(rest);
    const etag = randomUUID();
    if (typeof eTag !== 'string' || eTag === '' || eTag === '*') {
      await db.execute(
        `INSERT INTO bot_state (state_key, data, etag, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (state_key) DO UPDATE SET data = excluded.data, etag = excluded.etag, updated_at = excluded.updated_at`,
        [key, data, etag, at],
      );
      return;
    }
    const updated = await db.execute('UPDATE bot_state SET data = $2, etag = $3, updated_at = $4 WHERE state_key = $1 AND etag = $5', [key, data, etag, at, eTag]);
    if (updated === 1) return;
    // Not matched: either the key does not exist (MemoryStorage then writes) or the eTag is stale.
    const inserted = await db.execute('INSERT INTO bot_state (state_key, data, etag, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (state_key) DO NOTHING', [
      key,
      data,
      etag,
      at,
    ]);
    if (inserted !== 1) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys || keys.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const key of keys) await tx.execute('DELETE FROM bot_state WHERE state_key = $1', [key]);
    });
  }
}

export function createBotStorage(db: Db, opts: { now?: () => Date } = {}): Storage {
  return new DbStorage(db, opts);
}
