/**
 * Consultation repository on the shared Db: local consultations (never leave the bot), audit trail and the
 * outbox for the municipal API, changed together in one transaction.
 */
import { randomInt, randomUUID } from 'node:crypto';
import {
  type Actor,
  type ConsultationCount,
  type ConsultationLifecycle,
  type ConsultationFilter,
  type ConsultationPage,
  type ConsultationRepository,
  type ConsultationStats,
  type StepDuration,
  type ConsultationPatch,
  type ConsultationStatus,
  type LocalConsultation,
  type NewConsultation,
  REOPEN_DAYS,
} from './ports';
import { cleanStrings } from '../store/clean';
import type { Db } from '../store/db';
import { byKeys, isUniqueViolation, sqlParams } from '../store/sql';
import { cleanText } from '../privacy/clean';
import { buildRecord, monthOf, scrubNote } from '../records/build';
import { enqueueOutbox } from '../records/outbox';
import { canTransition } from './status';

export interface ConsultationRepositoryOptions {
  /** Secret for the requester pseudonym (HMAC-SHA256). Keep it stable: changing it changes every pseudonym. */
  pseudonymSecret: string;
  now?: () => Date;
  /** Consultation number source (tests force collisions with it). Default: crypto-random `MW-XXXXXX`. */
  nummerGenerator?: () => string;
}

import { NUMMER_ALPHABET } from './ports';
export { NUMMER_ALPHABET, NUMMER_PATTERN } from './ports';

export function generateNummer(): string {
  let s = 'MW-';
  for (let i = 0; i < 6; i++) s += NUMMER_ALPHABET[randomInt(NUMMER_ALPHABET.length)];
  return s;
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: ConsultationStatus,
    readonly to: ConsultationStatus,
  ) {
    super(`status change ${from} → ${to} is not allowed`);
    this.name = 'InvalidTransitionError';
  }
}

/** A closed consultation older than `REOPEN_DAYS` cannot be reopened. */
export class ReopenExpiredError extends Error {
  constructor(readonly afgerondOp: string | null) {
    super('reopen period has passed');
    this.name = 'ReopenExpiredError';
  }
}

/**
 * History events (codes only, never text) between two states of a consultation: the step reached, the meldcode steps
 * taken, each afwegingsvraag answered, the status and the outcome. Written with the version that caused them.
 */
export function historyEvents(before: LocalConsultation | null, after: LocalConsultation): string[] {
  const ev: string[] = [];
  if (!before || before.advice.stap !== after.advice.stap || before.advice.actie !== after.advice.actie) {
    ev.push(`stap-bereikt:${after.advice.stap}:${after.advice.actie}`);
  }
  const doneBefore = new Set(before?.case.stappenGedaan ?? []);
  for (const s of [...new Set(after.case.stappenGedaan ?? [])].sort()) if (!doneBefore.has(s)) ev.push(`stap-gezet:${s}`);
  const a0 = (before?.case.afweging ?? {}) as Record<string, boolean | null | undefined>;
  const a1 = (after.case.afweging ?? {}) as Record<string, boolean | null | undefined>;
  for (const k of Object.keys(a1).sort()) {
    const v = a1[k];
    if (v != null && v !== a0[k]) ev.push(`afweging:${k}:${v ? 'ja' : 'nee'}`);
  }
  if (before && before.status !== after.status) ev.push(`status:${after.status}`);
  if ((after.uitkomst ?? null) !== (before?.uitkomst ?? null) && after.uitkomst) ev.push(`uitkomst:${after.uitkomst}`);
  return ev;
}

interface Row {
  nummer: string;
  record_id: string;
  doc: string;
  version: number;
  status: ConsultationStatus;
  created_at: string;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

export function createConsultationRepository(
  db: Db,
  opts: ConsultationRepositoryOptions,
): ConsultationRepository &
  ConsultationStats &
  ConsultationLifecycle & {
    /** The random id of the municipal record of a consultation (never shown to the municipality as a nummer). */
    recordIdOf(nummer: string): Promise<string | null>;
    /** The local consultation behind a municipal record id (lets the coordinator reach the requester via the bot). */
    getByRecordId(recordId: string): Promise<LocalConsultation | null>;
  } {
  if (!opts.pseudonymSecret) throw new Error('pseudonymSecret is required');
  const secret = opts.pseudonymSecret;
  const now = opts.now ?? (() => new Date());
  const nextNummer = opts.nummerGenerator ?? generateNummer;

  async function insertRow(tx: Db, c: LocalConsultation, recordId: string, clientRef: string | null = null): Promise<boolean> {
    const n = await tx.execute(
      `INSERT INTO consultations (nummer, record_id, status, gemeente, doelgroep, urgentie, requester_id, assignee_id,
         stap, actie, maand, doc, created_at, updated_at, version, client_ref, moved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $13)
       ON CONFLICT (nummer) DO NOTHING`,
      [
        c.nummer,
        recordId,
        c.status,
        c.case.gemeente ?? null,
        c.case.doelgroep ?? null,
        c.urgentie,
        c.requesterId,
        c.assigneeId,
        c.advice.stap,
        c.advice.actie,
        monthOf(c.createdAt),
        JSON.stringify(c),
        c.createdAt,
        c.updatedAt,
        c.version,
        clientRef,
      ],
    );
    return n === 1;
  }

  async function writeAudit(tx: Db, nummer: string, version: number, at: string, actor: Actor, action: string, from: string | null, to: string | null) {
    await tx.execute(
      `INSERT INTO consultation_audit (nummer, version, at, actor_id, actor_name, action, from_status, to_status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [nummer, version, at, actor.userId, actor.name != null ? cleanText(actor.name) : null, cleanText(action).slice(0, 100), from, to],
    );
  }

  async function writeHistory(tx: Db, nummer: string, version: number, at: string, events: readonly string[]) {
    let idx = 0;
    for (const event of events) {
      await tx.execute('INSERT INTO consultation_history (nummer, version, idx, at, event) VALUES ($1, $2, $3, $4, $5)', [
        nummer,
        version,
        idx++,
        at,
        cleanText(event).slice(0, 100),
      ]);
    }
  }

  const repo = {
    async create(input: NewConsultation): Promise<LocalConsultation> {
      const at = now().toISOString();
      // No control / NUL / bidi characters in anything stored (the note is cleaned in scrubNote as well).
      const base: Omit<LocalConsultation, 'nummer'> = cleanStrings({
        status: 'open',
        case: input.case,
        advice: input.advice,
        overlegGevraagd: input.overlegGevraagd ?? false,
        urgentie: input.urgentie ?? null,
        bereikbaarheid: input.bereikbaarheid ?? null,
        contactRol: input.contactRol ?? null,
        requesterId: input.requesterId,
        assigneeId: null,
        assigneeName: null,
        note: scrubNote(input.note),
        createdAt: at,
        updatedAt: at,
        version: 1,
      });
      const recordId = randomUUID();
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          return await db.transaction(async (tx) => {
            const clientRef = input.clientRef ?? null;
            if (clientRef) {
              const existing = await tx.query<Row>('SELECT doc FROM consultations WHERE client_ref = $1', [clientRef]);
              if (existing.length) return JSON.parse(existing[0]!.doc) as LocalConsultation;
            }
            let created: LocalConsultation | null = null;
            for (let i = 0; i < 10 && !created; i++) {
              const candidate: LocalConsultation = { nummer: nextNummer(), ...base };
              if (await insertRow(tx, candidate, recordId, clientRef)) created = candidate;
            }
            if (!created) throw new Error('could not generate a unique consultation number');
            await writeAudit(tx, created.nummer, 1, at, { userId: created.requesterId }, 'aangemaakt', null, created.status);
            await writeHistory(tx, created.nummer, 1, at, historyEvents(null, created));
            const record = { ...buildRecord(created, secret, { recordId }), versie: 1 };
            await enqueueOutbox(tx, { recordId, seq: 1, payload: { kind: 'create', record } }, now());
            return created;
          });
        } catch (err) {
          // A concurrent insert of the same number (or the same clientRef) surfaces as a unique violation: try
          // again; a clientRef that now exists is returned by the next attempt.
          if (isUniqueViolation(err) && attempt < 2) continue;
          throw err;
        }
      }
      throw new Error('unreachable');
    },

    async get(nummer: string): Promise<LocalConsultation | null> {
      const rows = await db.query<Row>('SELECT doc FROM consultations WHERE nummer = $1', [nummer]);
      return rows.length ? (JSON.parse(rows[0].doc) as LocalConsultation) : null;
    },

    async recordIdOf(nummer: string): Promise<string | null> {
      const rows = await db.query<Row>('SELECT record_id FROM consultations WHERE nummer = $1', [nummer]);
      return rows.length ? rows[0].record_id : null;
    },

    async getByRecordId(recordId: string): Promise<LocalConsultation | null> {
      const rows = await db.query<Row>('SELECT doc FROM consultations WHERE record_id = $1', [recordId]);
      return rows.length ? (JSON.parse(rows[0].doc) as LocalConsultation) : null;
    },

    async list(filter: ConsultationFilter): Promise<ConsultationPage> {
      const where: string[] = [];
      const { params, p } = sqlParams();
      if (filter.status?.length) where.push(`status IN (${filter.status.map(p).join(', ')})`);
      if (filter.gemeenten?.length) where.push(`gemeente IN (${filter.gemeenten.map(p).join(', ')})`);
      if (filter.doelgroep) where.push(`doelgroep = ${p(filter.doelgroep)}`);
      if (filter.urgentie) where.push(`urgentie = ${p(filter.urgentie)}`);
      if (filter.requesterId) where.push(`requester_id = ${p(filter.requesterId)}`);
      if (filter.cursor) {
        const c = decodeCursor(filter.cursor);
        const ca = p(c.c);
        where.push(`(created_at < ${ca} OR (created_at = ${ca} AND nummer < ${p(c.n)}))`);
      }
      const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(filter.limit ?? DEFAULT_LIMIT)));
      const sql = `SELECT nummer, doc, created_at FROM consultations ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY created_at DESC, nummer DESC LIMIT ${p(limit + 1)}`;
      const rows = await db.query<Row>(sql, params);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => JSON.parse(r.doc) as LocalConsultation),
        nextCursor: rows.length > limit && last ? encodeCursor({ c: last.created_at, n: last.nummer }) : null,
      };
    },

    async update(
      nummer: string,
      expectedVersion: number,
      patch: ConsultationPatch,
      actor: Actor,
      action: string,
    ): Promise<LocalConsultation | null> {
      return db.transaction(async (tx) => {
        const rows = await tx.query<Row>('SELECT record_id, doc, version FROM consultations WHERE nummer = $1', [nummer]);
        if (!rows.length) return null;
        const current = JSON.parse(rows[0].doc) as LocalConsultation;
        if (Number(rows[0].version) !== expectedVersion) return null;
        const to = patch.status ?? current.status;
        if (!canTransition(current.status, to)) throw new InvalidTransitionError(current.status, to);
        const nowDate = now();
        const at = nowDate.toISOString();
        const clean = cleanStrings(Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))) as ConsultationPatch;
        const next: LocalConsultation = { ...current, ...clean, updatedAt: at, version: expectedVersion + 1 };
        if (to !== current.status && to === 'afgerond') {
          next.afgerondOp = at;
          next.uitkomst = clean.uitkomst ?? current.uitkomst ?? null;
        }
        if (current.status === 'afgerond' && to === 'open') {
          // Reopen: only within REOPEN_DAYS of closing; the outcome goes, the history keeps it.
          const closed = current.afgerondOp ? Date.parse(current.afgerondOp) : NaN;
          if (!(nowDate.getTime() - closed <= REOPEN_DAYS * 86_400_000)) throw new ReopenExpiredError(current.afgerondOp ?? null);
          next.uitkomst = null;
          next.afgerondOp = null;
        }
        const events = historyEvents(current, next);
        // "Moved": anything the history records (a step, a decision, a status, an outcome).
        const moved = events.length > 0;
        const changed = await tx.execute(
          `UPDATE consultations SET status = $3, urgentie = $4, assignee_id = $5, doc = $6, updated_at = $7, version = $8,
             stap = $9, actie = $10, gemeente = $11, doelgroep = $12, uitkomst = $13, afgerond_at = $14,
             moved_at = CASE WHEN $15 = 1 THEN $7 ELSE moved_at END
           WHERE nummer = $1 AND version = $2`,
          [
            nummer,
            expectedVersion,
            next.status,
            next.urgentie,
            next.assigneeId,
            JSON.stringify(next),
            at,
            next.version,
            next.advice.stap,
            next.advice.actie,
            next.case.gemeente ?? null,
            next.case.doelgroep ?? null,
            next.uitkomst ?? null,
            next.afgerondOp ?? null,
            moved ? 1 : 0,
          ],
        );
        // Someone else changed it between our read and write (PostgreSQL, concurrent transactions).
        if (changed !== 1) return null;
        await writeAudit(tx, nummer, next.version, at, actor, action, current.status, next.status);
        await writeHistory(tx, nummer, next.version, at, events);
        // The municipal record follows its consultation (structured only): status, overleg requested, urgentie, the
        // step reached, the outcome and the month of closing, as one new version.
        const statusChanged = next.status !== current.status;
        const overlegChanged = next.overlegGevraagd !== current.overlegGevraagd || (next.urgentie ?? null) !== (current.urgentie ?? null);
        const stepChanged = next.advice.stap !== current.advice.stap || next.advice.actie !== current.advice.actie;
        const outcomeChanged = (next.uitkomst ?? null) !== (current.uitkomst ?? null);
        if (statusChanged || overlegChanged || stepChanged || outcomeChanged) {
          const recordId = rows[0].record_id;
          const payload = {
            kind: 'status' as const,
            recordId,
            status: next.status,
            overlegGevraagd: next.overlegGevraagd,
            urgentie: next.urgentie ?? null,
            versie: next.version,
            stap: next.advice.stap,
            actie: next.advice.actie,
            uitkomst: next.uitkomst ?? null,
            afgerondMaand: next.afgerondOp ? monthOf(next.afgerondOp) : null,
          };
          await enqueueOutbox(tx, { recordId, seq: next.version, payload }, nowDate);
        }
        return next;
      });
    },

    /** History of a consultation: steps reached, steps taken, decisions, status and outcome, each with its date. */
    async history(nummer: string): Promise<Array<{ at: string; version: number; event: string }>> {
      const rows = await db.query<{ at: string; version: number; event: string }>(
        'SELECT at, version, event FROM consultation_history WHERE nummer = $1 ORDER BY version, idx',
        [nummer],
      );
      return rows.map((r) => ({ at: r.at, version: Number(r.version), event: r.event }));
    },

    /**
     * Open / in-overleg consultations that have not moved since `movedBefore` and were not nudged since
     * `nudgedBefore`; never the 112 route, never closed ones. Oldest first.
     */
    async stale(movedBefore: string, nudgedBefore: string, limit = 100): Promise<LocalConsultation[]> {
      const rows = await db.query<Row>(
        `SELECT doc FROM consultations
         WHERE status IN ('open', 'in-behandeling') AND actie <> '112' AND moved_at < $1
           AND (nudged_at IS NULL OR nudged_at < $2)
         ORDER BY moved_at, nummer LIMIT $3`,
        [movedBefore, nudgedBefore, limit],
      );
      return rows.map((r) => JSON.parse(r.doc) as LocalConsultation);
    },

    /** Claims the nudge for a consultation (compare-and-set: one instance wins). True when this caller may send it. */
    async claimNudge(nummer: string, nudgedBefore: string, at: string): Promise<boolean> {
      const n = await db.execute(
        `UPDATE consultations SET nudged_at = $3 WHERE nummer = $1 AND status IN ('open', 'in-behandeling')
           AND (nudged_at IS NULL OR nudged_at < $2)`,
        [nummer, nudgedBefore, at],
      );
      return n === 1;
    },

    async audit(nummer: string) {
      const rows = await db.query<{ at: string; actor_id: string; action: string; from_status: string | null; to_status: string | null }>(
        'SELECT at, actor_id, action, from_status, to_status FROM consultation_audit WHERE nummer = $1 ORDER BY version',
        [nummer],
      );
      return rows.map((r) => ({ at: r.at, actorId: r.actor_id, action: r.action, from: r.from_status, to: r.to_status }));
    },

    async counts(filter: { gemeenten?: string[]; from?: string; to?: string }): Promise<ConsultationCount[]> {
      const where: string[] = [];
      const { params, p } = sqlParams();
      if (filter.gemeenten?.length) where.push(`gemeente IN (${filter.gemeenten.map(p).join(', ')})`);
      if (filter.from) where.push(`maand >= ${p(filter.from.slice(0, 7))}`);
      if (filter.to) where.push(`maand <= ${p(filter.to.slice(0, 7))}`);
      const rows = await db.query<{ maand: string; gemeente: string | null; doelgroep: string | null; stap: number; actie: string; status: ConsultationStatus; uitkomst: string | null; afgerond_maand: string | null; aantal: number }>(
        `SELECT maand, gemeente, doelgroep, stap, actie, status, uitkomst, SUBSTR(afgerond_at, 1, 7) AS afgerond_maand, COUNT(*) AS aantal
         FROM consultations
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         GROUP BY maand, gemeente, doelgroep, stap, actie, status, uitkomst, SUBSTR(afgerond_at, 1, 7)`,
        params,
      );
      return rows
        .map((r) => ({
        maand: r.maand,
        gemeente: r.gemeente,
        doelgroep: r.doelgroep as ConsultationCount['doelgroep'],
        stap: Number(r.stap),
        actie: r.actie,
        status: r.status,
        ...(r.uitkomst ? { uitkomst: r.uitkomst as NonNullable<ConsultationCount['uitkomst']> } : {}),
        ...(r.afgerond_maand ? { afgerondMaand: r.afgerond_maand } : {}),
        aantal: Number(r.aantal),
      }))
        .sort(compareCounts);
    },

    async stepDurations(filter: { gemeenten?: string[]; from?: string; to?: string }): Promise<StepDuration[]> {
      const where: string[] = [];
      const { params, p } = sqlParams();
      if (filter.gemeenten?.length) where.push(`c.gemeente IN (${filter.gemeenten.map(p).join(', ')})`);
      if (filter.from) where.push(`c.maand >= ${p(filter.from.slice(0, 7))}`);
      if (filter.to) where.push(`c.maand <= ${p(filter.to.slice(0, 7))}`);
      const rows = await db.query<{ nummer: string; at: string; event: string; afgerond_at: string | null }>(
        `SELECT h.nummer, h.at, h.event, c.afgerond_at FROM consultation_history h JOIN consultations c ON c.nummer = h.nummer
         WHERE (h.event LIKE 'stap-bereikt:%' OR h.event = 'status:afgerond') ${where.length ? 'AND ' + where.join(' AND ') : ''}
         ORDER BY h.nummer, h.version, h.idx`,
        params,
      );
      // A stay at a step ends when the next step is reached or the consultation is closed.
      const days = new Map<number, number[]>();
      let cur: { nummer: string; stap: number; at: number } | null = null;
      for (const r of rows) {
        if (cur && cur.nummer !== r.nummer) cur = null;
        const at = Date.parse(r.at);
        if (cur) {
          const list = days.get(cur.stap) ?? [];
          list.push((at - cur.at) / 86_400_000);
          days.set(cur.stap, list);
          cur = null;
        }
        if (r.event.startsWith('stap-bereikt:')) cur = { nummer: r.nummer, stap: Number(r.event.split(':')[1]), at };
      }
      const round = (n: number) => Math.round(n * 10) / 10;
      return [...days.entries()]
        .sort(([a], [b]) => a - b)
        .map(([stap, list]) => {
          const sorted = [...list].sort((a, b) => a - b);
          const mid = Math.floor(sorted.length / 2);
          const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
          return { stap, aantal: list.length, gemiddeldDagen: round(list.reduce((a, b) => a + b, 0) / list.length), mediaanDagen: round(median) };
        });
    },
  };
  return repo;
}

const compareCounts = byKeys<ConsultationCount>(['maand', 'gemeente', 'doelgroep', 'stap', 'actie', 'status']);

function encodeCursor(c: { c: string; n: string }): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

function decodeCursor(cursor: string): { c: string; n: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c?: unknown; n?: unknown };
    if (typeof v.c === 'string' && typeof v.n === 'string') return { c: v.c, n: v.n };
  } catch {
    /* fall through */
  }
  throw new InvalidCursorError();
}
