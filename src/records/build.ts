/** Builds the anonymised municipal record from a local consultation. */
import { createHmac, randomUUID } from 'node:crypto';
import type { LocalConsultation } from '../consultation/ports';
import type { Rol } from '../meldcode/types';
import { anonymise, directIdentifierTypes } from '../privacy';
import { cleanText } from '../privacy/clean';
import { MunicipalRecord, NOTE_MAX } from './schema';

/** HMAC-SHA256(secret, Teams user id) as lowercase hex. Stable per requester; the municipality cannot reverse it. */
export function pseudonymise(requesterId: string, secret: string): string {
  if (!secret) throw new Error('pseudonym secret is required');
  return createHmac('sha256', secret).update(requesterId, 'utf8').digest('hex');
}

/**
 * Runs the professional's note through the anonymiser and trims it to `NOTE_MAX`. Null when nothing is left.
 * The result stays with the consultation in the bot's store; it is never part of the municipal record.
 */
export function scrubNote(note: string | null | undefined): string | null {
  if (note == null) return null;
  // Whitespace first, so the anonymiser sees the text exactly as it will be stored and checked by the API.
  // Control, NUL, lone-surrogate and bidi characters go first (cleanText), so nothing hides from the anonymiser.
  const text = anonymise(cleanText(note).replace(/\s+/g, ' ').trim()).text;
  if (!text) return null;
  let out = text;
  if (text.length > NOTE_MAX) {
    const cut = text.slice(0, NOTE_MAX - 1);
    const space = cut.lastIndexOf(' ');
    out = (space > NOTE_MAX * 0.8 ? cut.slice(0, space) : cut) + '…';
  }
  // A cut can leave a fragment that looks like an identifier: scrub once more rather than have the API refuse it.
  return directIdentifierTypes(out).length ? anonymise(out).text : out;
}

/**
 * The record for the municipal API. `recordId` is the random id stored beside the consultation (a new uuid when
 * omitted); the consultation number, Teams ids, names, assignee, dates and the note never appear in it.
 */
export function buildRecord(local: LocalConsultation, secret: string, opts: { recordId?: string } = {}): MunicipalRecord {
  const c = local.case;
  const rollen = new Set<Rol>();
  for (const contact of local.advice.contacten) rollen.add(contact.rol);
  if (local.contactRol) rollen.add(local.contactRol);
  const record = {
    recordId: opts.recordId ?? randomUUID(),
    gemeente: c.gemeente ?? null,
    sector: c.sector ?? null,
    doelgroep: c.doelgroep ?? null,
    leeftijdsgroep: c.leeftijdsgroep ?? null,
    signalen: [...new Set(c.signalen ?? [])],
    vormen: [...new Set(c.vormen ?? [])],
    acuutGevaar: c.acuutGevaar ?? null,
    plegerIsMedewerker: c.plegerIsMedewerker ?? null,
    disclosure: c.disclosure ?? null,
    stappenGedaan: [...new Set(c.stappenGedaan ?? [])].sort(),
    afweging: {
      vermoeden: c.afweging?.vermoeden ?? null,
      onveilig: c.afweging?.onveilig ?? null,
      zelfHulp: c.afweging?.zelfHulp ?? null,
      hulpAanvaard: c.afweging?.hulpAanvaard ?? null,
      resultaat: c.afweging?.resultaat ?? null,
    },
    stap: local.advice.stap,
    actie: local.advice.actie,
    meldnorm: local.advice.meldnorm ?? null,
    contactRollen: [...rollen].sort(),
    overlegGevraagd: local.overlegGevraagd,
    urgentie: local.urgentie ?? null,
    status: local.status,
    maand: monthOf(local.createdAt),
    aanvragerPseudoniem: pseudonymise(local.requesterId, secret),
  };
  return MunicipalRecord.parse(record);
}

/** `YYYY-MM` (UTC) of an ISO timestamp. */
export function monthOf(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error('invalid timestamp');
  return d.toISOString().slice(0, 7);
}
