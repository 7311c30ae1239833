/**
 * Numbered, portable migrations (SQLite and PostgreSQL) recorded in `schema_migrations`.
 * SQL stays portable: TEXT / INTEGER / BIGINT columns, JSON as TEXT, ISO timestamps as TEXT.
 * Where a dialect difference is unavoidable a migration gets `db.kind` and branches.
 */
import type { Db, DbKind } from './db';

export interface Migration {
  /** Unique, sortable id, e.g. `bot-0001-consultations`. Never rename an applied migration. */
  id: string;
  /** Single statements (no trailing `;` needed), run in order inside one transaction. */
  up: readonly string[] | ((kind: DbKind) => readonly string[]);
  /** Data step run after `up` in the same transaction, for rewrites SQL cannot do portably (e.g. inside JSON). */
  run?: (tx: Db) => Promise<void>;
}

/** Runs the migrations that are not in `schema_migrations` yet, in id order, in one transaction. */
export async function runMigrations(db: Db, migrations: readonly Migration[]): Promise<string[]> {
  const sorted = [...migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return db.transaction(async (tx) => {
    if (tx.kind === 'postgres') {
      // Several instances may start at once: one migrates, the others wait and then see it done.
      await tx.query('SELECT pg_advisory_xact_lock(4242001)');
    }
    await tx.execute('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const rows = await tx.query<{ id: string }>('SELECT id FROM schema_migrations');
    const done = new Set(rows.map((r) => r.id));
    const applied: string[] = [];
    for (const m of sorted) {
      if (done.has(m.id)) continue;
      const statements = typeof m.up === 'function' ? m.up(tx.kind) : m.up;
      for (const sql of statements) await tx.execute(sql);
      if (m.run) await m.run(tx);
      await tx.execute('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, new Date().toISOString()]);
      applied.push(m.id);
    }
    return applied;
  });
}

/** The bot-side store: consultations, audit trail, outbox, conversation references, botbuilder state. */
export const BOT_MIGRATIONS: readonly Migration[] = [
  {
    id: 'bot-0001-consultations',
    up: [
      `CREATE TABLE consultations (
        nummer TEXT PRIMARY KEY,
        record_id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        gemeente TEXT,
        doelgroep TEXT,
        urgentie TEXT,
        requester_id TEXT NOT NULL,
        assignee_id TEXT,
        stap INTEGER NOT NULL,
        actie TEXT NOT NULL,
        maand TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL
      )`,
      'CREATE INDEX consultations_created_idx ON consultations (created_at, nummer)',
      'CREATE INDEX consultations_status_idx ON consultations (status, created_at)',
      'CREATE INDEX consultations_requester_idx ON consultations (requester_id, created_at)',
      `CREATE TABLE consultation_audit (
        nummer TEXT NOT NULL,
        version INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT,
        action TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT,
        PRIMARY KEY (nummer, version)
      )`,
    ],
  },
  {
    id: 'bot-0002-outbox',
    up: [
      `CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        record_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        lease_owner TEXT,
        lease_until TEXT,
        last_status INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT,
        UNIQUE (record_id, seq)
      )`,
      'CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at)',
    ],
  },
  {
    id: 'bot-0003-conversation-refs-and-state',
    up: [
      'CREATE TABLE conversation_refs (user_id TEXT PRIMARY KEY, ref TEXT NOT NULL, updated_at TEXT NOT NULL)',
      'CREATE TABLE bot_state (state_key TEXT PRIMARY KEY, data TEXT NOT NULL, etag TEXT NOT NULL, updated_at TEXT NOT NULL)',
    ],
  },
  {
    // Durable outbox for proactive Teams notifications of overleg requests (src/overleg/outbox.ts).
    id: 'bot-0004-overleg-notifications',
    up: [
      `CREATE TABLE overleg_notifications (
        id TEXT PRIMARY KEY,
        dedupe_key TEXT NOT NULL UNIQUE,
        nummer TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        progress TEXT,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        lease_owner TEXT,
        lease_until TEXT,
        last_status INTEGER,
        last_error TEXT,
        result TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT
      )`,
      'CREATE INDEX overleg_notifications_due_idx ON overleg_notifications (status, next_attempt_at)',
      'CREATE INDEX overleg_notifications_nummer_idx ON overleg_notifications (nummer)',
    ],
  },
  {
    // Idempotent create: a retried turn (Teams redelivers when a turn fails after the consultation was stored)
    // finds the consultation of the same dialog run instead of storing a second one.
    id: 'bot-0005-consultation-client-ref',
    up: ['ALTER TABLE consultations ADD COLUMN client_ref TEXT', 'CREATE UNIQUE INDEX consultations_client_ref_idx ON consultations (client_ref)'],
  },
  {
    // The municipal record carries no free text any more: records still waiting in the outbox lose their `notitie`
    // (the note itself stays with the consultation, until NOTE_RETENTION_DAYS). Delivered items are rewritten too, so
    // no copy of a note lingers in the outbox.
    id: 'bot-0006-outbox-without-notitie',
    up: [],
    run: async (tx) => {
      const rows = await tx.query<{ id: string; payload: string }>(`SELECT id, payload FROM outbox WHERE kind = 'create' AND payload LIKE '%"notitie"%'`);
      for (const row of rows) {
        const payload = JSON.parse(row.payload) as { record?: Record<string, unknown> };
        if (!payload.record || !('notitie' in payload.record)) continue;
        delete payload.record.notitie;
        await tx.execute('UPDATE outbox SET payload = $2 WHERE id = $1', [row.id, JSON.stringify(payload)]);
      }
    },
  },  {
    // A consultation follows the case (issue 13): outcome and closing time for counts, the last real move and the
    // last nudge for the follow-up scheduler, and a history of steps and decisions (codes and dates only).
    id: 'bot-0007-consultation-lifecycle',
    up: [
      'ALTER TABLE consultations ADD COLUMN uitkomst TEXT',
      'ALTER TABLE consultations ADD COLUMN afgerond_at TEXT',
      'ALTER TABLE consultations ADD COLUMN moved_at TEXT',
      'ALTER TABLE consultations ADD COLUMN nudged_at TEXT',
      'UPDATE consultations SET moved_at = updated_at',
      'CREATE INDEX consultations_moved_idx ON consultations (status, moved_at)',
      `CREATE TABLE consultation_history (
        nummer TEXT NOT NULL,
        version INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        at TEXT NOT NULL,
        event TEXT NOT NULL,
        PRIMARY KEY (nummer, version, idx)
      )`,
    ],
  },
];
