/**
 * Typed answers: one pure parser per question of the consultation. Each accepts the visible label and the value of
 * every choice on the question's card (nl and en), common synonyms and spelling variants (case, accents,
 * punctuation, small typos in names). `undefined` means "not understood": the caller asks again, never guesses.
 *
 * Pure: no botbuilder, no HTTP, no I/O. Used by the conversation (dialogs/) and by `understand()` (nlu.ts) for the
 * first free-text message.
 */
import type { Policy } from './policy/schema';
import { uiLabels, type UiTextKey } from './policy/labels';
import type { AcuteAnswer } from './danger';
import { DOELGROEPEN, LEEFTIJDSGROEPEN, SECTORS, type Doelgroep, type Leeftijdsgroep, type Sector, type Vorm } from './types';
import { editDistance, normaliseLoose, numberWord, typoBudget, words } from './normalise';

export type YesNoAnswer = 'ja' | 'nee' | 'weet-niet';
export type { AcuteAnswer };
/** A meldcode step number. */
export type StapNr = 1 | 2 | 3 | 4 | 5;
export interface SignalenAnswer {
  signalen: string[];
  vormen: Vorm[];
  /** The child/client told about the violence or abuse themselves. */
  disclosure: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Phrase matching on the words of loosely normalised text.

/** Text, or its words after `normaliseLoose` (callers that match several things normalise once). */
export type TextOrWords = string | readonly string[];
const toWords = (text: TextOrWords): readonly string[] => (typeof text === 'string' ? words(text) : text);
/** A phrase as it is matched: loosely normalised. */
const phrase = (text: string) => normaliseLoose(text);

interface Phrase<T> {
  /** Loosely normalised words. */
  text: string;
  value: T;
  /** The last word matches as a prefix ("honger" matches "hongerig"). */
  prefix?: boolean;
}
interface Match<T> {
  /** Word index of the first word, and one past the last. */
  start: number;
  end: number;
  /** Characters matched (whole words): the longest match wins an overlap. */
  length: number;
  value: T;
  /** Matched as a word prefix: loses a tie against a whole-word match ("vecht" vs "vechtscheiding"). */
  prefix: boolean;
}
interface Entry<T> {
  words: string[];
  value: T;
  prefix: boolean;
}

/**
 * The phrases of one question, indexed by their first word (and single-word prefixes by their text), so matching
 * costs a few map lookups per word of the message, not one scan of the message per phrase.
 */
class PhraseIndex<T> {
  private readonly byFirst = new Map<string, Array<Entry<T>>>();
  private readonly prefixes = new Map<string, Array<Entry<T>>>();
  private readonly prefixLengths: number[] = [];
  constructor(list: ReadonlyArray<Phrase<T>>) {
    for (const p of list) {
      if (!p.text) continue;
      const entry: Entry<T> = { words: p.text.split(' '), value: p.value, prefix: p.prefix === true };
      const single = entry.prefix && entry.words.length === 1;
      const map = single ? this.prefixes : this.byFirst;
      const key = entry.words[0];
      const bucket = map.get(key);
      if (bucket) bucket.push(entry);
      else map.set(key, [entry]);
      if (single && !this.prefixLengths.includes(key.length)) this.prefixLengths.push(key.length);
    }
  }

  /** The longest matches that do not overlap, in text order; ties go to whole words, then to the earlier phrase. */
  match(text: TextOrWords): Array<Match<T>> {
    const w = toWords(text);
    const all: Array<Match<T>> = [];
    for (let i = 0; i < w.length; i++) {
      const word = w[i];
      for (const e of this.byFirst.get(word) ?? []) {
        if (i + e.words.length > w.length) continue;
        let ok = true;
        let length = word.length;
        for (let k = 1; k < e.words.length && ok; k++) {
          const have = w[i + k];
          ok = e.prefix && k === e.words.length - 1 ? have.startsWith(e.words[k]) : have === e.words[k];
          length += 1 + have.length;
        }
        if (ok) all.push({ start: i, end: i + e.words.length, length, value: e.value, prefix: e.prefix });
      }
      for (const len of this.prefixLengths) {
        if (len > word.length) continue;
        for (const e of this.prefixes.get(word.slice(0, len)) ?? []) all.push({ start: i, end: i + 1, length: word.length, value: e.value, prefix: true });
      }
    }
    if (all.length < 2) return all;
    const ranked = all.map((m, order) => ({ m, order }));
    ranked.sort((a, b) => b.m.length - a.m.length || Number(a.m.prefix) - Number(b.m.prefix) || a.m.start - b.m.start || a.order - b.order);
    const taken: Array<Match<T>> = [];
    for (const { m } of ranked) if (!taken.some((t) => m.start < t.end && t.start < m.end)) taken.push(m);
    return taken.sort((a, b) => a.start - b.start);
  }
}

function phrases<T>(value: T, texts: readonly string[], prefix = false): Array<Phrase<T>> {
  return texts.map((t) => ({ text: phrase(t), value, prefix }));
}

/** Whole-text lookup table: normalised phrase → value. */
function table<T>(entries: Array<[T, readonly string[]]>): Map<string, T> {
  const m = new Map<string, T>();
  for (const [value, texts] of entries) for (const t of texts) if (!m.has(phrase(t))) m.set(phrase(t), value);
  return m;
}

/** Filler words around a short answer ("ja hoor", "nee, dank je", "uhm weet ik niet"). */
const LEADING_FILLERS = new Set(['eh', 'ehm', 'uh', 'uhm', 'euh', 'hm', 'hmm', 'nou', 'tja', 'well', 'um', 'oh', 'o']);
const TRAILING_FILLERS = new Set(['hoor', 'hor', 'toch', 'he', 'eigenlijk', 'please', 'pls', 'dank', 'je', 'bedankt', 'thanks', 'thx', 'dus', 'gewoon']);
function stripFillers(n: string): string {
  const w = n.split(' ').filter(Boolean);
  while (w.length > 1 && LEADING_FILLERS.has(w[0])) w.shift();
  while (w.length > 1 && TRAILING_FILLERS.has(w[w.length - 1])) w.pop();
  return w.join(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Yes / no / don't know

const YES = ['ja', 'j', 'jaa', 'jaaa', 'jawel', 'jazeker', 'ja zeker', 'zeker', 'zeker weten', 'jep', 'jup', 'jes', 'klopt', 'dat klopt', 'ja klopt', 'ja dat klopt', 'ja dat is zo', 'dat is zo', 'inderdaad', 'ja inderdaad', 'correct', 'juist', 'absoluut', 'zeer zeker', 'yes', 'y', 'yep', 'yeah', 'yup', 'sure', 'correct', 'right', 'indeed', 'of course', 'natuurlijk', 'uiteraard'];
const NO = ['nee', 'n', 'neen', 'neuh', 'neu', 'nee joh', 'welnee joh', 'nee hoor', 'neeh', 'neee', 'nope', 'nah', 'nee nee', 'niet', 'nee niet', 'zeker niet', 'helemaal niet', 'absoluut niet', 'klopt niet', 'dat klopt niet', 'nee dat klopt niet', 'nee klopt niet', 'niet echt', 'no', 'not', 'no way', 'not at all', 'certainly not', 'nein', 'welnee', 'geenszins'];
const DONT_KNOW = [
  'weet ik niet', 'weet niet', 'weetniet', 'weet-niet', 'ik weet het niet', 'weet het niet', 'ik weet niet', 'ik weet het niet zeker', 'weet het niet zeker', 'weet ik niet zeker', 'niet zeker', 'onzeker', 'geen idee', 'geen flauw idee',
  'onbekend', 'misschien', 'wellicht', 'mogelijk', 'twijfel', 'ik twijfel', 'twijfel ik', 'ik twijfel nog', 'kan zijn', 'zou kunnen', 'dat zou kunnen', 'kan ik niet zeggen', 'moeilijk te zeggen', 'lastig te zeggen',
  'lastig', 'moeilijk', 'geen zicht op', 'loopt nog', 'hulp loopt nog', 'de hulp loopt nog', 'nog bezig', 'te vroeg om te zeggen', 'nog te vroeg', 'too early to tell', 'still ongoing', 'nog niet bekend', 'nog onbekend', 'nog niet duidelijk', 'onduidelijk', 'weet ik nog niet', 'weet ik (nog) niet',
  'dont know', 'don t know', 'i don t know', 'i dont know', 'do not know', 'i do not know', 'not sure', 'i m not sure', 'im not sure', 'unsure', 'maybe', 'perhaps', 'no idea', 'unknown', 'possibly', 'hard to say', 'can t say', 'cannot say',
];
/** "I think so / I don't think so": an answer for yes/no, doubt for the acute question. */
const THINK_YES = ['denk het wel', 'ik denk het wel', 'ik denk het', 'denk het', 'denk ik', 'mogelijk wel', 'ik vermoed het', 'ik vrees van wel', 'ik denk van wel', 'denk van wel', 'waarschijnlijk', 'waarschijnlijk wel', 'ik vermoed van wel', 'lijkt me wel', 'volgens mij wel', 'ik ben bang van wel', 'i think so', 'probably', 'likely'];
const THINK_NO = ['niet dat ik weet', 'niet voor zover ik weet', 'not that i know', 'denk het niet', 'ik denk het niet', 'ik denk van niet', 'denk van niet', 'waarschijnlijk niet', 'lijkt me niet', 'volgens mij niet', 'ik geloof het niet', 'i don t think so', 'i dont think so', 'probably not', 'not likely', 'unlikely'];

const YES_NO_TABLE = table<YesNoAnswer>([
  ['weet-niet', DONT_KNOW],
  ['ja', [...YES, ...THINK_YES, ...uiLabels('answer.ja')]],
  ['nee', [...NO, ...THINK_NO, ...uiLabels('answer.nee')]],
]);
for (const l of uiLabels('answer.weetniet')) YES_NO_TABLE.set(phrase(l), 'weet-niet');
const DOUBT = new PhraseIndex(phrases(true, DONT_KNOW.filter((d) => d.includes(' ') || ['misschien', 'twijfel', 'wellicht', 'onzeker', 'maybe', 'perhaps', 'unsure', 'weetniet'].includes(d))));
const THINK_SET = new Set([...THINK_YES, ...THINK_NO].map(phrase));
const THINK = new PhraseIndex([...phrases<'nee'>('nee', THINK_NO), ...phrases<'ja'>('ja', THINK_YES)]);
/** "ik weet het echt niet", "dat weet ik eigenlijk niet": weet … niet, a few words apart ("niet dat ik weet" is no). */
const DONT_KNOW_RE = /(?:^| )weet(?: \S+){0,3} niet(?: zeker| precies| goed)?$/;
const YES_FIRST = new Set(['ja', 'jawel', 'jazeker', 'jaa', 'yes', 'yep', 'yeah', 'klopt', 'zeker', 'inderdaad']);
const NO_FIRST = new Set(['nee', 'neen', 'nope', 'no', 'welnee', 'neee', 'neuh', 'neu', 'nah']);

function yesNoCore(text: string): { answer: YesNoAnswer; think: boolean } | undefined {
  const n = stripFillers(normaliseLoose(text));
  if (!n) return undefined;
  const direct = YES_NO_TABLE.get(n);
  if (direct) return { answer: direct, think: THINK_SET.has(n) };
  if (/^ja+$/.test(n) || /^jaz+eker$/.test(n)) return { answer: 'ja', think: false };
  if (/^ne+e?n?$/.test(n)) return { answer: 'nee', think: false };
  // Longer answers: doubt anywhere wins ("ja, maar ik weet het niet zeker"); else the first word decides
  // ("ja, hij heeft een mes", "nee, niemand") unless the other answer follows ("ja nee").
  const w = n.split(' ');
  if (DOUBT.match(w).length || DONT_KNOW_RE.test(n)) return { answer: 'weet-niet', think: false };
  // The longest "think" phrase: "waarschijnlijk niet" is no, "waarschijnlijk" yes.
  const think = THINK.match(w);
  if (think.length) return { answer: think[0].value, think: true };
  const firstYes = YES_FIRST.has(w[0]);
  const firstNo = NO_FIRST.has(w[0]);
  const second = w[1] ?? '';
  if (firstYes && !NO_FIRST.has(second) && second !== 'niet') return { answer: 'ja', think: false };
  // "nee, zeker niet" is no; "nee ja" is no answer.
  if (firstNo && (!YES_FIRST.has(second) || w[2] === 'niet')) return { answer: 'nee', think: false };
  return undefined;
}

/**
 * Ja / nee / weet niet for the yes-no questions (afwegingsvragen, "pleger is medewerker"): "ja", "jazeker", "klopt",
 * "ja hoor", "yes", "nee", "nee hoor", "nope", "geen idee", "weet ik niet", "misschien", "ik twijfel", the card
 * labels and values ("weetniet"). Whether "weet niet" is allowed is the caller's choice.
 */
export function parseYesNo(text: string): YesNoAnswer | undefined {
  return yesNoCore(text)?.answer;
}

const ACUTE_YES = ['er is gevaar', 'er is nu gevaar', 'acuut gevaar', 'ja acuut', 'gevaar', 'nu', 'ja nu', 'nu wel', 'ja er is gevaar', 'ja nu gevaar', 'yes now', 'danger', 'in danger', 'right now'];
const ACUTE_NO = ['geen gevaar', 'geen acuut gevaar', 'er is geen gevaar', 'er is geen acuut gevaar', 'niemand', 'nee niemand', 'niet nu', 'nu niet', 'niet acuut', 'nee niet acuut', 'nee nu niet', 'geen', 'no one', 'nobody', 'not now', 'no danger', 'not acute'];
const ACUTE_TABLE = table<AcuteAnswer>([
  ['nee', ACUTE_NO],
  ['ja', ACUTE_YES],
]);

/**
 * "Is er nu iemand in acuut gevaar?": ja / nee / twijfel. Doubt ("weet ik niet", "misschien", "ik twijfel",
 * "geen idee", "denk het wel", "denk het niet") is 'twijfel': the flow treats it as danger.
 */
export function parseAcute(text: string): AcuteAnswer | undefined {
  const n = stripFillers(normaliseLoose(text));
  const own = ACUTE_TABLE.get(n);
  if (own) return own;
  const core = yesNoCore(text);
  if (core && (core.answer === 'weet-niet' || core.think)) return 'twijfel';
  if (core) return core.answer === 'ja' ? 'ja' : 'nee';
  // "er is niemand in gevaar", "nu niet nee": no, said in a sentence.
  return ACUTE_NO_RE.test(n) ? 'nee' : undefined;
}
const ACUTE_NO_RE = /^(?:(?:er is|er zijn|nee|no|there is|there s) )?(?:niemand|geen|nobody|no one|not|nu niet|niet)(?: \S+){0,3}$/;

const KEEP = ['zo bewaren', 'bewaren', 'bewaar', 'bewaar maar', 'bewaar het', 'opslaan', 'sla op', 'zo laten', 'prima', 'goed', 'is goed', 'ok', 'oke', 'okay', 'akkoord', 'keep', 'keep it', 'save', 'fine', 'good'];
const DROP = ['weglaten', 'laat weg', 'laat maar weg', 'laat het weg', 'niet bewaren', 'niet opslaan', 'verwijder', 'verwijderen', 'wissen', 'wis', 'leave it out', 'leave out', 'drop', 'delete', 'remove', 'discard', 'don t keep', 'dont keep'];
const NOTE_TABLE = table<'ja' | 'nee'>([
  ['ja', [...KEEP, ...uiLabels('notitie.keep')]],
  ['nee', [...DROP, ...uiLabels('notitie.drop')]],
]);
/** The note confirmation ("Zo bewaren" / "Weglaten"): ja = keep it, nee = leave it out. Doubt is no answer here. */
export function parseNoteConfirm(text: string): 'ja' | 'nee' | undefined {
  const own = NOTE_TABLE.get(stripFillers(normaliseLoose(text)));
  if (own) return own;
  const a = parseYesNo(text);
  return a === 'weet-niet' ? undefined : a;
}

// ---------------------------------------------------------------------------------------------------------------
// Skip

const SKIP = ['overslaan', 'sla over', 'sla maar over', 'sla deze over', 'deze overslaan', 'vraag overslaan', 'skip', 'skippen', 'skip this', 'skip it', 'pass', 'volgende', 'volgende vraag', 'next', 'next question', 'ga door', 'ga verder', 'verder', 'door', 'nvt', 'n v t', 'niet van toepassing', 'not applicable', 'n a', 'liever niet', 'zeg ik liever niet', 'wil ik niet zeggen', 'rather not', 'geen antwoord', 'no answer'];
const SKIP_SET = new Set(SKIP.map(phrase));
const DONT_KNOW_SET = new Set([...DONT_KNOW, ...uiLabels('answer.weetniet')].map(phrase));
/**
 * "overslaan", "sla over", "skip", "volgende", "n.v.t." — and, unless `dontKnow: false`, "weet ik niet" and its
 * variants. Call it only where the question is optional.
 */
export function isSkip(text: string, options: { dontKnow?: boolean } = {}): boolean {
  const n = stripFillers(normaliseLoose(text));
  if (SKIP_SET.has(n)) return true;
  return options.dontKnow !== false && DONT_KNOW_SET.has(n);
}

// ---------------------------------------------------------------------------------------------------------------
// Gemeente

/** Answers that mean "my gemeente is not in the list" (national contacts apply). */
const OTHER_GEMEENTE = ['anders', 'andere', 'andere gemeente', 'een andere gemeente', 'een andere', 'ergens anders', 'elders', 'overig', 'niet in de lijst', 'staat niet in de lijst', 'staat er niet bij', 'staat er niet tussen', 'niet in lijst', 'zit er niet bij', 'geen van deze', 'geen van allen', 'other', 'another', 'another one', 'another municipality', 'other municipality', 'not in the list', 'not listed', 'none of these', 'weet ik niet', 'weet niet', 'onbekend', 'geen idee', 'dont know', 'don t know', 'i don t know'];
const GEMEENTE_PREFIXES = ['gemeente', 'de gemeente', 'in de gemeente', 'in gemeente', 'in', 'bij', 'te', 'het is', 'dit speelt in', 'het speelt in', 'ik werk in', 'ik werk bij de gemeente', 'wij zitten in', 'we zitten in', 'municipality of', 'the municipality of', 'in the municipality of', 'municipality'];
const GEMEENTE_PREFIX_RE = new RegExp(`^(?:${[...GEMEENTE_PREFIXES].sort((a, b) => b.length - a.length).map(phrase).join('|')}) `);

interface GemeenteTables {
  exact: Map<string, string>;
  phrases: PhraseIndex<string>;
  /** Names and aliases without spaces, for typo matching: [compact, code, word count]. */
  fuzzy: Array<[string, string, number]>;
  other: Set<string>;
}
const gemeenteCache = new WeakMap<Policy, GemeenteTables>();
function gemeenteTables(policy: Policy): GemeenteTables {
  let t = gemeenteCache.get(policy);
  if (t) return t;
  const exact = new Map<string, string>();
  const list: Array<Phrase<string>> = [];
  const fuzzy: Array<[string, string, number]> = [];
  for (const g of policy.gemeenten) {
    exact.set(g.code.toLowerCase(), g.code);
    exact.set(g.code.slice(2), g.code);
    for (const name of [g.naam, ...(g.aliassen ?? [])]) {
      const p = phrase(name);
      if (!p) continue;
      if (!exact.has(p)) exact.set(p, g.code);
      const compact = p.replace(/ /g, '');
      if (!exact.has(compact)) exact.set(compact, g.code);
      list.push({ text: p, value: g.code });
      fuzzy.push([compact, g.code, p.split(' ').length]);
    }
  }
  t = { exact, phrases: new PhraseIndex(list), fuzzy, other: new Set([...OTHER_GEMEENTE, ...uiLabels('gemeente.other')].map(phrase)) };
  gemeenteCache.set(policy, t);
  return t;
}

/** The single gemeente whose name/alias is nearest to `candidate` within the typo budget; undefined when none or a tie. */
function nearestGemeente(t: GemeenteTables, candidate: string): { code: string; distance: number } | undefined {
  let best: { code: string; distance: number } | undefined;
  let tie = false;
  for (const [compact, code] of t.fuzzy) {
    const budget = typoBudget(Math.min(compact.length, candidate.length));
    // Typos rarely hit the first two letters both; that check also keeps this loop cheap.
    if (budget === 0 || (compact[0] !== candidate[0] && (budget < 2 || compact[1] !== candidate[1]))) continue;
    if (Math.abs(compact.length - candidate.length) > budget) continue;
    const d = editDistance(candidate, compact, budget);
    if (d > budget) continue;
    if (!best || d < best.distance) {
      best = { code, distance: d };
      tie = false;
    } else if (d === best.distance && code !== best.code) tie = true;
  }
  return tie ? undefined : best;
}

/**
 * The gemeente of a typed answer: its name (case, accents, punctuation and small typos do not matter), an alias
 * from the policy (`aliassen`: "Den Bosch", a village), or the CBS code ("GM0246", "0246"). `null` means "another
 * gemeente / not in the list / weet ik niet" (national contacts apply); `undefined` means not understood.
 */
export function parseGemeente(text: string, policy: Policy): string | null | undefined {
  const t = gemeenteTables(policy);
  const n = stripFillers(normaliseLoose(text));
  if (!n) return undefined;
  const bare = n.replace(GEMEENTE_PREFIX_RE, '');
  for (const c of [n, bare, bare.replace(/ /g, '')]) {
    const hit = t.exact.get(c);
    if (hit) return hit;
  }
  if (t.other.has(n) || t.other.has(bare)) return null;
  const found = findGemeenteIn(n.split(' '), policy);
  if (found) return found;
  // Typos: only for short answers (a name, perhaps with a few words around it), never in a story.
  const w = bare.split(' ');
  if (w.length > 6) return undefined;
  let best: { code: string; distance: number } | undefined;
  let tie = false;
  for (let size = 1; size <= Math.min(3, w.length); size++) {
    for (let i = 0; i + size <= w.length; i++) {
      const candidate = w.slice(i, i + size).join('');
      if (candidate.length < 5) continue;
      const hit = nearestGemeente(t, candidate);
      if (!hit) continue;
      if (!best || hit.distance < best.distance) {
        best = hit;
        tie = false;
      } else if (hit.distance === best.distance && hit.code !== best.code) tie = true;
    }
  }
  return best && !tie ? best.code : undefined;
}

/** A gemeente named (by name or alias, exactly) in longer text; undefined when none or more than one. */
export function findGemeenteIn(text: TextOrWords, policy: Policy): string | undefined {
  const codes = new Set(gemeenteTables(policy).phrases.match(text).map((m) => m.value));
  return codes.size === 1 ? [...codes][0] : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Sector

/** Words that name a sector, in a whole answer or in the first message. */
const SECTOR_WORDS: Array<[Sector, string[]]> = [
  ['kinderopvang', ['kinderopvang', 'kinderdagverblijf', 'kdv', 'bso', 'buitenschoolse opvang', 'naschoolse opvang', 'gastouder', 'gastouderopvang', 'peuterspeelzaal', 'peuteropvang', 'creche', 'pedagogisch medewerker', 'pm er', 'childcare', 'child care', 'daycare', 'day care', 'nursery']],
  ['onderwijs', ['onderwijs', 'basisonderwijs', 'leerkracht', 'juf', 'meester', 'docent', 'leraar', 'lerares', 'school', 'basisschool', 'middelbare school', 'voortgezet onderwijs', 'primair onderwijs', 'speciaal onderwijs', 'mbo', 'hbo', 'leerling', 'leerlingen', 'mentor', 'intern begeleider', 'ib er', 'ib', 'zorgcoordinator', 'onderwijsassistent', 'teacher', 'school teacher', 'education', 'teaching']],
  ['wmo', ['wmo', 'wmo consulent', 'consulent', 'wijkteam', 'buurtteam', 'sociaal werker', 'sociaal werk', 'sociaal team', 'maatschappelijk werk', 'maatschappelijk werker', 'welzijnswerk', 'welzijnswerker', 'stip', 'social work', 'social worker', 'social support']],
  ['jeugdhulp', ['jeugdhulp', 'jeugdzorg', 'jeugdconsulent', 'gezinscoach', 'jeugdbescherming', 'gezinsvoogd', 'jeugdhulpverlener', 'jeugdwerk', 'youth care', 'youth services']],
  ['gezondheidszorg', ['gezondheidszorg', 'huisarts', 'huisartsenpraktijk', 'verpleegkundige', 'wijkverpleegkundige', 'jeugdverpleegkundige', 'verpleging', 'ziekenhuis', 'arts', 'jeugdarts', 'ggz', 'ggd', 'jgz', 'consultatiebureau', 'thuiszorg', 'verloskundige', 'kraamzorg', 'tandarts', 'fysiotherapeut', 'psycholoog', 'verpleeghuis', 'healthcare', 'health care', 'doctor', 'nurse', 'hospital', 'gp']],
  ['justitie', ['reclassering', 'politie', 'justitie', 'raad voor de kinderbescherming', 'kinderbescherming', 'gevangenis', 'justice', 'police', 'probation']],
];
/** Whole answers only (too general to name a sector inside a story: "het welzijn van het kind"). */
const SECTOR_ANSWER_WORDS: Array<[Sector, string[]]> = [
  ['kinderopvang', ['opvang', 'de opvang']],
  ['onderwijs', ['vo', 'po', 'so', 'vso']],
  ['jeugdhulp', ['jeugd', 'youth']],
  ['wmo', ['welzijn', 'sociaal domein']],
  ['gezondheidszorg', ['zorg', 'de zorg', 'health', 'medisch', 'medical']],
];
const OTHER_SECTOR = ['anders', 'andere', 'andere sector', 'een andere sector', 'iets anders', 'overig', 'overige', 'geen van deze', 'other', 'something else', 'another sector', 'none of these'];

interface SectorTables {
  exact: Map<string, Sector>;
  phrases: PhraseIndex<Sector>;
  fuzzy: Array<[string, Sector]>;
}
const sectorCache = new WeakMap<Policy, SectorTables>();
/** A label split into the parts people type: "Wmo, sociaal werk, wijkteam" → the whole, "wmo", "sociaal werk", "wijkteam". */
function labelParts(label: string): string[] {
  const parts = label.split(/[,/()]| of | or /).map((p) => p.trim()).filter((p) => p.length >= 2);
  return [label, ...parts];
}
function sectorTables(policy: Policy): SectorTables {
  let t = sectorCache.get(policy);
  if (t) return t;
  const own: Array<[Sector, string[]]> = SECTORS.map((s) => [
    s,
    [s, ...labelParts(policy.sectoren[s].nl), ...labelParts(policy.sectoren[s].en), ...uiLabels(`sector.${s}` as UiTextKey).flatMap(labelParts)],
  ]);
  const exact = table<Sector>([...own, ['overig', OTHER_SECTOR], ...SECTOR_WORDS, ...SECTOR_ANSWER_WORDS]);
  const list = [...own.filter(([s]) => s !== 'overig'), ...SECTOR_WORDS].flatMap(([s, w]) => phrases(s, w));
  const fuzzy: Array<[string, Sector]> = [...own, ...SECTOR_WORDS].flatMap(([s, w]) => w.map((x) => [phrase(x).replace(/ /g, ''), s] as [string, Sector])).filter(([x]) => x.length >= 5);
  t = { exact, phrases: new PhraseIndex(list), fuzzy };
  sectorCache.set(policy, t);
  return t;
}

/** The sector named most specifically in text (longest phrase); undefined when none or two equally specific. */
export function findSectorIn(text: TextOrWords, policy: Policy): Sector | undefined {
  const matches = sectorTables(policy).phrases.match(text);
  if (!matches.length) return undefined;
  const longest = Math.max(...matches.map((m) => m.length));
  const best = new Set(matches.filter((m) => m.length === longest).map((m) => m.value));
  if (best.size === 1) return [...best][0];
  return new Set(matches.map((m) => m.value)).size === 1 ? matches[0].value : undefined;
}

/**
 * The sector of a typed answer: the card's labels (nl, en) and values, words for the work ("juf", "huisarts",
 * "wijkteam", "bso"), small typos ("onderwjis"); "anders"/"other" is 'overig'.
 */
export function parseSector(text: string, policy: Policy): Sector | undefined {
  const t = sectorTables(policy);
  const n = stripFillers(normaliseLoose(text)).replace(/^(?:ik werk in de|ik werk in het|ik werk in|ik werk bij|in de|in het|de|het|i work in|in)\s/, '');
  if (!n) return undefined;
  const direct = t.exact.get(n);
  if (direct) return direct;
  const found = findSectorIn(n.split(' '), policy);
  if (found) return found;
  const w = n.split(' ');
  if (w.length > 3) return undefined;
  const candidate = w.join('');
  let best: { sector: Sector; d: number } | undefined;
  let tie = false;
  for (const [x, s] of t.fuzzy) {
    const budget = typoBudget(Math.min(x.length, candidate.length));
    if (!budget) continue;
    const d = editDistance(candidate, x, budget);
    if (d > budget) continue;
    if (!best || d < best.d) {
      best = { sector: s, d };
      tie = false;
    } else if (d === best.d && s !== best.sector) tie = true;
  }
  return best && !tie ? best.sector : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Doelgroep

/** Words for who the concern is about, in priority order (a child first). */
const DOELGROEP_WORDS: Array<[Doelgroep, string[]]> = [
  ['kind', ['kind', 'kinderen', 'kindje', 'kindjes', 'pleegkind', 'leerling', 'leerlinge', 'leerlingen', 'baby', 'babys', 'peuter', 'dreumes', 'kleuter', 'zuigeling', 'zoon', 'zoontje', 'dochter', 'dochtertje', 'meisje', 'jongen', 'jongetje', 'puber', 'tiener', 'scholier', 'minderjarige', 'jeugdige', 'pupil', 'child', 'children', 'kid', 'kids', 'toddler', 'infant', 'teenager', 'teen', 'boy', 'girl', 'son', 'daughter', 'minor']],
  ['oudere', ['oudere', 'ouderen', 'bejaarde', 'bejaarden', 'oma', 'opa', 'grootmoeder', 'grootvader', 'senior', 'senioren', 'oudere man', 'oudere vrouw', 'ouder echtpaar', 'mantelzorg', 'mantelzorger', 'older person', 'elderly', 'elderly person', 'pensioner']],
  ['partner', ['partner', 'partners', 'partnergeweld', 'echtgenoot', 'echtgenote', 'vriend slaat', 'vriendin', 'haar man', 'zijn vrouw', 'haar vriend', 'huwelijk', 'relatie', 'ex partner', 'expartner', 'huiselijk geweld tussen partners', 'partner violence', 'wife', 'husband', 'spouse', 'girlfriend', 'boyfriend']],
  ['volwassene', ['volwassene', 'volwassenen', 'volwassen', 'andere volwassene', 'cliente', 'client', 'clienten', 'bewoner', 'adult', 'another adult', 'adults']],
];
const DOELGROEP_INDEX = new PhraseIndex<Doelgroep>(DOELGROEP_WORDS.flatMap(([d, w]) => [
  ...phrases(d, [d, ...w, ...uiLabels(`doelgroep.${d}` as UiTextKey)]),
  ...uiLabels(`doelgroep.${d}` as UiTextKey).flatMap((l) => phrases(d, labelParts(l).slice(1))),
]));
const DOELGROEP_PRIORITY = DOELGROEP_WORDS.map(([d]) => d);
/** Label words that are no evidence on their own ("Een partner (partnergeweld)" → "een" is dropped by the split). */
const DOELGROEP_EXACT = table<Doelgroep>([...DOELGROEPEN.map((d): [Doelgroep, string[]] => [d, [d, ...uiLabels(`doelgroep.${d}` as UiTextKey)]]), ['oudere', ['older', 'old', 'ouder iemand', 'ouder persoon']]]);

/** The first doelgroep (in priority order: child first) named in text by a word for it. */
export function findDoelgroepIn(text: TextOrWords): Doelgroep | undefined {
  const found = new Set(DOELGROEP_INDEX.match(text).map((m) => m.value));
  return DOELGROEP_PRIORITY.find((d) => found.has(d));
}

/**
 * Who the concern is about: the card's labels and values, words for people ("leerling", "peuter", "oma",
 * "partner", "cliënt"), or only an age ("8 jaar" → kind, "78" → oudere).
 */
export function parseDoelgroep(text: string): Doelgroep | undefined {
  const n = stripFillers(normaliseLoose(text));
  if (!n) return undefined;
  const direct = DOELGROEP_EXACT.get(n);
  if (direct) return direct;
  const found = findDoelgroepIn(n.split(' '));
  if (found) return found;
  const age = parseAge(n);
  if (!age) return undefined;
  if (age === '65+') return 'oudere';
  return age === '18-64' ? 'volwassene' : 'kind';
}

// ---------------------------------------------------------------------------------------------------------------
// Age

const BANDS: Array<[Leeftijdsgroep, number, number]> = [
  ['0-3', 0, 3],
  ['4-11', 4, 11],
  ['12-17', 12, 17],
  ['18-64', 18, 64],
  ['65+', 65, 130],
];
/** The age band of an age in years; undefined outside 0..130. */
export function ageBand(years: number): Leeftijdsgroep | undefined {
  if (!Number.isFinite(years) || years < 0) return undefined;
  const whole = Math.floor(years);
  return BANDS.find(([, lo, hi]) => whole >= lo && whole <= hi)?.[0];
}

/** Words for an age (band). */
const AGE_WORDS: Array<[Leeftijdsgroep, string[]]> = [
  ['0-3', ['baby', 'babys', 'babytje', 'pasgeboren', 'pasgeborene', 'zuigeling', 'dreumes', 'peuter', 'peutertje', 'peuters', 'kinderdagverblijf', 'kdv', 'peuterspeelzaal', 'peuteropvang', 'consultatiebureau', 'newborn', 'infant', 'toddler']],
  ['4-11', ['kleuter', 'kleutertje', 'kleuters', 'basisschool', 'basisschoolleerling', 'basisschoolkind', 'basisschool leerling', 'groep 1', 'groep 2', 'groep 3', 'groep 4', 'groep 5', 'groep 6', 'groep 7', 'groep 8', 'bso', 'schoolkind', 'basisonderwijs', 'primary school', 'preschooler', 'kindergarten']],
  ['12-17', ['puber', 'pubers', 'tiener', 'tieners', 'middelbare school', 'middelbare scholier', 'voortgezet onderwijs', 'brugklas', 'brugklasser', 'brugpieper', 'vmbo', 'havo', 'vwo', 'scholier', 'adolescent', 'teenager', 'teenage', 'teen', 'secondary school', 'high school']],
  ['18-64', ['volwassene', 'volwassen', 'adult']],
  ['65+', ['oudere', 'bejaarde', 'senior', 'gepensioneerd', 'gepensioneerde', 'elderly', 'pensioner']],
];
const AGE_INDEX = new PhraseIndex<Leeftijdsgroep>(AGE_WORDS.flatMap(([b, w]) => phrases(b, w)));
const AGE_EXACT = table<Leeftijdsgroep>(LEEFTIJDSGROEPEN.map((b) => [b, [b, ...uiLabels(`leeftijd.${b}` as UiTextKey)]]));

const YEAR_UNITS = new Set(['jaar', 'jaren', 'jr', 'j', 'jarig', 'jarige', 'jaartjes', 'jaartje', 'years', 'year', 'yrs', 'yr', 'y', 'yo', 'oud', 'old']);
const MONTH_UNITS = new Set(['maand', 'maanden', 'maandjes', 'mnd', 'months', 'month', 'mo']);
const WEEK_UNITS = new Set(['week', 'weken', 'weekjes', 'weeks', 'wk']);
const DAY_UNITS = new Set(['dag', 'dagen', 'dagjes', 'days', 'day']);
/** Words after a bare number that still leave it an age: "8 of 9", "8 denk ik", "9 ongeveer". */
const AGE_NEXT_OK = new Set(['of', 'ofzo', 'zo', 'ongeveer', 'denk', 'geloof', 'schat', 'volgens', 'misschien', 'or', 'ish', 'maybe', 'i', 'ik']);
/** Words before "N jaar" that make it a duration, not an age ("al 2 jaar", "sinds een jaar"). */
const DURATION_LEAD = new Set(['al', 'sinds', 'afgelopen', 'ruim', 'laatste', 'voor', 'over', 'na', 'per', 'elk', 'ieder', 'binnen', 'gedurende', 'since', 'for', 'past', 'last', 'every', 'within', 'after']);
const DURATION_TAIL = new Set(['geleden', 'lang', 'ago', 'long']);
const RANGE_WORDS = new Set(['-', 'tot', 'tm', 'to', 'until', 'till', 'through', 'a']);
/** Nouns after a number that make it a count or a school year, not an age ("2 kinderen", "groep 7"). */
const NOT_AGE_BEFORE = new Set(['groep', 'klas', 'stap', 'stappen', 'step', 'nummer', 'nr', 'huisnummer', 'gm']);

const BELOW = ['jonger dan', 'onder de', 'beneden de', 'younger than', 'under', 'below'].map((x) => x.split(' '));
const ABOVE = ['ouder dan', 'boven de', 'older than', 'above'].map((x) => x.split(' '));
/** -1 after "jonger dan"/"onder de", +1 after "ouder dan"/"boven de", else 0. */
function comparison(w: readonly string[], i: number): number {
  const ends = (p: string[]) => p.every((x, k) => w[i - p.length + k] === x);
  if (BELOW.some(ends)) return -1;
  return ABOVE.some(ends) ? 1 : 0;
}

/** Years from a number and the unit word after it; undefined when the word is no age unit. */
function yearsOf(value: number, unit: string | undefined): number | undefined {
  if (unit === undefined || YEAR_UNITS.has(unit)) return value;
  if (MONTH_UNITS.has(unit)) return value / 12;
  if (WEEK_UNITS.has(unit)) return value / 52;
  if (DAY_UNITS.has(unit)) return value / 365;
  return undefined;
}

interface AgeOptions {
  /** Free text (the first message): a number counts only with a unit ("14 jaar", "14-jarige") or as "<kind> van 14". */
  strict?: boolean;
}

/** Ages (in years) mentioned in the words, and bands given as a range ("0-3", "0 tot 4 jaar"; undefined: two bands). */
function agesIn(w: string[], options: AgeOptions): { ages: number[]; bands: Array<Leeftijdsgroep | undefined> } {
  const ages: number[] = [];
  const bands: Array<Leeftijdsgroep | undefined> = [];
  for (let i = 0; i < w.length; i++) {
    const value = numberWord(w[i]);
    if (value === undefined) continue;
    const prev = w[i - 1];
    if (prev !== undefined && NOT_AGE_BEFORE.has(prev)) continue;
    // "een" is mostly the article: only "een jaar" / "een maand" count.
    if (w[i] === 'een' && !(YEAR_UNITS.has(w[i + 1] ?? '') || MONTH_UNITS.has(w[i + 1] ?? ''))) continue;
    // A range: "0-3", "0 tot 4 jaar", "4 t/m 11", "12 to 18 years", "3 à 4".
    const connector = w[i + 1] === 'tot' && w[i + 2] === 'en' && w[i + 3] === 'met' ? 3 : RANGE_WORDS.has(w[i + 1] ?? '') ? 1 : 0;
    const upper = connector ? numberWord(w[i + 1 + connector] ?? '') : undefined;
    if (connector && upper !== undefined && upper > value) {
      const unit = w[i + 2 + connector];
      const lo = yearsOf(value, unit);
      const hi = yearsOf(upper, unit);
      if (lo !== undefined && hi !== undefined) {
        // Inclusive ("0-3", the card values) or up to the next band ("0 tot 4 jaar", the card labels).
        // "1-4" spans two bands (ambiguous); "4-12" and "4 tot 12" name the band from its lower bound to the next.
        const band = BANDS.find(([b]) => b === ageBand(lo));
        const exclusive = ['tot', 'to', 'until', 'till'].includes(w[i + 1]) && connector === 1;
        const upTo = band !== undefined && hi - 1 === band[2] && (exclusive || lo === band[1]);
        bands.push(band && (ageBand(hi) === band[0] || upTo) ? band[0] : undefined);
        i += 1 + connector;
        continue;
      }
    }
    const next = w[i + 1];
    const years = next !== undefined ? yearsOf(value, next) : undefined;
    // "jonger dan 4" is at most 3, "ouder dan 12" at least 13.
    const shift = comparison(w, i);
    if (years !== undefined) {
      const duration = (prev !== undefined && DURATION_LEAD.has(prev)) || DURATION_TAIL.has(w[i + 2] ?? '');
      if (!(options.strict && duration)) ages.push(years + shift);
      continue;
    }
    if (options.strict) {
      // "een leerling van 14", "meisje van twaalf", "aged 9".
      if ((prev === 'van' && DOELGROEP_WORDS[0][1].includes(w[i - 2] ?? '')) || prev === 'aged' || prev === 'leeftijd') ages.push(value);
      continue;
    }
    // An answer to the age question: a bare number ("8", "van 14", "ze is 9", "8 of 9", "8 denk ik").
    if (next === undefined || AGE_NEXT_OK.has(next)) ages.push(value + shift);
  }
  return { ages, bands };
}

/**
 * The age band of a typed answer: a number ("8", "van 14", "2 jaar", "18 maanden", "twaalf", "anderhalf jaar"),
 * a range or the card's own label ("0-3", "0 tot 4 jaar", "4 to 12 years"), or a word ("baby", "peuter",
 * "kleuter", "puber", "tiener", "groep 7", "brugklas"). Two different ages: undefined.
 */
export function parseAge(text: string, options: AgeOptions = {}): Leeftijdsgroep | undefined {
  return ageOf(stripFillers(normaliseLoose(text)).split(' '), options)?.band;
}

/**
 * An age in free text (the first message), and whether it was a number ("een leerling van 14", "14-jarige") or a
 * word ("puber", "groep 7", "kinderdagverblijf"). Numbers only count with a unit or as "<kind> van N".
 */
export function findAgeIn(text: TextOrWords): { band: Leeftijdsgroep; byNumber: boolean } | undefined {
  return ageOf(toWords(text), { strict: true });
}

function ageOf(input: readonly string[], options: AgeOptions): { band: Leeftijdsgroep; byNumber: boolean } | undefined {
  if (!input.length || !input[0]) return undefined;
  // "2jaar", "14jr": a number glued to its unit.
  const w = input.flatMap((x) => (/^\d+[a-z]+$/.test(x) && !ORDINALS[x] ? x.replace(/(\d)([a-z])/, '$1 $2').split(' ') : [x]));
  const direct = w.length <= 5 ? AGE_EXACT.get(w.join(' ')) : undefined;
  if (direct) return { band: direct, byNumber: true };
  const { ages, bands } = agesIn(w, options);
  const found = new Set<Leeftijdsgroep | undefined>([...bands, ...ages.map(ageBand)]);
  if (found.size > 1) return undefined;
  const band = [...found][0];
  if (found.size === 1) return band ? { band, byNumber: true } : undefined;
  const byWord = new Set(AGE_INDEX.match(w).map((m) => m.value));
  return byWord.size === 1 ? { band: [...byWord][0], byNumber: false } : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Steps done

const NO_STEPS = ['geen', 'nog geen', 'nog geen enkele', 'geen enkele', 'geen enkele stap', 'geen stappen', 'nog geen stappen', 'nog geen stap', 'geen stap', 'niks', 'nog niks', 'niets', 'nog niets', 'niks gedaan', 'nog niks gedaan', 'niets gedaan', 'nog niets gedaan', 'nee', 'nee nog niet', 'nog niet', 'nee nog geen', 'geen van deze', 'geen van allen', 'ik begin net', 'net begonnen', '0', 'nul', 'none', 'none yet', 'not yet', 'nothing', 'nothing yet', 'no', 'no steps'];
const NO_STEPS_SET = new Set([...NO_STEPS, ...uiLabels('stappen.none')].map(phrase));
const NONE_WORDS = new Set(['geen', 'niks', 'niets', 'none', 'nothing']);
const NONE_FILLERS = new Set(['nog', 'helemaal', 'echt', 'eigenlijk', 'enkele', 'enkel', 'yet', 'really', 'at', 'all', 'gezet', 'gedaan', 'no']);
const ORDINALS: Record<string, StapNr> = { eerste: 1, '1e': 1, '1ste': 1, first: 1, '1st': 1, tweede: 2, '2e': 2, '2de': 2, second: 2, '2nd': 2, derde: 3, '3e': 3, '3de': 3, third: 3, '3rd': 3, vierde: 4, '4e': 4, '4de': 4, fourth: 4, '4th': 4, vijfde: 5, '5e': 5, '5de': 5, fifth: 5, '5th': 5 };
/** Words around step numbers that carry no meaning of their own. */
const STEP_FILLERS = new Set(['stap', 'stappen', 'step', 'steps', 'ik', 'heb', 'hebben', 'we', 'wij', 'al', 'alleen', 'enkel', 'slechts', 'gedaan', 'gezet', 'afgerond', 'doorlopen', 'de', 'het', 'van', 'meldcode', 'nummer', 'nr', 'en', 'and', 'i', 'have', 'done', 'taken', 'completed', 'only', 'just', 'the', 'of', 'already', 'ja', 'yes', 'tot', 'nu', 'toe', 'zover', 'so', 'far', 'inmiddels', 'is', 'zijn', 'klaar', 'plus', 'ook', 'also', 'both', 'beide', 'allebei']);
const STEP_LABEL_PHRASES: Array<Phrase<StapNr>> = [
  ...phrases<StapNr>(1, ['signalen in kaart', 'in kaart gebracht', 'signalen vastgelegd', 'signalen genoteerd', 'map the signs', 'mapped the signs']),
  ...phrases<StapNr>(2, ['overleg met een collega', 'overlegd', 'collega geraadpleegd', 'met een collega', 'veilig thuis geraadpleegd', 'consult a colleague', 'consulted a colleague', 'consulted']),
  ...phrases<StapNr>(3, ['gesprek met de client', 'in gesprek', 'gesprek gevoerd', 'gesprek gehad', 'gesproken met', 'talk with the client', 'talked with', 'talked to']),
  ...phrases<StapNr>(4, ['afwegingskader', 'gewogen', 'afweging gemaakt', 'weigh', 'weighed']),
];
const range = (a: number, b: number): StapNr[] => Array.from({ length: b - a + 1 }, (_, i) => (a + i) as StapNr);

const STEP_LABELS = new PhraseIndex(STEP_LABEL_PHRASES);
const stepLabelCache = new WeakMap<Policy, PhraseIndex<StapNr>>();
/** The steps' titles from the policy (nl, en) and common phrasings. */
function stepLabels(policy: Policy | undefined): PhraseIndex<StapNr> {
  if (!policy) return STEP_LABELS;
  let index = stepLabelCache.get(policy);
  if (!index) {
    const own = ([1, 2, 3, 4, 5] as const).flatMap((s) => phrases<StapNr>(s, [policy.stappen[String(s) as '1'].nl, policy.stappen[String(s) as '1'].en]));
    index = new PhraseIndex([...own, ...STEP_LABEL_PHRASES]);
    stepLabelCache.set(policy, index);
  }
  return index;
}

/**
 * The meldcode steps already taken: numbers and lists ("1 en 2", "1, 2 en 3", "1,2"), ranges ("stap 1 t/m 3",
 * "1-3", "1 tot en met 3"), words ("alle drie", "de eerste twee", "twee en drie"), none ("nog geen", "niks",
 * "geen"), or the steps' own titles ("signalen in kaart gebracht en overlegd"). Sorted, without duplicates.
 */
export function parseStappen(text: string, policy?: Policy): StapNr[] | undefined {
  // A comma separates steps ("1,2" is the card's value), it is no decimal comma here.
  const n = stripFillers(normaliseLoose(text.replace(/,/g, ' , ')));
  if (!n) return undefined;
  if (NO_STEPS_SET.has(n)) return [];
  const w = n.split(' ').filter((x) => x !== ',');
  // "nog helemaal niks gedaan", "ik heb eigenlijk nog geen enkele stap gezet".
  if (w.some((x) => NONE_WORDS.has(x)) && w.every((x) => NONE_WORDS.has(x) || STEP_FILLERS.has(x) || NONE_FILLERS.has(x))) return [];
  // "alle drie", "all three", "de eerste twee", "allemaal".
  const m = /(?:^| )(?:alle|all|de eerste|eerste|first|the first)(?: (?:stappen|steps))? (\S+)(?: (?:stappen|steps))?(?: |$)/.exec(n);
  if (m) {
    const k = numberWord(m[1]);
    if (k !== undefined && Number.isInteger(k) && k >= 1 && k <= 5) return range(1, k);
  }
  if (/^(?:alle|allemaal|alles|alle stappen|all|all of them|all steps|everything)$/.test(n)) return range(1, 4);
  if (/^(?:alleen )?(?:de )?(?:eerste|first)(?: stap| step)?$/.test(n)) return [1];
  const out = new Set<StapNr>();
  let unknown = false;
  for (let i = 0; i < w.length; i++) {
    const word = w[i];
    // "123" typed without spaces.
    if (/^[1-5]{2,5}$/.test(word) && new Set(word).size === word.length) {
      [...word].forEach((d) => out.add(Number(d) as StapNr));
      continue;
    }
    // "een" is a number in "een en twee", "stap een"; else the article ("met een collega").
    if (word === 'een' && w[i + 1] !== undefined && !['en', 'and', 'tm', '-', 'tot', 't'].includes(w[i + 1])) {
      unknown = true;
      continue;
    }
    const value = ORDINALS[word] ?? numberWord(word);
    if (value !== undefined) {
      if (!Number.isInteger(value) || value < 1 || value > 5) return undefined;
      const connector = w[i + 1] === 'tot' && w[i + 2] === 'en' && w[i + 3] === 'met' ? 3 : ['tm', '-', 'to', 'tot', 'through', 'until', 'till', 't'].includes(w[i + 1] ?? '') ? 1 : 0;
      const skipM = w[i + 1] === 't' && w[i + 2] === 'm' ? 1 : 0;
      const upper = connector ? (ORDINALS[w[i + 1 + connector + skipM] ?? ''] ?? numberWord(w[i + 1 + connector + skipM] ?? '')) : undefined;
      if (connector && upper !== undefined) {
        if (!Number.isInteger(upper) || upper < value || upper > 5) return undefined;
        range(value, upper).forEach((s) => out.add(s));
        i += connector + skipM + 1;
        continue;
      }
      out.add(value as StapNr);
      continue;
    }
    if (!STEP_FILLERS.has(word)) unknown = true;
  }
  if (out.size && !unknown) return [...out].sort((a, b) => a - b);
  // The steps' titles, also as the card shows them ("1. Breng de signalen in kaart"): the numbers must agree.
  const byLabel = new Set(stepLabels(policy).match(w).map((x) => x.value));
  if (!byLabel.size || [...out].some((x) => !byLabel.has(x))) return undefined;
  return [...byLabel].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------------------
// Signals, forms, disclosure

/** Paraphrases of the policy's signals (only used for codes the policy has). */
const SIGNAL_PARAPHRASES: Record<string, string[]> = {
  'lichamelijk-letsel': ['blauw oog', 'blauwe ogen', 'blauwe plek', 'bult', 'bulten', 'wond', 'wonden', 'gewond', 'kneuzing', 'kneuzingen', 'brandplek', 'brandplekken', 'snijwond', 'bruise', 'bruises', 'bruised', 'black eye', 'burn', 'burns', 'injury', 'injuries', 'injured', 'fracture'],
  verwaarlozing: ['hongerig', 'geen eten', 'geen lunch', 'geen brood', 'onverzorgd', 'vies', 'stinkt', 'geen jas', 'dunne kleren', 'verwaarloosd', 'uitgeput', 'hungry', 'neglect', 'neglected', 'dirty', 'unkempt', 'smells', 'exhausted', 'no food'],
  'gedrag-angstig': ['stil', 'erg stil', 'in zichzelf gekeerd', 'angst', 'trilt', 'durft niet naar huis', 'wil niet naar huis', 'schrikt snel', 'schrikt van', 'timide', 'anxious', 'scared', 'afraid', 'withdrawn', 'jumpy', 'fearful'],
  'gedrag-agressief': ['gedrag veranderd', 'gedrag is veranderd', 'veranderd gedrag', 'gedragsverandering', 'ander gedrag', 'behaviour changed', 'behavior changed', 'agressie', 'woedeaanval', 'woedeaanvallen', 'slaat andere kinderen', 'schopt andere kinderen', 'vechtpartij', 'vechtpartijen', 'aggressive', 'aggression', 'tantrum', 'tantrums', 'fights'],
  'seksueel-gedrag': ['seksualiserend', 'seksualiserend gedrag', 'sexual behaviour', 'sexual behavior', 'sexualised'],
  schoolverzuim: ['afwezig', 'verzuimt', 'vaak ziek', 'vaak te laat', 'niet op school', 'mist school', 'absent', 'absence', 'truant', 'truancy', 'misses school', 'skips school'],
  uitspraken: ['zorgwekkende uitspraken', 'zorgelijke uitspraak', 'uitspraak', 'worrying statement', 'statements'],
  'signalen-ouders': ['dronken', 'drinkt', 'blowt', 'wiet', 'cocaine', 'psychisch ziek', 'psychische problemen', 'psychose', 'addiction', 'addicted', 'drunk', 'mental illness'],
  'getuige-partnergeweld': ['ouders maken ruzie', 'ruzie tussen ouders', 'vader slaat moeder', 'papa slaat mama', 'ziet geweld', 'geweld thuis', 'huiselijk geweld thuis', 'witness', 'witnessed', 'parents fight'],
  'kind-oudergeweld': ['slaat zijn ouders', 'slaat haar ouders', 'slaat zijn vader', 'slaat haar vader', 'child to parent'],
  vechtscheiding: ['ruzie over de kinderen', 'strijd over de kinderen', 'high conflict divorce'],
  isolatie: ['geisoleerd', 'mag geen vrienden', 'mag niet naar buiten', 'mag niet weg', 'isolated', 'isolation'],
  'geen-eigen-geld': ['krijgt geen geld', 'heeft geen geld', 'no money'],
  controle: ['controleert haar telefoon', 'controleert zijn telefoon', 'leest berichten', 'jealous', 'jealousy', 'controlling'],
  bedreiging: ['bedreigd', 'bedreigt', 'dreigement', 'dreigementen', 'threat', 'threats', 'threatened', 'threatens'],
  stalking: ['achtervolgt', 'stalkt', 'stalker', 'stalking'],
  wapenbezit: ['heeft een wapen', 'weapon', 'weapons', 'gun', 'knife'],
  'escalatie-scheiding': ['na de scheiding', 'sinds de scheiding'],
  'psychische-mishandeling': ['kleineert', 'scheldt uit', 'scheldt haar uit', 'scheldt hem uit', 'vernedert', 'vernederd', 'insults', 'belittles', 'belittling', 'humiliates'],
  'financiele-uitbuiting': ['geld kwijt', 'geld weg', 'geld verdwijnt', 'bankpas', 'financieel misbruik', 'money disappears', 'money missing', 'bank card'],
  'ontspoorde-mantelzorg': ['mantelzorger', 'overbelaste mantelzorger', 'overburdened carer', 'overburdened caregiver'],
  'nooit-alleen': ['nooit alleen', 'altijd aanwezig', 'never alone', 'never seen alone'],
};
const VORM_PARAPHRASES: Record<string, string[]> = {
  eergerelateerd: ['eerzaak', 'eer gerelateerd', 'honour violence', 'honor violence', 'honour related', 'honor related'],
  huwelijksdwang: ['moet trouwen', 'gedwongen trouwen', 'gedwongen te trouwen', 'uithuwelijking', 'forced marriage', 'forced to marry'],
  vgv: ['genitale verminking', 'meisjesbesnijdenis', 'besnijdenis', 'fgm', 'female genital mutilation'],
  seksueel: ['seksueel misbruikt', 'aangerand', 'verkrachting', 'sexual abuse', 'sexually abused', 'rape', 'raped'],
  mensenhandel: ['loverboy', 'loverboys', 'uitbuiting', 'mensenhandel', 'trafficking', 'exploited', 'exploitation'],
};
const NO_SIGNALS = ['geen', 'geen van deze', 'geen van allen', 'niets', 'niks', 'none', 'none of these', 'nothing', 'nee', 'no', 'geen signalen', 'geen bijzondere signalen', 'no signs'];

type SignalHit = { kind: 'signaal'; code: string } | { kind: 'vorm'; code: Vorm };
interface SignalTables {
  /**
   * Per doelgroep (and 'all'): the phrases of its signals and of the forms first, then those of the other signals,
   * which only take their words away ("financiële uitbuiting" is no "uitbuiting" form for a child).
   */
  byDoelgroep: Map<Doelgroep | 'all', PhraseIndex<SignalHit>>;
  doelgroepen: Map<string, readonly Doelgroep[]>;
  none: Set<string>;
}
const signalCache = new WeakMap<Policy, SignalTables>();

/** Parts of a signal label people type: "Verwaarlozing (slecht verzorgd, vaak hongerig)" → the whole, the head, each item. */
function signalLabelParts(label: string): string[] {
  const out = [label];
  const head = label.replace(/\(.*\)/g, '').trim();
  out.push(head, ...head.split(/,| of | or /).map((p) => p.trim()));
  const inside = /\(([^)]*)\)/.exec(label)?.[1];
  if (inside) out.push(...inside.split(',').map((p) => p.trim()));
  return out.filter((p) => p.length >= 4 && !p.endsWith('-'));
}

function signalTables(policy: Policy): SignalTables {
  let t = signalCache.get(policy);
  if (t) return t;
  const vormPhrases = policy.vormen.flatMap((v) =>
    [
      ...phrases<SignalHit>({ kind: 'vorm', code: v.code }, [v.code, ...signalLabelParts(v.label.nl), ...signalLabelParts(v.label.en), ...(VORM_PARAPHRASES[v.code] ?? [])]),
      ...phrases<SignalHit>({ kind: 'vorm', code: v.code }, v.trefwoorden.map((w) => w.replace(/\*$/, '')), true),
    ],
  );
  const signalPhrases = (doelgroep: Doelgroep | 'all', own: boolean) =>
    policy.signalen
      .filter((s) => (doelgroep === 'all' || s.doelgroepen.includes(doelgroep)) === own)
      .flatMap((s) => [
        ...phrases<SignalHit>({ kind: 'signaal', code: s.code }, [s.code, ...signalLabelParts(s.label.nl), ...signalLabelParts(s.label.en), ...(SIGNAL_PARAPHRASES[s.code] ?? [])]),
        ...phrases<SignalHit>({ kind: 'signaal', code: s.code }, s.trefwoorden.map((w) => w.replace(/\*$/, '')), true),
      ]);
  const byDoelgroep = new Map<Doelgroep | 'all', PhraseIndex<SignalHit>>();
  for (const d of [...DOELGROEPEN, 'all'] as const) byDoelgroep.set(d, new PhraseIndex([...signalPhrases(d, true), ...vormPhrases, ...signalPhrases(d, false)]));
  t = { byDoelgroep, doelgroepen: new Map(policy.signalen.map((s) => [s.code, s.doelgroepen])), none: new Set([...NO_SIGNALS, ...uiLabels('signalen.none')].map(phrase)) };
  signalCache.set(policy, t);
  return t;
}

/** Signals and forms named in text (labels, keywords, paraphrases); the signals of the doelgroep only, when given. */
export function findSignalsIn(text: TextOrWords, policy: Policy, doelgroep?: Doelgroep): { signalen: string[]; vormen: Vorm[] } {
  const t = signalTables(policy);
  const matches = t.byDoelgroep.get(doelgroep ?? 'all')?.match(text) ?? [];
  const signalen = new Set<string>();
  const vormen = new Set<Vorm>();
  for (const m of matches) {
    if (m.value.kind === 'vorm') vormen.add(m.value.code);
    else if (!doelgroep || t.doelgroepen.get(m.value.code)?.includes(doelgroep)) signalen.add(m.value.code);
  }
  // Keep the policy's order, as the card shows it.
  return { signalen: policy.signalen.map((s) => s.code).filter((c) => signalen.has(c)), vormen: policy.vormen.map((v) => v.code).filter((c) => vormen.has(c)) };
}

const TELL = new PhraseIndex(phrases(true, ['vertelde', 'vertelt', 'verteld', 'vertellen', 'zei', 'zegt', 'gezegd', 'zeggen', 'gaf aan', 'geeft aan', 'aangegeven', 'vertrouwde', 'toevertrouwd', 'onthulde', 'onthuld', 'biechtte', 'opgebiecht', 'told', 'tells', 'said', 'says', 'disclosed', 'confided']));
/** Violence or abuse told about: present or past, in the words people use. */
const ABUSE = [
  'slaat', 'slaan', 'sloeg', 'sloegen', 'geslagen', 'klappen', 'klap', 'tikken', 'schopt', 'schoppen', 'schopte', 'geschopt', 'trapt', 'trapte', 'getrapt', 'knijpt', 'kneep', 'geknepen', 'duwt', 'duwde', 'geduwd',
  'wurgt', 'wurgde', 'gewurgd', 'stompt', 'stompte', 'gestompt', 'mishandelt', 'mishandeld', 'mishandeling', 'misbruikt', 'misbruik', 'aangerand', 'aanrandt', 'verkracht', 'verkrachting', 'betast', 'aanraakt', 'aan zit', 'aanzit', 'aan haar zit', 'aan hem zit', 'aan mij zit', 'aan me zit', 'aan haar zat', 'aan hem zat',
  'pijn doet', 'pijn gedaan', 'doet pijn', 'bedreigt', 'bedreigd', 'opgesloten', 'sluit op', 'sloot op', 'vastgebonden', 'brandt', 'verbrandde', 'geweld', 'moet trouwen', 'uitgehuwelijkt', 'besneden', 'seks',
  'hits', 'hit', 'beats', 'beat', 'beaten', 'kicks', 'kicked', 'abuse', 'abuses', 'abused', 'hurts', 'hurt', 'touched', 'touches', 'raped', 'rapes', 'chokes', 'choked', 'threatens', 'threatened', 'locked up', 'forced to marry',
];
const ABUSE_INDEX = new PhraseIndex(phrases(true, ABUSE));
/** Who tells, when it is not the child or client: the professional ("ik vertelde") or a third party ("de buurvrouw zei"). */
const NOT_THE_CLIENT = new Set(['ik', 'we', 'wij', 'i', 'buurvrouw', 'buurman', 'buren', 'collega', 'collegas', 'juf', 'meester', 'leerkracht', 'docent', 'mentor', 'huisarts', 'politie', 'iemand', 'anderen', 'neighbour', 'neighbor', 'neighbours', 'neighbors', 'colleague', 'teacher', 'someone']);
const NEGATIONS = new Set(['geen', 'niet', 'nooit', 'no', 'not', 'never']);
/** The toggle on the signals card ("Het slachtoffer heeft het zelf verteld") and plain variants. */
const DISCLOSURE_PHRASES = new PhraseIndex(phrases(true, [...uiLabels('signalen.disclosure'), 'zelf verteld', 'heeft het zelf verteld', 'het zelf verteld', 'zelf gezegd', 'onthulling', 'disclosure', 'told me themselves', 'told me herself', 'told me himself', 'self disclosed']));

/**
 * Whether text tells of a disclosure: the child or client told about violence or abuse ("hij vertelde dat vader hem
 * slaat", "ze zei dat ze moet trouwen"). A telling without violence ("zegt dat papa boos was"), by the professional
 * ("ik vertelde de moeder …") or by a third party ("de buurvrouw zei …"), or a denial ("zei dat er geen geweld is") is none.
 */
export function isDisclosure(text: TextOrWords): boolean {
  const w = toWords(text);
  const tellings = TELL.match(w).filter((t) => !w.slice(Math.max(0, t.start - 3), t.start).some((x) => NOT_THE_CLIENT.has(x)));
  if (!tellings.length) return false;
  // "zegt dat er geen geweld is", "zei dat hij haar niet slaat": a denial is no disclosure.
  const abuse = ABUSE_INDEX.match(w).filter((a) => !w.slice(Math.max(0, a.start - 2), a.start).some((x) => NEGATIONS.has(x)));
  return abuse.some((a) => tellings.some((t) => a.start >= t.start - 8 && a.start < t.start + 16));
}

/**
 * The signals question: signals by their card label (nl, en), a part of it ("blauwe plekken", "hongerig"), the
 * policy's keywords or a paraphrase; the special forms likewise; the disclosure toggle's label or a told-about
 * violence. "geen" / "geen van deze" is an empty answer; undefined when nothing is recognised.
 */
export function parseSignalen(text: string, policy: Policy, doelgroep?: Doelgroep): SignalenAnswer | undefined {
  const n = stripFillers(normaliseLoose(text));
  if (!n) return undefined;
  if (signalTables(policy).none.has(n)) return { signalen: [], vormen: [], disclosure: false };
  const w = n.split(' ');
  const { signalen, vormen } = findSignalsIn(w, policy, doelgroep);
  const disclosure = DISCLOSURE_PHRASES.match(w).length > 0 || isDisclosure(w);
  if (!signalen.length && !vormen.length && !disclosure) return undefined;
  return { signalen, vormen, disclosure };
}
