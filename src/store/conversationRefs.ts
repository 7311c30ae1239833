/** ConversationRefStore on the shared Db (table `conversation_refs`). */
import type { ConversationRefStore } from '../consultation/ports';
import { storedJson } from './clean';
import type { Db } from './db';

export function createConversationRefStore(db: Db, opts: { now?: () => Date } = {}): ConversationRefStore {
  const now = opts.now ?? (() => new Date());
  return {
    async save(userId: string, ref: Record<string, unknown>): Promise<void> {
      if (!userId) throw new Error('userId is required');
      await db.execute(
        `INSERT INTO conversation_refs (user_id, ref, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET ref = excluded.ref, updated_at = excluded.updated_at`,
        [userId, storedJson(ref), now().toISOString()],
      );
    },
    async get(userId: string): Promise<Record<string, unknown> | null> {
      const rows = await db.query<{ ref: string }>('SELECT ref FROM conversation_refs WHERE user_id = $1', [userId]);
      return rows.length ? (JSON.parse(rows[0].ref) as Record<string, unknown>) : null;
    },
  };
}
