/** zod schema of the policy file (policy/meldwijzer.json). Pure: no botbuilder, no HTTP. */
import { z } from 'zod';
import { Expression } from 'adaptive-expressions';
import { normaliseLoose } from '../normalise';
import { AANDACHTSPUNTEN, ACTIES, AFWEGING_KEYS, ROUTE_ACTIES, DOELGROEPEN, MELDNORMEN, SECTORS, VORMEN, GemeenteCode, Rol, SignaalCode } from '../types';

export const LocalText = z.object({ nl: z.string().min(1), en: z.string().min(1) }).strict();

/** An adaptive-expressions condition; must parse at load time so a typo is caught by `policy check`. */
const Condition = z.string().min(1).superRefine((src, ctx) => {
  try {
    Expression.parse(src);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `ongeldige voorwaarde: ${(err as Error).message}` });
  }
});

export const PolicyContact = z
  .object({
    rol: Rol,
    naam: LocalText,
    telefoon: z.string().regex(/^[0-9+\- ]{3,20}$/).nullable(),
    bereikbaarheid: LocalText.optional(),
    /** Teams users (aadObjectId) who handle overleg requests for this role, and deputies. Filled in by the municipality. */
    teams: z
      .object({
        userIds: z.array(z.string().min(1)).default([]),
        plaatsvervangers: z.array(z.string().min(1)).default([]),
        /** Optional channel conversation id to post to when no user can be reached. */
        kanaal: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const perCode = <K extends readonly [string, ...string[]]>(keys: K) =>
  z.object(Object.fromEntries(keys.map((k) => [k, LocalText])) as { [P in K[number]]: typeof LocalText }).strict();

const ActionTexts = z.object({ default: LocalText }).catchall(LocalText);
/** A gemeente's own wording for an actie: per sector and/or a default; falls back to the national text. */
const LocalActionTexts = z.object({ default: LocalText.optional() }).catchall(LocalText);

export const PolicySchema = z
  .object({
    $comment: z.string().optional(),
    versie: z.string().min(1),
    stappen: z.object({ '1': LocalText, '2': LocalText, '3': LocalText, '4': LocalText, '5': LocalText }).strict(),
    /** Titles of the routes outside the five steps (112, meldplicht medewerker, Veilig Thuis direct). */
    routes: perCode(ROUTE_ACTIES),
    /** Points to check that an advice can add (e.g. the meldplicht when "weet ik niet" was answered). */
    aandachtspunten: perCode(AANDACHTSPUNTEN),
    afwegingsvragen: perCode(AFWEGING_KEYS),
    acties: z.object(Object.fromEntries(ACTIES.map((a) => [a, ActionTexts])) as { [P in (typeof ACTIES)[number]]: typeof ActionTexts }).strict(),
    meldnormen: perCode(MELDNORMEN),
    kindcheck: LocalText,
    disclaimer: LocalText,
    sectoren: perCode(SECTORS),
    vormen: z
      .array(z.object({ code: z.enum(VORMEN), label: LocalText, trefwoorden: z.array(z.string().min(2)).default([]) }).strict())
      .min(1),
    signalen: z
      .array(
        z
          .object({
            code: SignaalCode,
            doelgroepen: z.array(z.enum(DOELGROEPEN)).min(1),
            categorie: z.string().min(1),
            label: LocalText,
            trefwoorden: z.array(z.string().min(2)).default([]),
          })
          .strict(),
      )
      .min(1),
    contacten: z.object({ nationaal: z.array(PolicyContact).min(1) }).strict(),
    regios: z.array(z.object({ code: z.string().min(1), naam: z.string().min(1), contacten: z.array(PolicyContact) }).strict()),
    gemeenten: z
      .array(
        z
          .object({
            code: GemeenteCode,
            naam: z.string().min(1),
            /** Other names people type for this gemeente ("Den Bosch" for 's-Hertogenbosch, its villages); optional. */
            aliassen: z.array(z.string().min(2).max(60)).max(50).optional(),
            regio: z.string().min(1).optional(),
            contacten: z.array(PolicyContact),
            /** Local wording of actie texts (e.g. a local arrangement such as Heerde's gezinscoach); only for this gemeente. */
            acties: z.object(Object.fromEntries(ACTIES.map((a) => [a, LocalActionTexts.optional()])) as { [P in (typeof ACTIES)[number]]: z.ZodOptional<typeof LocalActionTexts> }).strict().optional(),
          })
          .strict(),
      )
      .min(1),
    routering: z
      .array(
        z
          .object({
            id: z.string().min(1),
            gemeenten: z.array(GemeenteCode).optional(),
            wanneer: Condition,
            rollen: z.array(Rol).min(1),
            stop: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1),
    overlegRoutering: z
      .array(z.object({ id: z.string().min(1), gemeenten: z.array(GemeenteCode).optional(), wanneer: Condition, rol: Rol }).strict())
      .min(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    const regios = new Set(p.regios.map((r) => r.code));
    const seen = new Set<string>();
    p.gemeenten.forEach((g, i) => {
      if (seen.has(g.code)) ctx.addIssue({ code: 'custom', path: ['gemeenten', i, 'code'], message: `gemeente ${g.code} staat dubbel in de policy` });
      seen.add(g.code);
      if (g.regio && !regios.has(g.regio)) ctx.addIssue({ code: 'custom', path: ['gemeenten', i, 'regio'], message: `onbekende regio ${g.regio}` });
    });
    // A typed name must lead to one gemeente: an alias may not be another gemeente's name or alias.
    const names = new Map<string, string>();
    p.gemeenten.forEach((g, i) => {
      [g.naam, ...(g.aliassen ?? [])].forEach((name, j) => {
        const key = normaliseLoose(name);
        const owner = names.get(key);
        if (owner !== undefined && owner !== g.code) {
          ctx.addIssue({ code: 'custom', path: j === 0 ? ['gemeenten', i, 'naam'] : ['gemeenten', i, 'aliassen', j - 1], message: `naam of alias "${name}" hoort ook bij ${owner}` });
        }
        names.set(key, g.code);
      });
    });
    const signalCodes = new Set<string>();
    p.signalen.forEach((s, i) => {
      if (signalCodes.has(s.code)) ctx.addIssue({ code: 'custom', path: ['signalen', i, 'code'], message: `signaal ${s.code} staat dubbel` });
      signalCodes.add(s.code);
    });
    for (const rol of ['112', 'veilig-thuis'] as const) {
      if (!p.contacten.nationaal.some((c) => c.rol === rol)) ctx.addIssue({ code: 'custom', path: ['contacten', 'nationaal'], message: `landelijk contact ${rol} ontbreekt` });
    }
  });

export type Policy = z.infer<typeof PolicySchema>;
export type PolicyContact = z.infer<typeof PolicyContact>;
export type LocalText = z.infer<typeof LocalText>;
