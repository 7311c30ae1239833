/**
 * Offline understanding of free Dutch (and some English) text at the start of a conversation: the intent
 * and what can be pre-filled in the case. Keyword rules with the policy's trefwoorden; no cloud AI. The slots are
 * filled with the same parsers as the typed answers to the questions (answers.ts).
 * Pure: no botbuilder, no HTTP.
 */
import type { Policy } from './policy/schema';
import type { CaseInput } from './types';
import { normalise, words } from './normalise';
import { findAgeIn, findDoelgroepIn, findGemeenteIn, findSectorIn, findSignalsIn, isDisclosure } from './answers';

/** Kept here for existing imports; the normalisation lives in normalise.ts. */
export { normalise };

export type NluIntent = 'start' | 'help' | 'stop' | 'opnieuw' | 'overleg' | 'open-consultaties' | 'unknown';
export interface NluResult {
  intent: NluIntent;
  prefill: Partial<CaseInput>;
  /** 0..1: how sure the intent is. */
  confidence: number;
}

/** Normalised keywords, computed once per keyword (keyword lists are static: code constants and the policy). */
const keywordCache = new Map<string, string>();
function normalisedKeyword(keyword: string): string {
  let k = keywordCache.get(keyword);
  if (k === undefined) {
    k = normalise(keyword.replace(/\*$/, '')).trim();
    if (keywordCache.size < 10_000) keywordCache.set(keyword, k);
  }
  return k;
}

/** Whole-word (prefix allowed when the keyword ends with `*`) match on normalised text. */
function has(n: string, keyword: string): boolean {
  const k = normalisedKeyword(keyword);
  if (!k) return false;
  if (keyword.endsWith('*')) return n.includes(` ${k}`);
  return n.includes(` ${k} `);
}
const any = (n: string, words: string[]) => words.some((w) => has(n, w));

const STOP = ['stop', 'stoppen', 'annuleer', 'annuleren', 'cancel', 'quit', 'afbreken'];
const RESTART = ['opnieuw', 'begin opnieuw', 'opnieuw beginnen', 'restart', 'start over', 'reset'];
const HELP = ['help', 'hulp nodig bij de bot', 'uitleg', 'wat kun je', 'wat kan je', 'hoe werkt dit', 'hoe werkt het', '?'];
const OVERLEG = ['aandachtsfunctionaris spreken', 'aandachtsfunctionaris raadplegen', 'overleg aanvragen', 'overleg met de aandachtsfunctionaris', 'consultatie aanvragen', 'aandachtsfunctionaris', 'procescoordinator', 'request consultation', 'overleg'];
const OPEN_LIST = ['open consultaties', 'openstaande consultaties', 'open consultations', 'consultaties', 'lijst'];
const START = [
  'start', 'begin', 'beginnen', 'niet pluis', 'niet-pluis', 'niet pluisgevoel', 'niet-pluisgevoel', 'pluisgevoel', 'zorgen', 'zorg*', 'vermoeden',
  'signaal', 'signalen', 'meldcode', 'mishandel*', 'geweld', 'huiselijk', 'verwaarloos*', 'onveilig', 'melden', 'leerling', 'kind', 'worried', 'concern*', 'abuse',
];

/** Phrases that name a colleague or employee as the suspected perpetrator (not: "overleggen met een collega"). */
const MEDEWERKER = ['door een collega', 'door een medewerker', 'door de juf', 'door de meester', 'door een leraar', 'door de leraar', 'door een docent', 'door de docent', 'door de leerkracht', 'door een leerkracht', 'door de gymleraar', 'door een pedagogisch medewerker', 'collega slaat', 'collega misbruikt', 'medewerker slaat', 'medewerker misbruikt', 'pleger is een collega', 'pleger is een medewerker'];

export function understand(text: string, policy: Policy): NluResult {
  const n = normalise(text.slice(0, 4000));
  const trimmed = n.trim();
  const prefill: Partial<CaseInput> = {};
  if (text.trim() === '?') return { intent: 'help', prefill, confidence: 1 };
  if (!trimmed) return { intent: 'unknown', prefill, confidence: 0 };

  // Commands first: short texts that are exactly a command.
  if (STOP.includes(trimmed)) return { intent: 'stop', prefill, confidence: 1 };
  if (RESTART.some((w) => trimmed === normalisedKeyword(w))) return { intent: 'opnieuw', prefill, confidence: 1 };
  if (HELP.includes(trimmed) || trimmed === 'help me' || trimmed === 'hulp') return { intent: 'help', prefill, confidence: 1 };
  if (OPEN_LIST.slice(0, 3).some((w) => has(n, w))) return { intent: 'open-consultaties', prefill, confidence: 0.9 };

  // The same parsers as the questions, so the first message fills every slot it can.
  const w = words(text.slice(0, 4000));
  const doelgroep = findDoelgroepIn(w);
  // Free text: a number is an age only with a unit ("14 jaar", "14-jarige") or as "een leerling van 14". A child's
  // age in years makes the doelgroep a child; a place ("basisschool") only gives the age of a child already named.
  const age = findAgeIn(w);
  const childAge = age && (age.band === '0-3' || age.band === '4-11' || age.band === '12-17') ? age : undefined;
  if (doelgroep) prefill.doelgroep = doelgroep;
  else if (childAge?.byNumber) prefill.doelgroep = 'kind';
  if (prefill.doelgroep === 'kind' && childAge) prefill.leeftijdsgroep = childAge.band;
  const sector = findSectorIn(w, policy);
  if (sector) prefill.sector = sector;
  const gemeente = findGemeenteIn(w, policy);
  if (gemeente) prefill.gemeente = gemeente;

  const { signalen, vormen } = findSignalsIn(w, policy, prefill.doelgroep);
  if (signalen.length) prefill.signalen = signalen;
  if (vormen.length) prefill.vormen = vormen;
  // Only an explicit telling of violence or abuse ("hij vertelde dat vader hem slaat"), not "zegt dat papa boos was".
  if (isDisclosure(w)) prefill.disclosure = true;
  if (any(n, MEDEWERKER) && (prefill.sector === 'onderwijs' || prefill.sector === 'kinderopvang')) prefill.plegerIsMedewerker = true;

  const prefilled = Object.keys(prefill).length;
  if (any(n, OVERLEG) && !any(n, ['niet pluis', 'niet-pluis'])) return { intent: 'overleg', prefill, confidence: 0.8 };
  if (any(n, START) || prefilled > 0) return { intent: 'start', prefill, confidence: prefilled > 0 ? 0.9 : 0.7 };
  if (any(n, HELP)) return { intent: 'help', prefill, confidence: 0.6 };
  return { intent: 'unknown', prefill, confidence: 0 };
}
