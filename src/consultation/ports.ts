/**
 * Ports for the consultation lifecycle, shared by the bot (dialogs), the requests/notifications
 * service and the coordinator tab. Implemented in src/consultation/repository.ts (storage + outbox).
 * No botbuilder, no HTTP.
 */
import type { Advice, CaseInput, Doelgroep, Rol } from '../meldcode/types';

export const CONSULTATION_STATUSES = ['open', 'in-behandeling', 'afgerond', 'ingetrokken'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

/** Unambiguous alphabet for consultation numbers: no 0/O, 1/I/L. */
export const NUMMER_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** The one consultation-number pattern (MW- and six characters of the alphabet), wherever a number comes in. */
export const NUMMER_PATTERN = /^MW-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/;
export const URGENTIES = ['vandaag', 'deze-week', 'geen-haast'] as const;
export type Urgentie = (typeof URGENTIES)[number];
export const BEREIKBAARHEID = ['teams-chat', 'teams-bellen', 'telefoon'] as const;
export type Bereikbaarheid = (typeof BEREIKBAARHEID)[number];

/** What the bot keeps locally about a consultation. Never leaves the bot: the municipal API gets the anonymised record. */
export interface LocalConsultation {
  /** Human-readable consultation number, e.g. `MW-7K3Q9P`. Safe to show in Teams. */
  nummer: string;
  status: ConsultationStatus;
  case: CaseInput;
  advice: Advice;
  /** True when the requester asked for a consultation (overleg) with the aandachtsfunctionaris. */
  overlegGevraagd: boolean;
  urgentie: Urgentie | null;
  bereikbaarheid: Bereikbaarheid | null;
  /** Routed contact role for the overleg, e.g. `aandachtsfunctionaris-jeugd`. */
  contactRol: Rol | null;
  /** Teams user id (aadObjectId when present, else from.id) of the requester. Local only. */
  requesterId: string;
  /** Teams user id of the person who picked it up. Local only. */
  assigneeId: string | null;
  assigneeName: string | null;
  /** Anonymised short note (already passed the anonymiser), or null. */
  note: string | null;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency version, incremented on every change. */
  version: number;
}

export interface NewConsultation {
  case: CaseInput;
  advice: Advice;
  requesterId: string;
  overlegGevraagd?: boolean;
  urgentie?: Urgentie | null;
  bereikbaarheid?: Bereikbaarheid | null;
  contactRol?: Rol | null;
  /** Free text note: the repository runs it through the anonymiser again before storing. */
  note?: string | null;
  /**
   * Idempotency key of the caller (e.g. the dialog run id): a second create with the same key returns the
   * consultation stored the first time and enqueues nothing.
   */
  clientRef?: string | null;
}

export interface ConsultationFilter {
  status?: ConsultationStatus[];
  gemeenten?: string[];
  doelgroep?: Doelgroep;
  urgentie?: Urgentie;
  requesterId?: string;
  /** Opaque cursor from a previous page. */
  cursor?: string | null;
  limit?: number;
}

export interface ConsultationPage {
  items: LocalConsultation[];
  nextCursor: string | null;
}

export interface Actor {
  userId: string;
  name?: string;
}

export interface ConsultationRepository {
  /** Stores the consultation and enqueues its anonymised record in the outbox, in one transaction (idempotent per clientRef). */
  create(input: NewConsultation): Promise<LocalConsultation>;
  get(nummer: string): Promise<LocalConsultation | null>;
  /** Newest first. */
  list(filter: ConsultationFilter): Promise<ConsultationPage>;
  /**
   * Compare-and-set change: applies only when the stored version equals expectedVersion.
   * Writes an audit entry and enqueues the status update for the municipal API in the same transaction.
   * Returns the new state, or null when someone else changed it first.
   */
  update(
    nummer: string,
    expectedVersion: number,
    patch: Partial<Pick<LocalConsultation, 'status' | 'assigneeId' | 'assigneeName' | 'overlegGevraagd' | 'urgentie' | 'bereikbaarheid' | 'contactRol'>>,
    actor: Actor,
    action: string,
  ): Promise<LocalConsultation | null>;
  audit(nummer: string): Promise<Array<{ at: string; actorId: string; action: string; from: string | null; to: string | null }>>;
}

/** One aggregated bucket for monitoring (no identifiers): counts per month × gemeente × doelgroep × step × actie × status. */
export interface ConsultationCount {
  /** `YYYY-MM` of creation. */
  maand: string;
  gemeente: string | null;
  doelgroep: Doelgroep | null;
  stap: number;
  actie: string;
  status: ConsultationStatus;
  aantal: number;
}

export interface ConsultationStats {
  /** Aggregates over all consultations matching the filter (status/requester/cursor ignored). */
  counts(filter: { gemeenten?: string[]; from?: string; to?: string }): Promise<ConsultationCount[]>;
}

/**
 * Conversation references for proactive messages (issue 4). Stored as opaque JSON (a botbuilder
 * ConversationReference) keyed by Teams user id (aadObjectId when present, else from.id).
 */
export interface ConversationRefStore {
  save(userId: string, ref: Record<string, unknown>): Promise<void>;
  get(userId: string): Promise<Record<string, unknown> | null>;
}
