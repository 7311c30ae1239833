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
/** Stap 5 outcome with which a consultation is closed (afgerond): the two decisions of the meldcode, as codes. */
export const UITKOMSTEN = ['gemeld-veilig-thuis', 'hulp-georganiseerd', 'afgesloten-zonder-zorgen', 'doorverwezen'] as const;
export type Uitkomst = (typeof UITKOMSTEN)[number];
/** A closed consultation can be reopened within this many days of closing. */
export const REOPEN_DAYS = 30;

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
  /** Stap 5 outcome once closed (afgerond); null/absent while open. */
  uitkomst?: Uitkomst | null;
  /** When it was closed (ISO); null/absent while open. Local only: the municipality gets the month. */
  afgerondOp?: string | null;
  /** Last time the follow-up nudge was sent (ISO), for "at most one per week". */
  nudgedAt?: string | null;
}

/** The fields a compare-and-set update may change. */
export type ConsultationPatch = Partial<
  Pick<
    LocalConsultation,
    'status' | 'assigneeId' | 'assigneeName' | 'overlegGevraagd' | 'urgentie' | 'bereikbaarheid' | 'contactRol' | 'case' | 'advice' | 'uitkomst' | 'afgerondOp' | 'nudgedAt'
  >
>;

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
    patch: ConsultationPatch,
    actor: Actor,
    action: string,
  ): Promise<LocalConsultation | null>;
  audit(nummer: string): Promise<Array<{ at: string; actorId: string; action: string; from: string | null; to: string | null }>>;
}

/** The consultation's life beside the plain repository: history (codes and dates) and follow-up nudges. */
export interface ConsultationLifecycle {
  history(nummer: string): Promise<Array<{ at: string; version: number; event: string }>>;
  /** Open / in-overleg ones that did not move since `movedBefore` and were not nudged since `nudgedBefore` (never 112). */
  stale(movedBefore: string, nudgedBefore: string, limit?: number): Promise<LocalConsultation[]>;
  /** Compare-and-set claim of one nudge; true when this caller may send it. */
  claimNudge(nummer: string, nudgedBefore: string, at: string): Promise<boolean>;
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
  /** Stap 5 outcome for closed ones (absent otherwise). */
  uitkomst?: Uitkomst | null;
  /** `YYYY-MM` in which closed ones were closed (absent otherwise). */
  afgerondMaand?: string | null;
  aantal: number;
}

/** Time spent per meldcode step (aggregated over consultations, from their history): how long a step lasted. */
export interface StepDuration {
  stap: number;
  /** Number of completed stays at this step (a later step was reached or the consultation was closed). */
  aantal: number;
  /** Average and median days, one decimal. */
  gemiddeldDagen: number;
  mediaanDagen: number;
}

export interface ConsultationStats {
  /** Aggregates over all consultations matching the filter (status/requester/cursor ignored). */
  counts(filter: { gemeenten?: string[]; from?: string; to?: string }): Promise<ConsultationCount[]>;
  /** Time per step over the consultations created in [from, to] (months) in these gemeenten. Aggregates only. */
  stepDurations?(filter: { gemeenten?: string[]; from?: string; to?: string }): Promise<StepDuration[]>;
}

/**
 * Conversation references for proactive messages (issue 4). Stored as opaque JSON (a botbuilder
 * ConversationReference) keyed by Teams user id (aadObjectId when present, else from.id).
 */
export interface ConversationRefStore {
  save(userId: string, ref: Record<string, unknown>): Promise<void>;
  get(userId: string): Promise<Record<string, unknown> | null>;
}
