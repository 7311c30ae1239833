/**
 * Domain contract of Meldwijzer: the consultation case and the advice.
 * Pure TypeScript + zod: no botbuilder, no HTTP. Shared by the advice engine, the bot,
 * the record builder, the municipal API and the CLI.
 */
import { z } from 'zod';

export const SECTORS = ['onderwijs', 'kinderopvang', 'wmo', 'gezondheidszorg', 'jeugdhulp', 'justitie', 'overig'] as const;
export const DOELGROEPEN = ['kind', 'partner', 'oudere', 'volwassene'] as const;
export const LEEFTIJDSGROEPEN = ['0-3', '4-11', '12-17', '18-64', '65+'] as const;
export const VORMEN = ['eergerelateerd', 'huwelijksdwang', 'vgv', 'seksueel', 'mensenhandel'] as const;
/**
 * Forms for which the meldcode says: contact Veilig Thuis straight away (stap 2: eergerelateerd geweld,
 * huwelijksdwang, VGV) or that it lists as acute onveiligheid (seksueel geweld): Veilig Thuis first.
 */
export const VEILIG_THUIS_DIRECT_VORMEN = ['eergerelateerd', 'huwelijksdwang', 'vgv', 'seksueel'] as const;
/** Of those, the forms the meldcode names as acute onveiligheid in themselves: the meldnorm applies at once. */
export const ACUTE_VORMEN = ['seksueel'] as const;
export const ACTIES = [
  '112',
  'meldplicht-medewerker',
  'veilig-thuis-direct',
  'signalen-in-kaart',
  'collega-raadplegen',
  'gesprek',
  'wegen',
  'melden',
  'hulp-organiseren',
  'afsluiten',
  'afsluiten-met-afspraken',
] as const;
/** Routes outside the five meldcode steps: titled as the route, never as "Stap N". */
export const ROUTE_ACTIES = ['112', 'meldplicht-medewerker', 'veilig-thuis-direct'] as const;
/** Points to check that the advice adds to the action (texts in the policy's `aandachtspunten`). */
export const AANDACHTSPUNTEN = ['meldplicht-controleren', 'centrum-seksueel-geweld'] as const;
export const MELDNORMEN = ['acuut-of-structureel', 'onvoldoende-hulp', 'hulp-niet-aanvaard', 'geen-resultaat'] as const;
export const ROLLEN = [
  '112',
  'veilig-thuis',
  'aandachtsfunctionaris',
  'aandachtsfunctionaris-jeugd',
  'aandachtsfunctionaris-volwassenen-ouderen',
  'vertrouwensinspecteur',
  'centrum-seksueel-geweld',
  'kindertelefoon',
  'gezinscoach',
  'procescoordinator',
  'toegang',
  'sociaal-werker',
  'wijkteam',
] as const;
/** The five afwegingsvragen, in order (keys of `afweging`). */
export const AFWEGING_KEYS = ['vermoeden', 'onveilig', 'zelfHulp', 'hulpAanvaard', 'resultaat'] as const;

export const Sector = z.enum(SECTORS);
export const Doelgroep = z.enum(DOELGROEPEN);
export const Leeftijdsgroep = z.enum(LEEFTIJDSGROEPEN);
export const Vorm = z.enum(VORMEN);
export const Actie = z.enum(ACTIES);
export const Meldnorm = z.enum(MELDNORMEN);
export const Rol = z.enum(ROLLEN);
export const Stap = z.number().int().min(1).max(5);
/** CBS gemeentecode, e.g. GM0246. Unknown codes are allowed: they get national contacts. */
export const GemeenteCode = z.string().regex(/^GM\d{4}$/, 'gemeente moet een CBS-code zijn, bijvoorbeeld GM0246');
/** A signal code from the policy's catalogue (kebab-case). */
export const SignaalCode = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(60);

const answer = z.boolean().nullable().optional();
export const Afweging = z
  .object({
    vermoeden: answer,
    onveilig: answer,
    zelfHulp: answer,
    hulpAanvaard: answer,
    resultaat: answer,
  })
  .strict();

/** One consultation case, as asked by the dialog or given to `meldwijzer advies`. Missing optional = not known. */
export const CaseInput = z
  .object({
    gemeente: GemeenteCode.optional(),
    sector: Sector.optional(),
    doelgroep: Doelgroep.optional(),
    leeftijdsgroep: Leeftijdsgroep.optional(),
    acuutGevaar: z.boolean().optional(),
    /** true / false, or null = "weet ik niet" (the advice then names the meldplicht as something to check). */
    plegerIsMedewerker: z.boolean().nullable().optional(),
    disclosure: z.boolean().optional(),
    signalen: z.array(SignaalCode).max(100).optional(),
    vormen: z.array(Vorm).max(VORMEN.length).optional(),
    stappenGedaan: z.array(Stap).max(5).optional(),
    afweging: Afweging.optional(),
  })
  .strict();

export const Contact = z.object({
  rol: Rol,
  naam: z.string(),
  telefoon: z.string().nullable(),
  /** How/when to reach them (hours, Teams channel hint); optional extra. */
  bereikbaarheid: z.string().optional(),
});

export const Advice = z.object({
  stap: Stap,
  actie: Actie,
  meldnorm: Meldnorm.nullable(),
  kindcheck: z.boolean(),
  /** Points to check besides the action (e.g. the meldplicht when it is not known whether the pleger is an employee). */
  aandachtspunten: z.array(z.enum(AANDACHTSPUNTEN)).optional(),
  contacten: z.array(Contact),
  /** The route's or step's title ("Stap 2: …" or e.g. "Direct naar Veilig Thuis"), in the advice's language. */
  titel: z.string().optional(),
  /** What to do now, in the words of the sector and gemeente (local wording from the gemeente's policy). */
  actieTekst: z.string().optional(),
  tekst: z.string(),
});

export type Sector = z.infer<typeof Sector>;
export type Doelgroep = z.infer<typeof Doelgroep>;
export type Leeftijdsgroep = z.infer<typeof Leeftijdsgroep>;
export type Vorm = z.infer<typeof Vorm>;
export type Actie = z.infer<typeof Actie>;
export type Meldnorm = z.infer<typeof Meldnorm>;
export type Rol = z.infer<typeof Rol>;
export type RouteActie = (typeof ROUTE_ACTIES)[number];
export type Aandachtspunt = (typeof AANDACHTSPUNTEN)[number];
export type Afweging = z.infer<typeof Afweging>;
export type AfwegingKey = (typeof AFWEGING_KEYS)[number];
export type CaseInput = z.infer<typeof CaseInput>;
export type Contact = z.infer<typeof Contact>;
export type Advice = z.infer<typeof Advice>;
export type Language = 'nl' | 'en';
