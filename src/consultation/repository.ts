/**
 * Consultation repository on the shared Db: local consultations (never leave the bot), audit trail and the
 * outbox for the municipal API, changed together in one transaction.
 */
import { randomInt, randomUUID } from 'node:crypto';
import {
  type Actor,
  type ConsultationCount,
  type ConsultationFilter,
  type ConsultationPage,
  type ConsultationRepository,
  type ConsultationStats,
  type ConsultationStatus,
  type LocalConsultation,
  type NewConsultation,
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
  ConsultationStats & {
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
         stap, actie, maand, doc, created_at, updated_at, version, client_ref)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
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
            const record = buildRecord(created, secret, { recordId });
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
      patch: Partial<Pick<LocalConsultation, 'status' | 'assigneeId' | 'assigneeName' | 'overlegGevraagd' | 'urgentie' | 'bereikbaarheid' | 'contactRol'>>,
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
        const at = now().toISOString();
        const clean = cleanStrings(Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
        const next: LocalConsultation = { ...current, ...clean, updatedAt: at, version: expectedVersion + 1 };
        const changed = await tx.execute(
          `UPDATE consultations SET status = $3, urgentie = $4, assignee_id = $5, doc = $6, updated_at = $7, version = $8
           WHERE nummer = $1 AND version = $2`,
          [nummer, expectedVersion, next.status, next.urgentie, next.assigneeId, JSON.stringify(next), at, next.version],
        );
        // Someone else changed it between our read and write (PostgreSQL, concurrent transactions).
        if (changed !== 1) return null;
        const statusChanged = next.status !== current.status;
        // The municipal record follows its consultation: status, overleg requested and urgentie (structured only).
        const overlegChanged = next.overlegGevraagd !== current.overlegGevraagd || (next.urgentie ?? null) !== (current.urgentie ?? null);
        await writeAudit(tx, nummer, next.version, at, actor, action, current.status, next.status);
        if (statusChanged || overlegChanged) {
          const recordId = rows[0].record_id;
          const payload = { kind: 'status' as const, recordId, status: next.status, overlegGevraagd: next.overlegGevraagd, urgentie: next.urgentie ?? null };
          await enqueueOutbox(tx, { recordId, seq: next.version, payload }, now());
        }
        return next;
      });
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
      const rows = await db.query<{ maand: string; gemeente: string | null; doelgroep: string | null; stap: number; actie: string; status: ConsultationStatus; aantal: number }>(
        `SELECT maand, gemeente, doelgroep, stap, actie, status, COUNT(*) AS aantal FROM consultations
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         GROUP BY maand, gemeente, doelgroep, stap, actie, status`,
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
        aantal: Number(r.aantal),
      }))
        .sort(compareCounts);
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
