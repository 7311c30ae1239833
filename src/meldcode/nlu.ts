/**
 * Offline understanding of free Dutch (and some English) text at the start of a conversation: the intent
 * and what can be pre-filled in the case. Keyword rules with the policy's trefwoorden; no cloud AI.
 * Pure: no botbuilder, no HTTP.
 */
import type { Policy } from '../policy/schema';
import type { CaseInput, Doelgroep, Leeftijdsgroep, Sector, Vorm } from './types';

export type NluIntent = 'start' | 'help' | 'stop' | 'opnieuw' | 'overleg' | 'open-consultaties' | 'unknown';
export interface NluResult {
  intent: NluIntent;
  prefill: Partial<CaseInput>;
  /** 0..1: how sure the intent is. */
  confidence: number;
}

/** Lower case, accents removed, punctuation to spaces, single spaces, padded with spaces for word matching. */
export function normalise(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9\- ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return ` ${s} `;
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

const DOELGROEP_WORDS: Array<[Doelgroep, string[]]> = [
  ['kind', ['kind', 'kinderen', 'kindje', 'leerling', 'leerlinge', 'leerlingen', 'baby', 'peuter', 'kleuter', 'zoon', 'dochter', 'meisje', 'jongen', 'puber', 'tiener', 'scholier', 'pupil', 'child']],
  ['oudere', ['oudere', 'ouderen', 'bejaarde', 'oma', 'opa', 'senior', 'ouder echtpaar', 'mantelzorg*', 'elderly']],
  ['partner', ['partner', 'partnergeweld', 'echtgenoot', 'echtgenote', 'vriend slaat', 'vriendin', 'haar man', 'zijn vrouw', 'huwelijk', 'relatie', 'ex-partner']],
  ['volwassene', ['volwassene', 'cliente', 'client', 'bewoner', 'adult']],
];
const AGE_WORDS: Array<[Leeftijdsgroep, string[]]> = [
  ['0-3', ['baby', 'peuter', 'dreumes', 'zuigeling', 'kinderdagverblijf', 'kdv']],
  ['4-11', ['kleuter', 'basisschool', 'groep 1', 'groep 2', 'groep 3', 'groep 4', 'groep 5', 'groep 6', 'groep 7', 'groep 8', 'bso']],
  ['12-17', ['puber', 'tiener', 'middelbare school', 'voortgezet onderwijs', 'brugklas', 'mbo', 'havo', 'vwo', 'vmbo', 'scholier']],
];
const SECTOR_WORDS: Array<[Sector, string[]]> = [
  ['kinderopvang', ['kinderopvang', 'kinderdagverblijf', 'kdv', 'bso', 'gastouder', 'peuterspeelzaal', 'pedagogisch medewerker']],
  ['onderwijs', ['leerkracht', 'juf', 'meester', 'docent', 'leraar', 'lerares', 'school', 'basisschool', 'leerling', 'leerlingen', 'mentor', 'intern begeleider', 'teacher']],
  ['wmo', ['wmo', 'wmo-consulent', 'consulent', 'wijkteam', 'sociaal werker', 'sociaal team', 'stip']],
  ['jeugdhulp', ['jeugdhulp', 'jeugdzorg', 'jeugdconsulent', 'gezinscoach']],
  ['gezondheidszorg', ['huisarts', 'verpleegkundige', 'wijkverpleegkundige', 'ziekenhuis', 'arts', 'ggz', 'thuiszorg', 'verloskundige']],
  ['justitie', ['reclassering', 'politie', 'justitie']],
];
const DISCLOSURE = ['heeft het verteld', 'vertelde', 'heeft verteld', 'vertelde me', 'vertelde mij', 'zei dat', 'zegt dat', 'heeft me verteld', 'vertrouwde me toe', 'told me', 'disclosed'];
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

  for (const [doelgroep, words] of DOELGROEP_WORDS) {
    if (any(n, words)) {
      prefill.doelgroep = doelgroep;
      break;
    }
  }
  if (prefill.doelgroep === 'kind') {
    for (const [band, words] of AGE_WORDS) {
      if (any(n, words)) {
        prefill.leeftijdsgroep = band;
        break;
      }
    }
  }
  for (const [sector, words] of SECTOR_WORDS) {
    if (any(n, words)) {
      prefill.sector = sector;
      break;
    }
  }
  const gemeente = policy.gemeenten.find((g) => has(n, g.naam));
  if (gemeente) prefill.gemeente = gemeente.code;

  const signalen = policy.signalen
    .filter((s) => !prefill.doelgroep || s.doelgroepen.includes(prefill.doelgroep))
    .filter((s) => s.trefwoorden.some((w) => n.includes(` ${normalisedKeyword(w)}`)))
    .map((s) => s.code);
  if (signalen.length) prefill.signalen = signalen;
  const vormen = policy.vormen.filter((v) => v.trefwoorden.some((w) => n.includes(` ${normalisedKeyword(w)}`))).map((v) => v.code as Vorm);
  if (vormen.length) prefill.vormen = vormen;
  if (any(n, DISCLOSURE)) prefill.disclosure = true;
  if (any(n, MEDEWERKER) && (prefill.sector === 'onderwijs' || prefill.sector === 'kinderopvang')) prefill.plegerIsMedewerker = true;

  const prefilled = Object.keys(prefill).length;
  if (any(n, OVERLEG) && !any(n, ['niet pluis', 'niet-pluis'])) return { intent: 'overleg', prefill, confidence: 0.8 };
  if (any(n, START) || prefilled > 0) return { intent: 'start', prefill, confidence: prefilled > 0 ? 0.9 : 0.7 };
  if (any(n, HELP)) return { intent: 'help', prefill, confidence: 0.6 };
  return { intent: 'unknown', prefill, confidence: 0 };
}
