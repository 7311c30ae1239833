/**
 * Token-based detection of person names (NAAM) and institution/street names (INSTELLING).
 *
 * Dutch capitalises proper nouns but not ordinary nouns, so a capitalised word in the middle of a sentence that is not
 * a known ordinary word, organisation or place is treated as (part of) a name: recall matters more than precision.
 * At the start of a sentence only words from the name lists count, so "Gisteren" or "Moeder" are left alone.
 */
import type { Candidate } from './patterns';
import { STRONG_STREET, NOT_STREETS } from './patterns';
import { AMBIGUOUS_NAMES, FIRST_NAMES, LOWERCASE_COLLISIONS, ORGANISATIONS, PLACES, STOPWORDS, SURNAMES } from './lexicon';

interface Token {
  start: number;
  end: number;
  text: string;
  lc: string;
  /** `lc` without a possessive 's. */
  base: string;
  /** Starts with an upper-case letter and contains a lower-case one ("Daan", "El", not "GGD"). */
  cap: boolean;
  /** A single upper-case letter followed by a dot ("J.") or by a name ("J de Vries"). */
  initial: boolean;
  lex: boolean;
  stop: boolean;
  place: boolean;
  sentenceStart: boolean;
  /** Inside a public organisation's name ("Veilig Thuis"). */
  org: boolean;
}

const TOKEN_RE = /'t(?![\p{L}])|[\p{L}\p{M}][\p{L}\p{M}'’]*(?:-[\p{L}\p{M}][\p{L}\p{M}'’]*)*/gu;
const INTERFIXES = new Set([
  'van', 'de', 'der', 'den', 'ter', 'ten', 'te', 'het', "'t", 'la', 'le', 'el', 'al', 'da', 'dos', 'di', 'du', 'von',
  'bin', 'ibn', 'abu', 'ait', 'ou', 'op', 'in', 'vande', 'vander', 'del', 'della', 'des', 'les', 'ben',
]);
/** Interfixes after which even a place-like word is taken as a surname ("van Dijk", "van Heemskerk"). */
const STRONG_INTERFIXES = new Set(['van', 'de', 'der', 'den', 'ter', 'ten', 'el', 'al', 'ben', 'bin', 'ibn', 'abu', 'ait', 'ou']);
const TITLES = new Set([
  'fam', 'familie', 'dhr', 'mevr', 'mw', 'mvr', 'mej', 'meneer', 'mevrouw', 'juf', 'juffrouw', 'meester', 'mr', 'dr', 'drs', 'ir', 'ing',
  'prof', 'heer', 'zuster', 'dokter', 'dhr.', 'mevr.', 'mw.',
]);
const ROLE_WORDS = new Set([
  'moeder', 'vader', 'zoon', 'dochter', 'broer', 'broertje', 'zus', 'zusje', 'zuster', 'oma', 'opa', 'tante', 'oom',
  'neef', 'nicht', 'neefje', 'nichtje', 'stiefvader', 'stiefmoeder', 'stiefzoon', 'stiefdochter', 'pleegmoeder',
  'pleegvader', 'pleegzoon', 'pleegdochter', 'halfbroer', 'halfzus', 'halfbroertje', 'halfzusje', 'partner', 'vriend',
  'vriendin', 'vriendje', 'vriendinnetje', 'ex', 'ex-partner', 'ex-man', 'ex-vrouw', 'echtgenoot', 'echtgenote', 'man',
  'vrouw', 'leerling', 'leerlinge', 'cliënt', 'client', 'cliënte', 'kind', 'kindje', 'baby', 'meisje', 'jongen',
  'jongetje', 'buurvrouw', 'buurman', 'buurmeisje', 'buurjongen', 'collega', 'mentor', 'leerkracht', 'docent',
  'docente', 'huisarts', 'jeugdarts', 'consulent', 'consulente', 'begeleider', 'begeleidster', 'hulpverlener',
  'casemanager', 'wijkagent', 'mama', 'papa', 'mam', 'pap', 'klasgenoot', 'klasgenote', 'klasgenootje',
  'tweelingbroer', 'tweelingzus', 'kleinzoon', 'kleindochter', 'schoonmoeder', 'schoonvader', 'zwager', 'schoonzus',
  'genaamd', 'heet', 'heten', 'naam', 'roepnaam', 'voornaam', 'achternaam', 'dochtertje', 'zoontje', 'stiefbroer',
  'stiefzus', 'peuter', 'kleuter', 'tiener', 'puber', 'jongeman', 'mevrouw', 'meneer', 'schoonzoon', 'schoondochter',
  'kleinkind', 'achterneef', 'overbuurman', 'overbuurvrouw', 'bovenbuurman', 'bovenbuurvrouw', 'onderbuurman',
  'benedenbuurvrouw', 'groepsgenoot', 'intern', 'ib-er', 'zorgcoördinator', 'verloskundige', 'kraamverzorgster',
  'gastouder', 'oppas', 'leidster', 'pedagogisch', 'medewerker', 'leraar', 'lerares', 'coach', 'trainer',
]);
const ROLE_WORDS_FOR_APPOSITION = new Set([
  'moeder', 'vader', 'zoon', 'dochter', 'broer', 'zus', 'zusje', 'broertje', 'oma', 'opa', 'tante', 'oom', 'neef',
  'nicht', 'stiefvader', 'stiefmoeder', 'partner', 'vriend', 'vriendin', 'ex', 'leerling', 'cliënt', 'client', 'buurvrouw',
  'buurman', 'collega', 'mentor', 'leerkracht', 'juf', 'meester', 'jongste', 'oudste', 'baby', 'pleegmoeder',
  'pleegvader', 'echtgenoot', 'echtgenote', 'halfbroer', 'halfzus', 'kleinzoon', 'kleindochter',
]);
const INSTITUTION_TRIGGERS = new Set([
  'basisschool', 'school', 'obs', 'cbs', 'pcbs', 'rkbs', 'rk', 'ikc', 'kindcentrum', 'kinderdagverblijf', 'kdv', 'bso',
  'peuterspeelzaal', 'peuteropvang', 'kinderopvang', 'gastouderbureau', 'college', 'lyceum', 'gymnasium',
  'scholengemeenschap', 'sg', 'csg', 'mavo', 'praktijkschool', 'ziekenhuis', 'kliniek', 'huisartsenpraktijk',
  'tandartspraktijk', 'apotheek', 'wijkcentrum', 'buurthuis', 'sportvereniging', 'voetbalvereniging', 'vv', 'moskee',
  'kerk', 'zorgboerderij', 'woongroep', 'azc', 'jeugdinstelling', 'zorginstelling', 'verpleeghuis',
  'verzorgingshuis', 'woonzorgcentrum', 'wijk', 'buurt', 'speeltuin', 'kinderboerderij', 'gezondheidscentrum',
  'kindcentra', 'montessorischool', 'daltonschool', 'jenaplanschool', 'vrije', 'islamitische', 'christelijke',
  'katholieke', 'openbare', 'opvang', 'instelling', 'praktijk', 'zorgcentrum', 'dagbesteding', 'jeugdhulpaanbieder',
]);
/** Company words that introduce a name like a school trigger does ("Bouwbedrijf Hendriks", "Kapsalon Yasmina"). */
const COMPANY_TRIGGER = /^(?:\p{L}{2,}bedrijf|bedrijf|firma|kapsalon|garage|bakkerij|slagerij|snackbar|restaurant|supermarkt|winkel|\p{L}{2,}winkel|fabriek|\p{L}{2,}bureau|stichting|vereniging)$/u;
/** Words after which "bij"/"voor" + a capitalised name is an employer or club ("werkt bij Albert Heijn"). */
const EMPLOYMENT_CONTEXT = new Set([
  'werkt', 'werkte', 'werken', 'werkten', 'werkzaam', 'baan', 'bijbaan', 'bijbaantje', 'stage', 'stageplek', 'vrijwilliger', 'vrijwilligerswerk', 'dienst', 'solliciteert', 'solliciteerde', 'traint', 'trainde', 'sport',
  'sportte', 'voetbalt', 'voetbalde', 'lid', 'ontslagen', 'aangenomen', 'schoonmaakt', 'kantoor',
  'stagiair', 'stagiaire', 'uitzendkracht', 'oproepkracht', 'vakkenvuller', 'caissière', 'chauffeur',
]);
const INSTITUTION_SUFFIX_WORDS = new Set([
  'ziekenhuis', 'kliniek', 'college', 'lyceum', 'school', 'scholengemeenschap', 'praktijk', 'mc', 'umc', 'gasthuis',
  'kindcentrum', 'academie', 'gymnasium', 'kinderopvang', 'huisartsen', 'bewind', 'bewindvoering', 'bv', 'b.v',
  'zorg', 'jeugdzorg', 'kinderopvang', 'opvang', 'thuiszorg', 'zorggroep', 'kinderdagverblijf', 'basisschool',
]);
/** Short lowercase words allowed inside institution names before a suffix word ("Thomas a Kempis College"). */
const INSTITUTION_CONNECTORS = new Set(['a', 'voor', 'en']);
const COMPOUND_INSTITUTION = /^\p{Lu}\p{Ll}[\p{L}'-]*(?:school|college|lyceum|ziekenhuis|kliniek|gasthuis|kindcentrum|huis)$/u;
/** Verbs (and "en") that typically follow a person's name at the start of a sentence: "Liyana vertelde ...". */
const NAME_FOLLOWERS = new Set([
  'zegt', 'zei', 'vertelt', 'vertelde', 'is', 'was', 'heeft', 'had', 'kwam', 'komt', 'gaat', 'ging', 'woont', 'woonde',
  'zit', 'zat', 'wil', 'wilde', 'moet', 'moest', 'kan', 'kon', 'mag', 'mocht', 'huilt', 'huilde', 'belde', 'belt',
  'speelt', 'speelde', 'loopt', 'liep', 'krijgt', 'kreeg', 'werd', 'wordt', 'slaapt', 'sliep', 'eet', 'at', 'lijkt',
  'leek', 'vindt', 'vond', 'durft', 'durfde', 'praat', 'sprak', 'maakt', 'maakte', 'heet', 'laat', 'liet',
  'reageert', 'reageerde', 'weet', 'wist', 'vroeg', 'vraagt', 'schreef', 'schrijft', 'stuurt', 'stuurde', 'mailde',
  'appte', 'en', 'zag', 'ziet', 'hoorde', 'hoort', 'voelt', 'voelde', 'lacht', 'lachte', 'schreeuwt', 'schreeuwde',
  'rent', 'rende', 'valt', 'viel', 'kijkt', 'keek', 'gaf', 'geeft', 'blijft', 'bleef', 'staat', 'stond', 'ligt', 'lag',
  'draagt', 'droeg', 'verzuimt', 'verzuimde', 'mist', 'miste', 'meldt', 'meldde', 'toont', 'toonde', 'liegt', 'loog',
  'slaat', 'sloeg', 'schopt', 'schopte', 'duwt', 'duwde', 'werkt', 'werkte', 'ontkent', 'ontkende', 'weigert',
  'weigerde', 'heb', 'ben', 'kreeg', 'had', 'zou', 'zal', 'werd', 'begon', 'begint', 'stopte', 'rookt', 'drinkt',
  'dronk', 'gebruikt', 'gebruikte', 'bedreigt', 'bedreigde', 'dreigt', 'dreigde', 'verliet', 'vertrok', 'verhuisde',
]);
/** Endings of ordinary Dutch words; an unknown sentence-initial word with such an ending is not taken as a name. */
const DUTCH_WORD_ENDING = /(?:heid|ing|ingen|lijk|lijke|tje|tjes|je|jes|ig|ige|isch|ische|baar|schap|teit|tie|ties|en|ers|s|nis|ent|ant|ist|ief|ieve|eur|uur|aal|air|ijn|oer|ouw|uw|ld|rd|cht|de|te|end|ste|isme|abel|ibel|loos|loze|zaam|achtig|rit|blad|tal|ief|ijk|el|er|arig|arige)$/;
/** Endings of nationality/language adjectives ("Belgisch", "Marokkaanse", "Eritrese"): never a name seed. */
const ADJECTIVE_ENDING = /(?:isch|ische|aans|aanse|iaans|iaanse|ees|ese|ands|andse|ools|oolse|urks|urkse|ans|anse)$/;
/** Words after which an unknown capitalised word is a place ("woont in Wapenveld", "komt uit Oldebroek"). */
const PLACE_PREPOSITIONS = new Set(['in', 'te', 'uit', 'vanuit', 'richting', 'nabij', 'gemeente', 'regio', 'provincie', 'dorp', 'stad']);
/** Words after which an unknown capitalised word is a thing, not a person ("het Instagramaccount", "de Regenboog"). */
const DETERMINERS = new Set(['de', 'het', "'t", 'een', 'onze', 'ons', 'elke', 'iedere', 'welke']);
const AFTER_POSTCODE = /(?:(?<!\d)[1-9]\d{3}(?:[ ]?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})|\[POSTCODE\]),?[ ]+$/;
/**
 * Lower-case words that are also first names or surnames ("roos", "bakker", "mag"): never taken as a name when written
 * without a capital.
 */
const LOWERCASE_WORDS: ReadonlySet<string> = new Set([...AMBIGUOUS_NAMES, ...STOPWORDS, ...LOWERCASE_COLLISIONS]);
/** Two-letter words that are never a name at the start of a sentence (belt and braces next to STOPWORDS). */
const SHORT_NOT_NAMES = new Set(['ik', 'er', 'nu', 'zo', 'al', 'je', 'ze', 'we', 'na', 'om', 'op', 'in', 'of', 'te', 'ja', 'ok', 'en', 'u', 'ab', 'eh', 'oh', 'nr', 'tv', 'pc', 'id']);

/**
 * Diminutive of a listed first name ("pietje", "keesje", "marietje", "henkie"): the name without -tje/-je/-ie, when
 * that name is not also an ordinary word ("roosje" stays a little rose).
 */
function diminutiveOfName(lc: string): boolean {
  if (lc.length < 5 || STOPWORDS.has(lc)) return false;
  for (const suffix of ['tje', 'je', 'ie', 'etje']) {
    if (!lc.endsWith(suffix)) continue;
    let base = lc.slice(0, -suffix.length);
    // "jannetje", "bennetje": the consonant is doubled before -etje
    if (suffix === 'etje' && /([^aeiou])\1$/.test(base)) base = base.slice(0, -1);
    if (base.length >= 3 && FIRST_NAMES.has(base) && !AMBIGUOUS_NAMES.has(base)) return true;
  }
  return false;
}

/** A word written without case information: all lower case ("jansen") or all capitals ("JANSEN", "DE"). */
function caseless(t: Token): 'lower' | 'upper' | null {
  if (t.text === t.lc) return 'lower';
  if (t.text.length >= 2 && t.text === t.text.toUpperCase() && /^\p{Lu}/u.test(t.text)) return 'upper';
  return null;
}
/**
 * Shape test for an unknown word at the start of a sentence that is followed by a verb ("Liyana vertelde ..."): short,
 * without typically Dutch letter clusters or endings. Dutch nouns in that position ("Overleg is ...", "Verzuim is ...")
 * mostly fail it; names from the lists never need it.
 */
function looksLikeForeignName(lc: string): boolean {
  // Two letters ("Mo", "Bo", "Ed") only when not a short Dutch word; those are in STOPWORDS and never reach here.
  if (lc.length < 2 || lc.length > 10 || (lc.length === 2 && SHORT_NOT_NAMES.has(lc))) return false;
  if (DUTCH_WORD_ENDING.test(lc)) return false;
  return !/ij|sch|cht|ui|eu|uu|aa|ee|oo|oe|ie[^r]|ng$|nk$|rd$|ld$|ft$|st$|rt$|rk$|lk$|mp$|ps$|ts$|ks$|gd$|pt$|kt$|zelf|^(?:ver|ont|be|ge|her|mis|weg|op|af|aan|uit|in|over|onder|door|mee|na|voor|toe|terug)/.test(lc);
}
const LOWERCASE_INSTITUTION_TRIGGERS = new Set([
  'obs', 'cbs', 'pcbs', 'rkbs', 'ikc', 'kdv', 'bso', 'csg', 'sbo', 'so', 'vso', 'basisschool', 'kindcentrum',
  'kinderdagverblijf', 'peuterspeelzaal', 'peuteropvang', 'huisartsenpraktijk', 'praktijkschool', 'montessorischool',
  'daltonschool', 'jenaplanschool', 'gastouderbureau', 'woonzorgcentrum', 'verpleeghuis', 'zorgboerderij',
]);
/** What follows a person's name: "Zumra (7)", "Zumra, 9 jaar", "Zumra, de dochter van ...", "Zumra's". */
const NAME_CONTEXT_AFTER = new RegExp(
  String.raw`^(?:[ ]?\(\d{1,2}(?:[ ]?(?:jaar|jr))?\)|[ ]?\((?:groep|gr\.?|klas)[ ]?\d|[ ]+(?:uit|in|van)[ ]+(?:groep|klas)[ ]+\d|,[ ]+\d{1,2}[ ]+jaar|,[ ]+(?:de|het|een|mijn|haar|zijn|onze|hun)[ ]+(?:${[...ROLE_WORDS_FOR_APPOSITION].join('|')})(?![\p{L}]))`,
  'u',
);
const GREETINGS = new Set(['beste', 'hoi', 'hallo', 'dag', 'lieve', 'geachte', 'hey', 'hi', 'groet', 'groeten', 'groetjes', 'bedankt', 'dank', 'met', 'en', 'of']);
const COMPASS = new Set(['noord', 'oost', 'zuid', 'west', 'centrum', 'noordoost', 'noordwest', 'zuidoost', 'zuidwest', 'midden']);
const PLACEHOLDER_BEFORE = /\[(?:BSN|POSTCODE|ADRES|TELEFOON|EMAIL|URL|IBAN|DATUM|LEEFTIJD|ID|NAAM|INSTELLING)\]$/;
const ARTICLES = new Set(['de', 'het', "'t", 'den']);
const ABBREVIATIONS = new Set(['fam', 'dhr', 'mevr', 'mw', 'mvr', 'mej', 'dr', 'mr', 'drs', 'ir', 'ing', 'prof', 'st', 'bijv', 'evt', 'ca', 'nr', 'tel', 'o.a', 'jl', 'vs', 'geb']);

const ORG_RE = new RegExp(
  '(?<![\\p{L}])(?:' +
    [...ORGANISATIONS]
      .filter((o) => o.includes(' '))
      .sort((a, b) => b.length - a.length)
      .map((o) => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|') +
    ')(?![\\p{L}])',
  'gu',
);
const SINGLE_ORGS = new Set(ORGANISATIONS.filter((o) => !o.includes(' ')).map((o) => o.toLowerCase()));

const NEEDS_BASE = /[\u0307'’]/;

/** Lower-cased word without possessive 's and without the combining dot of Turkish İ. */
function baseForm(lc: string): string {
  if (!NEEDS_BASE.test(lc)) return lc;
  return lc.replace(/\u0307/g, '').replace(/['’]s$/, '').replace(/['’]$/, '');
}

function inLexBase(b: string): boolean {
  if (FIRST_NAMES.has(b) || SURNAMES.has(b)) return true;
  if (b.includes('-')) return b.split('-').some((p) => FIRST_NAMES.has(p) || SURNAMES.has(p));
  return false;
}


/** "wmo-systeem", "snapchat-account", "amsterdam-zuidoost": a hyphenated word whose first part is a known word. */
function compoundOfKnownWord(lc: string, set: ReadonlySet<string>): boolean {
  const dash = lc.indexOf('-');
  if (dash <= 0) return false;
  const parts = lc.split('-');
  if (parts.some((p) => FIRST_NAMES.has(p) || SURNAMES.has(p))) return false;
  return set.has(parts[0]) || SINGLE_ORGS.has(parts[0]);
}

/** "instagramaccount", "whatsappgroep": a closed compound whose head is a known non-name word (>= 5 letters). */
function stopwordPrefixed(lc: string): boolean {
  if (lc.length < 9 || FIRST_NAMES.has(lc) || SURNAMES.has(lc)) return false;
  for (let k = 5; k <= lc.length - 4; k++) {
    const head = lc.slice(0, k);
    if (SINGLE_ORGS.has(head) || (STOPWORDS.has(head) && !FIRST_NAMES.has(head) && !SURNAMES.has(head))) return true;
  }
  return false;
}

function tokenize(text: string): Token[] {
  const orgCovered: Array<[number, number]> = [];
  if (ORG_RE.source.length > 30) {
    ORG_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = ORG_RE.exec(text)) !== null) orgCovered.push([m.index, m.index + m[0].length]);
  }
  const tokens: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  let org = 0;
  while ((m = TOKEN_RE.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    const t = m[0];
    const lc = t.toLowerCase();
    while (org < orgCovered.length && orgCovered[org][1] <= start) org++;
    const inOrg = org < orgCovered.length && orgCovered[org][0] <= start;
    // "IB'er", "VMBO-leerling" start with an abbreviation: not a capitalised word ("IJsselland" is).
    // "el-Amrani", "al-Hassan": a particle glued to a capitalised surname counts as capitalised.
    const cap =
      (/^\p{Lu}/u.test(t) && /\p{Ll}/u.test(t) && (!/^\p{Lu}\p{Lu}/u.test(t) || /^IJ\p{Ll}/u.test(t))) ||
      /^(?:el|al|ben|bin|abu|ait|ou|van|de|le|la|da|di)-\p{Lu}\p{Ll}/u.test(t);
    // "J." or, without the dot, "J de Vries" / "J Jansen"
    const initial =
      t.length === 1 && /\p{Lu}/u.test(t) && (text[end] === '.' || /^ (?:(?:van|de|der|den|el|al|ter|ten) )?\p{Lu}\p{Ll}/u.test(text.slice(end, end + 8)));
    const base = baseForm(lc);
    const lex = inLexBase(base);
    const hyphen = lc.includes('-');
    // The compound tests only matter for capitalised words (lower-case words are never name seeds on their own).
    const stop =
      inOrg || STOPWORDS.has(base) || SINGLE_ORGS.has(lc) || (cap && ((hyphen && compoundOfKnownWord(lc, STOPWORDS)) || stopwordPrefixed(lc)));
    const place =
      PLACES.has(base) ||
      (cap && hyphen && compoundOfKnownWord(lc, PLACES)) ||
      // a word right after a postcode is the place name ("1234 AB Ergens")
      (cap && !lex && AFTER_POSTCODE.test(text.slice(Math.max(0, start - 12), start)));
    tokens.push({ start, end, text: t, lc, base, cap, initial, lex, stop, place, sentenceStart: false, org: inOrg || SINGLE_ORGS.has(lc) });
  }
  for (let i = 0; i < tokens.length; i++) tokens[i].sentenceStart = isSentenceStart(text, tokens, i);
  return tokens;
}

function isSentenceStart(text: string, tokens: Token[], i: number): boolean {
  let p = tokens[i].start - 1;
  while (p >= 0 && (text[p] === ' ' || text[p] === '\t')) p--;
  if (p < 0) return true;
  const ch = text[p];
  if (ch === '\n' || ch === '\r' || ch === ':' || ch === '"' || ch === '“' || ch === '„' || ch === '(' || ch === '•' || ch === '*' || ch === '>' || ch === '‘' || ch === '!' || ch === '?' || ch === ';') {
    return true;
  }
  if (ch === "'" && p + 1 === tokens[i].start) return true;
  // After one of our placeholders ("[NAAM] Zumra"): in the original text a line break or sentence end was likely there.
  if (ch === ']' && PLACEHOLDER_BEFORE.test(text.slice(Math.max(0, p - 11), p + 1))) return true;
  if (ch === '-' && (p === 0 || /\s/.test(text[p - 1]))) return true;
  if (ch === '.' || ch === '…') {
    const prev = i > 0 ? tokens[i - 1] : undefined;
    if (prev && prev.end === p) {
      if (prev.initial || (prev.text.length === 1 && /\p{Lu}/u.test(prev.text))) return false;
      if (ABBREVIATIONS.has(prev.lc)) return false;
    }
    return true;
  }
  return false;
}

/** Gap between tokens a and b allows them to belong to one name ("Jan de Vries", "J. de Vries", "J.P. Smit"). */
function joinable(text: string, a: Token, b: Token): boolean {
  const gap = text.slice(a.end, b.start);
  // One whitespace character, a line break included: callers may later collapse line breaks into spaces, and the
  // result must not contain names that were not found here.
  if (gap === ' ' || gap === '\n' || gap === '\r\n' || gap === '\t' || gap === '\r') return true;
  if (a.initial && (gap === '.' || gap === '. ')) return true;
  return false;
}

/** The previous word ends a public organisation's name: "Veilig Thuis IJsselland", "GGD Twente" (a region). */
function endsOrganisation(t: Token): boolean {
  return t.org;
}

function isNamePart(t: Token): boolean {
  return (t.cap && !t.stop) || t.initial;
}

/** Capitalised interfix ("Van", "De", "El") or lowercase one. */
function isInterfix(t: Token): boolean {
  return INTERFIXES.has(t.lc) && (t.lc === t.text || t.text[0] === t.text[0].toUpperCase());
}

function extendRight(text: string, tokens: Token[], end: number): number {
  for (;;) {
    const next = tokens[end + 1];
    if (!next || !joinable(text, tokens[end], next)) return end;
    if (next.sentenceStart) return end;
    if (isNamePart(next) && !isInterfix(next) && (!next.place || next.lex)) {
      end += 1;
      continue;
    }
    if (isInterfix(next)) {
      let k = end + 1;
      let strong = false;
      while (k < tokens.length && k - end <= 3 && isInterfix(tokens[k])) {
        if (STRONG_INTERFIXES.has(tokens[k].lc)) strong = true;
        if (k + 1 >= tokens.length || !joinable(text, tokens[k], tokens[k + 1])) return end;
        k++;
      }
      const after = tokens[k];
      if (after && after.cap && !after.stop && !isInterfix(after) && (after.lex || (strong && !after.place) || (strong && after.place)) && joinable(text, tokens[k - 1], after)) {
        end = k;
        continue;
      }
    }
    return end;
  }
}

function extendLeft(text: string, tokens: Token[], start: number, triggered: (i: number) => boolean): number {
  for (;;) {
    const prev = tokens[start - 1];
    if (!prev || !joinable(text, prev, tokens[start]) || tokens[start].sentenceStart) return start;
    const beforePrev = tokens[start - 2];
    const afterDeterminer = !!beforePrev && DETERMINERS.has(beforePrev.lc) && joinable(text, beforePrev, prev);
    if (prev.initial || (isNamePart(prev) && !isInterfix(prev) && (prev.lex || (!prev.sentenceStart && !afterDeterminer)) && !prev.place)) {
      start -= 1;
      continue;
    }
    if (isInterfix(prev)) {
      let k = start - 1;
      while (k > 0 && start - k < 3 && isInterfix(tokens[k - 1]) && joinable(text, tokens[k - 1], tokens[k])) k--;
      const before = tokens[k - 1];
      if (before && joinable(text, before, tokens[k]) && !tokens[k].sentenceStart && (before.initial || (isNamePart(before) && !isInterfix(before) && (before.lex || !before.sentenceStart)))) {
        start = k - 1;
        continue;
      }
      // "De Vries", "Van Dijk" at the start of a sentence, or "mevrouw van Dijk" after a title.
      if (triggered(k)) return k;
      if ((tokens[k].text[0] !== tokens[k].lc[0] || tokens[k].sentenceStart) && tokens[start].lex && !DETERMINERS.has(prev.lc)) return k;
      if ((tokens[k].text[0] !== tokens[k].lc[0] || tokens[k].sentenceStart) && tokens[start].lex && STRONG_INTERFIXES.has(prev.lc)) return k;
    }
    return start;
  }
}

export function nameCandidates(text: string): Candidate[] {
  const tokens = tokenize(text);
  const out: Candidate[] = [];
  const n = tokens.length;
  const titleAt = (i: number): boolean => {
    const prev = tokens[i - 1];
    return !!prev && TITLES.has(prev.lc) && /^\.?\s$/.test(text.slice(prev.end, tokens[i].start));
  };
  const triggerAt = (i: number): boolean => {
    const prev = tokens[i - 1];
    if (!prev) return false;
    const gap = text.slice(prev.end, tokens[i].start);
    if (!/^\.?\s$|^\s*:\s*$|^,\s$/.test(gap)) return false;
    if (TITLES.has(prev.lc)) return true;
    if (ROLE_WORDS.has(prev.lc)) return gap.startsWith('.') === false || prev.lc === 'naam';
    return false;
  };
  const isFirstName = (u: Token): boolean => !STOPWORDS.has(u.lc) && (FIRST_NAMES.has(u.base) || diminutiveOfName(u.lc));
  const isSurname = (u: Token): boolean => !STOPWORDS.has(u.base) && SURNAMES.has(u.base);
  /** Interfixes from k0 on, then a surname, all in the same case as tokens[k0 - 1] or kind: index of the surname or -1. */
  const surnameFrom = (k0: number, kind: 'lower' | 'upper'): number => {
    let k = k0;
    while (k < n && k - k0 < 3 && INTERFIXES.has(tokens[k].lc) && caseless(tokens[k]) === kind && (k === k0 || joinable(text, tokens[k - 1], tokens[k]))) k++;
    const u = tokens[k];
    if (!u || caseless(u) !== kind || u.sentenceStart || !isSurname(u)) return -1;
    if (k > k0 && !joinable(text, tokens[k - 1], u)) return -1;
    return k;
  };
  /** End index of a name written without case information that starts at token i, or -1. */
  const caselessName = (i: number): number => {
    const t = tokens[i];
    const kind = caseless(t);
    if (!kind || t.lc.length < 2) return -1;
    // Fast exit for the ordinary lower-case word (most words of a text).
    if (kind === 'lower' && !t.lex && !INTERFIXES.has(t.lc) && !((t.lc.endsWith('je') || t.lc.endsWith('ie')) && diminutiveOfName(t.lc))) return -1;
    const afterTitle = titleAt(i);
    const afterTrigger = afterTitle || triggerAt(i);
    const next = i + 1 < n && joinable(text, t, tokens[i + 1]) ? surnameFrom(i + 1, kind) : -1;
    if (isFirstName(t)) {
      if (next >= 0) return next; // first name + (interfix) + surname: "jan de vries", "MEHMET YILMAZ"
      if (t.lc.length < 3) return -1;
      if (afterTrigger || (!LOWERCASE_WORDS.has(t.lc) && (kind === 'lower' || t.lc.length >= 4))) return i;
      return -1;
    }
    if (INTERFIXES.has(t.lc)) {
      const e = surnameFrom(i, kind);
      if (e < 0) return -1;
      // "mevrouw de wit", "van dijk"/"VAN DIJK" only when the surname is not also an ordinary word ("de hoek", "DE POST");
      // "DE VRIES SLAAT …" also at the start of a sentence when a verb follows, as a name would.
      const sur = tokens[e];
      const verbAfter = t.sentenceStart && e + 1 < n && joinable(text, sur, tokens[e + 1]) && NAME_FOLLOWERS.has(tokens[e + 1].lc) && tokens[e + 1].lc !== 'en';
      if (afterTrigger || (STRONG_INTERFIXES.has(t.lc) && (!LOWERCASE_WORDS.has(sur.lc) || (kind === 'upper' && verbAfter)))) return e;
      return -1;
    }
    if (isSurname(t)) {
      if (afterTrigger || (t.lc.length >= 4 && !LOWERCASE_WORDS.has(t.lc))) return next >= 0 ? next : i;
      return -1;
    }
    // "mevrouw DEMIR": an unknown word in capitals right after a title (not a verb: "JUF MAILEN", "FAMILIE BEZOEKT").
    if (kind === 'upper' && afterTitle && !t.stop && !NAME_FOLLOWERS.has(t.lc) && !DUTCH_WORD_ENDING.test(t.lc) && !/t$/.test(t.lc)) return next >= 0 ? next : i;
    return -1;
  };
  let caselessEnd = -1;
  let covered = -1;
  const institutionAfterArticle: number[] = [];
  const seen = new Set<string>();
  const inName: boolean[] = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    if (i <= covered) continue;
    const t = tokens[i];
    let seed = false;
    if (t.cap && !t.stop) {
      const followedByName = (() => {
        const next = tokens[i + 1];
        return !!next && joinable(text, t, next) && ((next.cap && !next.stop && !next.place) || isInterfix(next));
      })();
      if (titleAt(i)) seed = true; // "mevrouw Bloemendaal": a place name after a title is a surname
      else if (triggerAt(i)) seed = !t.place || t.lex;
      else if (isInterfix(t)) seed = false;
      else if (t.lex && !t.place) {
        const next = tokens[i + 1];
        const verbFollows = !!next && joinable(text, t, next) && NAME_FOLLOWERS.has(next.lc);
        seed = !(t.sentenceStart && AMBIGUOUS_NAMES.has(t.base) && !followedByName && !verbFollows);
      }
      else if (t.lex && t.place) seed = !t.sentenceStart && followedByName;
      else if (!t.place) {
        const next = tokens[i + 1];
        const prev = tokens[i - 1];
        const prevJoined = !!prev && joinable(text, prev, t);
        if (/['’]s$/.test(t.lc) && !t.stop) seed = true; // possessive: "Mirthe's stiefvader"
        else if (ADJECTIVE_ENDING.test(t.lc)) seed = false;
        else if (prevJoined && PLACE_PREPOSITIONS.has(prev.lc)) seed = false;
        // "Afspraken Postadres ...": a capitalised ordinary word right before it means a heading that lost its line
        // break (callers that collapse whitespace), not a name; greetings and role words still introduce names.
        else if (prevJoined && prev.cap && prev.stop && !prev.org && !GREETINGS.has(prev.lc) && !ROLE_WORDS.has(prev.lc) && !TITLES.has(prev.lc)) seed = false;
        else if (prevJoined && DETERMINERS.has(prev.lc)) {
          // "op het Greijdanus", "bij de Regenboog": a proper noun after an article is an institution, not a person.
          seed = false;
          if (!prev.sentenceStart || prev.lc !== 'het') institutionAfterArticle.push(i);
        } else if (prevJoined && prev.stop && prev.cap && endsOrganisation(prev)) seed = false;
        else seed =
          !t.sentenceStart ||
          (followedByName && !!next?.lex) ||
          (!!next && joinable(text, t, next) && NAME_FOLLOWERS.has(next.lc) && looksLikeForeignName(t.lc)) ||
          (t.text.length >= 3 && !DUTCH_WORD_ENDING.test(t.lc) && NAME_CONTEXT_AFTER.test(text.slice(t.end, t.end + 40)));
      }
    } else if (caseless(t) && (caselessEnd = caselessName(i)) >= 0) {
      // Lower case ("pietje jansen", "jan de vries") or capitals ("DE VRIES", "mevrouw DEMIR"): lexicon matches with a
      // stop-word guard, since the capital letter that marks a name is missing.
      out.push({ type: 'NAAM', start: t.start, end: tokens[caselessEnd].end });
      for (let q = i; q <= caselessEnd; q++) inName[q] = true;
      covered = caselessEnd;
      continue;
    } else if (t.initial) {
      const next = tokens[i + 1];
      seed = !!next && joinable(text, t, next) && (next.initial || (next.cap && !next.stop) || isInterfix(next));
    }
    if (!seed && isInterfix(t) && t.cap) {
      // "De Vries", "Van der Berg": capitalised interfix + known surname
      let k = i + 1;
      while (k < n && isInterfix(tokens[k]) && k - i < 3) k++;
      const after = tokens[k];
      if (after && after.cap && after.lex && !after.stop && joinable(text, tokens[k - 1], after)) seed = true;
    }
    if (!seed) continue;
    let s = i;
    let e = extendRight(text, tokens, i);
    if (!isInterfix(t)) s = extendLeft(text, tokens, i, titleAt);
    // Strip interfixes at the right edge.
    while (e > s && isInterfix(tokens[e])) e--;
    if (tokens[s].initial && s === e) continue;
    let end = tokens[e].end;
    if (tokens[e].initial && text[end] === '.') end += 1;
    out.push({ type: 'NAAM', start: tokens[s].start, end });
    for (let k = s; k <= e; k++) {
      const u = tokens[k];
      if (u.cap && !isInterfix(u) && !u.initial && u.text.length >= 2) seen.add(u.base);
      inName[k] = true;
    }
    covered = e;
  }
  // A word used as a name elsewhere in the same text is a name everywhere in it ("Sep is 2 jaar. ... zag Sep").
  if (seen.size > 0) {
    for (let i = 0; i < n; i++) {
      const t = tokens[i];
      if (inName[i] || !t.cap || !seen.has(t.base)) continue;
      let e = i;
      while (e + 1 < n && !inName[e + 1] && joinable(text, tokens[e], tokens[e + 1]) && tokens[e + 1].cap && seen.has(tokens[e + 1].base)) e++;
      out.push({ type: 'NAAM', start: t.start, end: tokens[e].end });
      i = e;
    }
  }
  for (const i of institutionAfterArticle) {
    if (inName[i]) continue;
    let e = i;
    while (e + 1 < n && joinable(text, tokens[e], tokens[e + 1]) && tokens[e + 1].cap && !tokens[e + 1].stop && !tokens[e + 1].sentenceStart) e++;
    out.push({ type: 'INSTELLING', start: tokens[i].start, end: tokens[e].end });
  }
  institutionCandidates(text, tokens, out);
  return out;
}

const SCHOOL_BEFORE = /(?:groep|klas|leerjaar|brugklas|havo|vwo|vmbo|mavo)[ ]*\d{0,2}[a-z]?[ ]+$/i;
const CAPITALISED_ARTICLE = new Set(['De', 'Het', "'t"]);

/**
 * Name of an employer, club or school right after "bij"/"van"/"op" at token k: an optional capitalised article, then
 * capitalised words (or an acronym like HEMA) that are not places or public organisations. Returns the index of its last
 * word, or -1. In these contexts even listed person names are the employer ("werkt bij Albert Heijn").
 */
function organisationNameAt(text: string, tokens: Token[], k: number, employer: boolean): number {
  const n = tokens.length;
  const first = k;
  let article = false;
  if (k < n && CAPITALISED_ARTICLE.has(tokens[k].text) && !tokens[k].sentenceStart) {
    article = true;
    k++;
  }
  let last = -1;
  for (let j = k; j < n && j - k < 4; j++) {
    const u = tokens[j];
    if (j > first && !joinable(text, tokens[j - 1], u)) break;
    // A workplace narrows a person down even when it is a known chain or service ("werkt bij Albert Heijn").
    if (u.sentenceStart || (u.org && !employer) || u.place) break;
    const acronym = /^\p{Lu}{2,6}$/u.test(u.text) && !u.stop;
    if (!(u.cap && !(u.stop && !u.lex && !(employer && u.org))) && !acronym) break;
    last = j;
  }
  return article && last === -1 ? -1 : last;
}

function institutionCandidates(text: string, tokens: Token[], out: Candidate[]): void {
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    // Employer or club: "werkt bij Albert Heijn", "stage bij Autobedrijf Kuipers", "traint bij VV Wapenveld".
    // School: "groep 5 van De Regenboog", "zit in klas 2 op Het Baken".
    if ((t.lc === 'bij' || t.lc === 'voor' || t.lc === 'van' || t.lc === 'op') && i + 1 < n && joinable(text, t, tokens[i + 1])) {
      let context = false;
      let employer = false;
      if (t.lc === 'bij' || t.lc === 'voor') {
        for (let b = i - 1; b >= 0 && b >= i - 4; b--) {
          if (EMPLOYMENT_CONTEXT.has(tokens[b].lc)) context = employer = true;
          if (tokens[b].sentenceStart) break;
        }
      }
      if (!context && (t.lc === 'van' || t.lc === 'op')) context = SCHOOL_BEFORE.test(text.slice(Math.max(0, t.start - 20), t.start));
      // A capitalised article in mid-sentence after a preposition names an institution ("op De Regenboog").
      if (!context && CAPITALISED_ARTICLE.has(tokens[i + 1].text) && !tokens[i + 1].sentenceStart) context = true;
      if (context) {
        const last = organisationNameAt(text, tokens, i + 1, employer);
        if (last !== -1) out.push({ type: 'INSTELLING', start: tokens[i + 1].start, end: tokens[last].end });
      }
    }
    // Trigger + name: "basisschool De Regenboog", "OBS De Klimop", "Kinderdagverblijf Het Kabouterhuis".
    if (INSTITUTION_TRIGGERS.has(t.lc) || ((t.cap || caseless(t) === 'upper') && t.text.length > 3 && COMPANY_TRIGGER.test(t.lc))) {
      let k = i + 1;
      if (k < n && ARTICLES.has(tokens[k].lc) && joinable(text, tokens[k - 1], tokens[k])) k++;
      let last = -1;
      let j = k;
      while (j < n && j - k < 5 && joinable(text, tokens[j - 1], tokens[j])) {
        const u = tokens[j];
        const abbreviation = /^\p{Lu}{2,4}$/u.test(u.text) && j + 1 < n && joinable(text, u, tokens[j + 1]) && tokens[j + 1].cap;
        // In capitals ("BASISSCHOOL DE REGENBOOG") every word of the name is in capitals too.
        const upperName =
          caseless(t) === 'upper' && caseless(u) === 'upper' && !u.stop && !ARTICLES.has(u.lc) && !NAME_FOLLOWERS.has(u.lc) &&
          (k > i + 1 || !/(?:t|en)$/.test(u.lc)); // "UITZENDBUREAU BETAALT", "SCHOOL GEBRACHT" are verbs
        if ((u.cap && !(u.stop && SINGLE_ORGS.has(u.lc))) || abbreviation || upperName) {
          last = j;
          j++;
          continue;
        }
        if (INTERFIXES.has(u.lc) && last !== -1) {
          j++;
          continue;
        }
        break;
      }
      // Without an article, a name that starts with an ordinary word ("school Toelichting", a heading that lost its line
      // break) is not an institution; compass names of districts ("wijk Zuid") are.
      const articled = k > i + 1;
      const first = tokens[k];
      const ordinaryStart = !!first && first.stop && !first.lex && !COMPASS.has(first.lc) && !INTERFIXES.has(first.lc) && !articled;
      if (last !== -1 && !ordinaryStart) {
        out.push({ type: 'INSTELLING', start: t.start, end: tokens[last].end });
      }
    }
    // Chat style: "obs de vlindertuin", "ikc het palet" (abbreviations that only name an institution).
    if (LOWERCASE_INSTITUTION_TRIGGERS.has(t.text)) {
      const art = tokens[i + 1];
      const name = tokens[i + 2];
      if (art && name && ARTICLES.has(art.text) && joinable(text, t, art) && joinable(text, art, name) && !STOPWORDS.has(name.lc) && name.text.length >= 3) {
        out.push({ type: 'INSTELLING', start: t.start, end: name.end });
        continue;
      }
    }
    // Name + suffix word: "Isala ziekenhuis", "Gomarus College".
    if (INSTITUTION_SUFFIX_WORDS.has(t.lc) && i > 0) {
      let s = i;
      let k = i;
      while (k > 0 && i - k < 5 && joinable(text, tokens[k - 1], tokens[k])) {
        const p = tokens[k - 1];
        if (p.cap && !p.stop && !ARTICLES.has(p.lc)) {
          k--;
          s = k;
          if (p.sentenceStart) break;
          continue;
        }
        if (INSTITUTION_CONNECTORS.has(p.lc) && p.lc === p.text && s < i) {
          k--;
          continue;
        }
        break;
      }
      if (s < i) {
        out.push({ type: 'INSTELLING', start: tokens[s].start, end: t.end });
        continue;
      }
    }
    // Compound names: "Regenboogschool", "Dorpsstraat" (a street without a number).
    if (t.cap && !t.stop && !INSTITUTION_TRIGGERS.has(t.lc)) {
      const afterTitle = i > 0 && TITLES.has(tokens[i - 1].lc);
      const compound = COMPOUND_INSTITUTION.test(t.text) && !t.lex && !afterTitle && !(t.sentenceStart && t.lc.endsWith('huis'));
      if (compound || (STRONG_STREET.test(t.text) && !NOT_STREETS.has(t.lc) && !afterTitle)) {
        out.push({ type: 'INSTELLING', start: t.start, end: t.end });
      }
    }
  }
}
