/**
 * The advice engine: a consultation case ─► meldcode step, actie, meldnorm, kindcheck and contacts.
 * Pure TypeScript (no botbuilder, no HTTP); routing comes from the policy (adaptive-expressions).
 *
 * Precedence: acute danger, then the employee route (onderwijs/kinderopvang), then the forms that go to
 * Veilig Thuis first (eergerelateerd geweld, huwelijksdwang, VGV, and seksueel geweld as acute onveiligheid) and
 * disclosure, then the answered afwegingsvragen in order, then the first
 * meldcode step not yet done.
 */
import { Expression } from 'adaptive-expressions';
import type { Policy, PolicyContact } from './policy/schema';
import { localText, resolveContact } from './policy';
import {
  ACUTE_VORMEN,
  ROUTE_ACTIES,
  VEILIG_THUIS_DIRECT_VORMEN,
  type Aandachtspunt,
  type Actie,
  type Advice,
  type AfwegingKey,
  type CaseInput,
  type Contact,
  type Language,
  type Meldnorm,
  type Rol,
  type RouteActie,
} from './types';

type Stap = 1 | 2 | 3 | 4 | 5;
interface Decision {
  stap: Stap;
  actie: Actie;
  meldnorm: Meldnorm | null;
}

/** Sectors whose professionals work with children themselves; the employee route applies only here. */
const CHILD_SECTORS = new Set(['onderwijs', 'kinderopvang']);
export function isChildSector(sector: string | undefined): boolean {
  return sector !== undefined && CHILD_SECTORS.has(sector);
}

/** First meldcode step not yet done (1..5); 5 when all are done. */
export function firstOpenStep(input: CaseInput): Stap {
  const done = new Set(input.stappenGedaan ?? []);
  for (const s of [1, 2, 3, 4, 5] as const) if (!done.has(s)) return s;
  return 5;
}

/**
 * Walks the afwegingskader over the answers given so far. Returns the conclusion when the answers reach
 * one (a terminal, or "hulp bieden" while afweging 5 is still open), else null.
 */
export function afwegingConclusion(input: CaseInput): Decision | null {
  const a = input.afweging ?? {};
  if (a.vermoeden === false) return { stap: 4, actie: 'afsluiten', meldnorm: null };
  if (a.vermoeden !== true) return null;
  if (a.onveilig === true) return { stap: 5, actie: 'melden', meldnorm: 'acuut-of-structureel' };
  if (a.onveilig !== false) return null;
  if (a.zelfHulp === false) return { stap: 5, actie: 'melden', meldnorm: 'onvoldoende-hulp' };
  if (a.zelfHulp !== true) return null;
  if (a.hulpAanvaard === false) return { stap: 5, actie: 'melden', meldnorm: 'hulp-niet-aanvaard' };
  if (a.hulpAanvaard !== true) return null;
  if (a.resultaat === false) return { stap: 5, actie: 'melden', meldnorm: 'geen-resultaat' };
  if (a.resultaat === true) return { stap: 5, actie: 'afsluiten-met-afspraken', meldnorm: null };
  return { stap: 5, actie: 'hulp-organiseren', meldnorm: null };
}

/**
 * The next afwegingsvraag to ask, following the chain: null when a conclusion that ends the chain is
 * reached (afsluiten, melden, afsluiten-met-afspraken). After "hulp aanvaard = ja" the fifth question is
 * still asked, because it is answered later, when the help has run.
 */
export function nextAfwegingsvraag(input: CaseInput): AfwegingKey | null {
  const a = input.afweging ?? {};
  const path: Array<[AfwegingKey, boolean]> = [
    ['vermoeden', true],
    ['onveilig', false],
    ['zelfHulp', true],
    ['hulpAanvaard', true],
    ['resultaat', true],
  ];
  for (const [key, continueOn] of path) {
    const v = a[key];
    if (v === null || v === undefined) return key;
    if (v !== continueOn) return null;
  }
  return null;
}

function decide(input: CaseInput): Decision {
  const open = firstOpenStep(input);
  if (input.acuutGevaar === true) return { stap: open, actie: '112', meldnorm: 'acuut-of-structureel' };
  if (input.plegerIsMedewerker === true && isChildSector(input.sector)) {
    return { stap: open, actie: 'meldplicht-medewerker', meldnorm: null };
  }
  const vormen = input.vormen ?? [];
  if (vormen.some((v) => (VEILIG_THUIS_DIRECT_VORMEN as readonly string[]).includes(v))) {
    const acuut = input.disclosure === true || vormen.some((v) => (ACUTE_VORMEN as readonly string[]).includes(v));
    return { stap: 2, actie: 'veilig-thuis-direct', meldnorm: acuut ? 'acuut-of-structureel' : null };
  }
  if (input.disclosure === true) return { stap: 5, actie: 'melden', meldnorm: 'acuut-of-structureel' };
  const concluded = afwegingConclusion(input);
  if (concluded) return concluded;
  const stepActions: Record<Stap, Actie> = { 1: 'signalen-in-kaart', 2: 'collega-raadplegen', 3: 'gesprek', 4: 'wegen', 5: 'wegen' };
  // Steps 1–3 done but step 4 not ticked: weighing is what comes next.
  return { stap: open, actie: stepActions[open], meldnorm: null };
}

/** The actie the engine would advise now (without contacts and texts: cheap enough for every turn). */
export function adviceActie(input: CaseInput): Actie {
  return decide(input).actie;
}

/** The kindcheck is due when the professional works with an adult client (partner or other adult). */
export function kindcheckDue(input: CaseInput, actie: Actie): boolean {
  if (actie === 'meldplicht-medewerker') return false;
  if (input.doelgroep !== 'partner' && input.doelgroep !== 'volwassene') return false;
  return !isChildSector(input.sector);
}

/** Is this actie a route outside the five meldcode steps (titled as the route, not as "Stap N")? */
export function isRouteActie(actie: Actie): actie is RouteActie {
  return (ROUTE_ACTIES as readonly string[]).includes(actie);
}

/**
 * Points to check besides the action: the meldplicht (and the vertrouwensinspecteur) when the professional does
 * not know whether the pleger is an employee (in onderwijs/kinderopvang, or sector unknown); the Centrum Seksueel
 * Geweld when sexual violence is involved (acute within 7 days).
 */
export function aandachtspunten(input: CaseInput, actie: Actie): Aandachtspunt[] {
  const out: Aandachtspunt[] = [];
  const childSector = input.sector === undefined || CHILD_SECTORS.has(input.sector);
  if (input.plegerIsMedewerker === null && childSector && actie !== '112' && actie !== 'meldplicht-medewerker') out.push('meldplicht-controleren');
  if ((input.vormen ?? []).includes('seksueel')) out.push('centrum-seksueel-geweld');
  return out;
}

/** Variables visible to routing conditions. Unknown fields are null / empty lists, never undefined. */
function routingScope(input: CaseInput, decision: Decision, aantalLokaal: number) {
  return {
    casus: {
      gemeente: input.gemeente ?? null,
      sector: input.sector ?? null,
      doelgroep: input.doelgroep ?? null,
      leeftijdsgroep: input.leeftijdsgroep ?? null,
      acuutGevaar: input.acuutGevaar ?? null,
      plegerIsMedewerker: input.plegerIsMedewerker ?? null,
      disclosure: input.disclosure ?? null,
      signalen: input.signalen ?? [],
      vormen: input.vormen ?? [],
      stappenGedaan: input.stappenGedaan ?? [],
    },
    advies: { stap: decision.stap, actie: decision.actie, meldnorm: decision.meldnorm, route: isRouteActie(decision.actie), aandachtspunten: aandachtspunten(input, decision.actie) },
    aantalLokaal,
  };
}

const parsed = new Map<string, Expression>();
function evaluate(condition: string, scope: object): boolean {
  let expr = parsed.get(condition);
  if (!expr) {
    expr = Expression.parse(condition);
    parsed.set(condition, expr);
  }
  const { value, error } = expr.tryEvaluate(scope);
  return !error && value === true;
}

function toContact(c: PolicyContact, lang: Language): Contact {
  return {
    rol: c.rol,
    naam: localText(c.naam, lang),
    telefoon: c.telefoon,
    ...(c.bereikbaarheid ? { bereikbaarheid: localText(c.bereikbaarheid, lang) } : {}),
  };
}

/** Contacts for a decision: routing rules in policy order; each role resolves gemeente → regio → national. */
export function routeContacts(input: CaseInput, decision: Decision, policy: Policy, lang: Language): Contact[] {
  const out: Contact[] = [];
  const seen = new Set<Rol>();
  let aantalLokaal = 0;
  for (const rule of policy.routering) {
    if (rule.gemeenten && (!input.gemeente || !rule.gemeenten.includes(input.gemeente))) continue;
    if (!evaluate(rule.wanneer, routingScope(input, decision, aantalLokaal))) continue;
    for (const rol of rule.rollen) {
      if (seen.has(rol)) continue;
      const resolved = resolveContact(policy, input.gemeente, rol);
      if (!resolved) continue;
      seen.add(rol);
      if (resolved.level === 'gemeente') aantalLokaal++;
      out.push(toContact(resolved.contact, lang));
    }
    if (rule.stop) break;
  }
  return out;
}

/** The role that handles an overleg (consultation request) for this case, by gemeente + doelgroep. */
export function routeOverleg(input: CaseInput, policy: Policy): Rol {
  const decision = decide(input);
  for (const rule of policy.overlegRoutering) {
    if (rule.gemeenten && (!input.gemeente || !rule.gemeenten.includes(input.gemeente))) continue;
    if (evaluate(rule.wanneer, routingScope(input, decision, 0))) return rule.rol;
  }
  return 'aandachtsfunctionaris';
}

/**
 * What to do now for this actie, in the words of the user's sector and gemeente: the gemeente's own wording
 * (`gemeenten[].acties`, sector then default) first, then the national text (sector then default). A local
 * arrangement (e.g. Heerde's gezinscoach) therefore never shows up for another gemeente.
 */
export function actionText(policy: Policy, actie: Actie, sector: string | undefined, lang: Language, gemeente?: string): string {
  const local = (gemeente ? policy.gemeenten.find((g) => g.code === gemeente)?.acties?.[actie] : undefined) as Record<string, { nl: string; en: string } | undefined> | undefined;
  const texts = policy.acties[actie] as Record<string, { nl: string; en: string }>;
  const chosen = (sector && local?.[sector]) || local?.default || (sector && texts[sector]) || texts.default!;
  return localText(chosen, lang);
}

/** Title of an advice: the route's own title for routes outside the steps, else "Stap N: <step title>". */
export function adviceTitle(advice: Pick<Advice, 'stap' | 'actie'>, policy: Policy, lang: Language): string {
  if (isRouteActie(advice.actie)) return localText(policy.routes[advice.actie], lang);
  return `${lang === 'en' ? 'Step' : 'Stap'} ${advice.stap}: ${stepTitle(policy, advice.stap, lang)}`;
}

export function aandachtspuntText(policy: Policy, punt: Aandachtspunt, lang: Language): string {
  return localText(policy.aandachtspunten[punt], lang);
}

export function stepTitle(policy: Policy, stap: number, lang: Language): string {
  return localText(policy.stappen[String(stap) as '1'], lang);
}

export function afwegingsvraagText(policy: Policy, key: AfwegingKey, lang: Language): string {
  return localText(policy.afwegingsvragen[key], lang);
}

/** The advice for a case. Never a verdict: the text always ends with the reminder that the professional decides. */
export function advise(input: CaseInput, policy: Policy, lang: Language = 'nl'): Advice {
  const decision = decide(input);
  const kindcheck = kindcheckDue(input, decision.actie);
  const contacten = routeContacts(input, decision, policy, lang);
  const punten = aandachtspunten(input, decision.actie);
  const titel = adviceTitle(decision, policy, lang);
  const actieTekst = actionText(policy, decision.actie, input.sector, lang, input.gemeente);
  const parts: string[] = [];
  parts.push(`${titel}.`);
  parts.push(actieTekst);
  if (decision.meldnorm) parts.push(localText(policy.meldnormen[decision.meldnorm], lang));
  for (const p of punten) parts.push(aandachtspuntText(policy, p, lang));
  if (kindcheck) parts.push(localText(policy.kindcheck, lang));
  parts.push(localText(policy.disclaimer, lang));
  return {
    stap: decision.stap,
    actie: decision.actie,
    meldnorm: decision.meldnorm,
    kindcheck,
    ...(punten.length ? { aandachtspunten: punten } : {}),
    contacten,
    titel,
    actieTekst,
    tekst: parts.join(' '),
  };
}

