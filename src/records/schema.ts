/**
 * The anonymised consultation record: what the bot sends to the municipal API and what the API stores.
 * Shared by bot and API. Only structured, generalised fields; no names, dates, addresses, Teams ids and no free text
 * at all (data minimisation: the professional's note stays in the bot's own store, see `NOTE_MAX`). `.strict()`
 * everywhere, so an unknown field is a validation error rather than silently stored (the API answers 422 when an
 * unknown field carries text).
 */
import { z } from 'zod';
import { CONSULTATION_STATUSES, UITKOMSTEN, URGENTIES, type ConsultationStatus } from '../consultation/ports';
import {
  Actie,
  Afweging,
  Doelgroep,
  GemeenteCode,
  Leeftijdsgroep,
  Meldnorm,
  Rol,
  ROLLEN,
  Sector,
  SignaalCode,
  Stap,
  VORMEN,
  Vorm,
} from '../meldcode/types';

export const RecordStatus = z.enum(CONSULTATION_STATUSES);
export const RecordUrgentie = z.enum(URGENTIES);
/** Stap 5 outcome of a closed consultation. */
export const RecordUitkomst = z.enum(UITKOMSTEN);
/** `YYYY-MM`: the month of creation, never a date. */
export const Maand = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'maand moet de vorm JJJJ-MM hebben');
/** HMAC-SHA256 (hex) of the requester's Teams id with the bot's secret: stable per requester, not reversible. */
export const Pseudoniem = z.string().regex(/^[0-9a-f]{64}$/, 'pseudoniem moet een HMAC-SHA256 in hex zijn');
/** Longest scrubbed note kept with the consultation in the bot's store (never sent to the municipality). */
export const NOTE_MAX = 500;

/** The five afwegingsvragen of the case, every key present: null = not answered. */
export const RecordAfweging = Afweging.required();

export const MunicipalRecord = z
  .object({
    /** Random id of the record (uuid). Not the bot's consultation number: the municipality cannot link to Teams. */
    recordId: z.uuid(),
    gemeente: GemeenteCode.nullable(),
    sector: Sector.nullable(),
    doelgroep: Doelgroep.nullable(),
    leeftijdsgroep: Leeftijdsgroep.nullable(),
    signalen: z.array(SignaalCode).max(100),
    vormen: z.array(Vorm).max(VORMEN.length),
    acuutGevaar: z.boolean().nullable(),
    plegerIsMedewerker: z.boolean().nullable(),
    disclosure: z.boolean().nullable(),
    stappenGedaan: z.array(Stap).max(5),
    afweging: RecordAfweging,
    /** Advised step / action / reporting norm. */
    stap: Stap,
    actie: Actie,
    meldnorm: Meldnorm.nullable(),
    /** Contact roles (codes, never people). */
    contactRollen: z.array(Rol).max(ROLLEN.length),
    overlegGevraagd: z.boolean(),
    urgentie: RecordUrgentie.nullable(),
    status: RecordStatus,
    maand: Maand,
    aanvragerPseudoniem: Pseudoniem,
    /**
     * Version of the record (the consultation's version when it was sent; 1 at creation). Later versions arrive as
     * PATCH with `versie`; an older or equal versie is acknowledged and ignored, so each version applies exactly once.
     */
    versie: z.number().int().min(1).optional(),
    /** Stap 5 outcome once closed (afgerond), else null. */
    uitkomst: RecordUitkomst.nullable().optional(),
    /** `YYYY-MM` in which it was closed, else null (month only, never a date). */
    afgerondMaand: Maand.nullable().optional(),
  })
  .strict();
export type MunicipalRecord = z.infer<typeof MunicipalRecord>;

/** Body of `PATCH /api/v1/consultations/{id}`. */
export const StatusPatch = z
  .object({
    status: RecordStatus,
    /** The consultation's overleg was requested after the record was created (structured fields only). */
    overlegGevraagd: z.boolean().optional(),
    urgentie: RecordUrgentie.nullable().optional(),
    /** Version of this change (consultation version). Given: applied only when newer than the stored versie. */
    versie: z.number().int().min(1).optional(),
    /** Step reached (the current advice's step) after the professional moved on. */
    stap: Stap.optional(),
    /** Advised action at that step. */
    actie: Actie.optional(),
    /** Stap 5 outcome when closed; null when reopened. */
    uitkomst: RecordUitkomst.nullable().optional(),
    /** Month of closing; null when reopened. */
    afgerondMaand: Maand.nullable().optional(),
  })
  .strict();
export type StatusPatch = z.infer<typeof StatusPatch>;

/** The consultation's life and its allowed status changes, for bot and API alike: the one table in src/consultation/status.ts. */
export { LIFECYCLE_ACTIONS, NEEDS_UITKOMST, ACTIVE_STATUSES, STATUS_TRANSITIONS, canTransition, type LifecycleAction } from '../consultation/status';
