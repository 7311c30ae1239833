/**
 * Regular-expression detectors for the structured identifiers (e-mail, URL, IBAN, BSN, phone, date, age, postcode,
 * address, long ids). Every pattern is precompiled once, anchored on character-class boundaries and built from
 * bounded or mutually exclusive pieces, so matching stays linear on ordinary text (no nested unbounded quantifiers).
 */
import type { FindingType } from './types';
import { isValidBsn, isValidIban } from './validators';

export interface Candidate {
  type: FindingType;
  start: number;
  end: number;
}

/** Public service numbers that must stay readable (digits only). */
export const KEPT_NUMBERS: ReadonlySet<string> = new Set([
  '112', '113', '08002000', '08000188', '08000432', '09001113111', '08000113',
]);

const SEP = String.raw`(?:\)?[ ]?[.\-\/]?[ ]?)`;
const PHONE_INTL = new RegExp(String.raw`(?<![\w+])(?:\+[ ]?|00[ ]?)31[ ]?(?:\(0\)[ ]?)?(?:[ ]?[.\-\/]?[ ]?\d){9}(?!\d)`, 'g');
const PHONE_FOREIGN = /(?<![\w+]|\d[ .\-\/])(?:\+[ ]?|00[ ]?)(?!31)[1-9]\d{0,2}(?:[ ]?[.\-\/]?[ ]?(?:\(0\)[ ]?)?\d){6,12}(?![\d]|[ .\-]\d)/g;
const PHONE_NAT = new RegExp(String.raw`(?<![\w+\/.,])\(?0[1-9](?:${SEP}\d){8}(?!\d)`, 'g');
const PHONE_SERVICE = /(?<![\w+\/.,])0[89]00(?:[ ]?[.\-\/]?[ ]?\d){4,7}(?![\d]|[ .\-]\d)/g;
/** The kept service numbers in their usual notations, even when another number follows ("0800-2000 12 maart"). */
const KEPT_SERVICE = /(?<![\d+])(?:0800[ .\-]?(?:2000|20[ ]00|0188|0432|0113)|0900[ .\-]?(?:1113111|111[ .\-]?3111|111[ ]?31[ ]?11))(?![\d]|[.\-]\d)/g;
const KEPT_SHORT = /(?<![\w.,\/-]|\d[ ])11[23](?![\w]|[ .,\/-]\d)/g;

const IBAN_NL = /(?<![\p{L}\d])NL[ \-]?\d{2}[ \-]?[A-Z]{4}(?:[ \-]?\d){10}(?![\p{L}\d])/giu;
const IBAN_OTHER = /(?<![\p{L}\d])(?!NL)[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![\p{L}\d])/gu;

const BSN_SHAPE = /(?<![\d.,\-\/]|\d[ .\-])(?:\d{3}([ .\-]?)\d{3}\1\d{3}|\d{4}[ .]\d{2}[ .]\d{3})(?![\d]|[ .,\-\/]\d)/g;

const MONTH = String.raw`(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|febr?|mrt|apr|jun|jul|aug|sept?|okt|nov|dec)`;
const WEEKDAY = String.raw`(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo)`;
const DATE_DMY = /(?<![\d.\/\-,])(\d{1,2})[ ]?([\-\/.])[ ]?(\d{1,2})[ ]?\2[ ]?(\d{4}|'?\d{2})(?![\d]|[\-\/.]\d)/g;
const DATE_YMD = /(?<![\d.\/\-,])(\d{4})([\-\/.])(\d{1,2})\2(\d{1,2})(?![\d]|[\-\/.]\d)/g;
const DATE_TEXT = new RegExp(
  String.raw`(?<![\p{L}\d])(?:${WEEKDAY}\.?,?[ ]+)?\d{1,2}(?:e|ste|de)?[ ]+${MONTH}(?![\p{L}])(?:\.?,?[ ]+(?:'\d{2}|[12]\d{3})(?![\d]))?` +
    String.raw`|(?<![\p{L}\d])${MONTH}\.?[ ]+(?:'\d{2}|[12]\d{3})(?![\d])`,
  'giu',
);
const DATE_DM_AFTER_WORD = /(?<![\p{L}])(?:op|sinds|vanaf|per|tot|d\.d\.|datum:?|geboren|geb\.)[ ]+((\d{1,2})[\-\/](\d{1,2})(?![\d]|[\-\/.]\d))/giud;
const BIRTH_YEAR = /(?<![\p{L}])(?:geboren|geb\.|geboortejaar:?|bouwjaar:?)[ ]+(?:in[ ]+)?((?:19|20)\d{2}(?!\d))/giud;
/** Day numbers listed before one month: `op 5 en 6 maart`, `3, 4 of 5 mei`, `12 t/m 14 juni` (all days, not only the last). */
const DATE_DAY_LIST = new RegExp(
  String.raw`(?<![\p{L}\d])\d{1,2}(?:e|ste|de)?(?:[ ]*(?:,|en|of|t\/m|tot en met|tot|-|–)[ ]*\d{1,2}(?:e|ste|de)?)+[ ]+${MONTH}(?![\p{L}])`,
  'giu',
);

/** Dutch number words 0–99 with their digits ("nul" → "0", "vierendertig" → "34"). */
const NUMBER_WORD_DIGITS: ReadonlyMap<string, string> = (() => {
  const units = ['een', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen'];
  const teens = ['tien', 'elf', 'twaalf', 'dertien', 'veertien', 'vijftien', 'zestien', 'zeventien', 'achttien', 'negentien'];
  const tens = ['twintig', 'dertig', 'veertig', 'vijftig', 'zestig', 'zeventig', 'tachtig', 'negentig'];
  const m = new Map<string, string>([['nul', '0'], ['één', '1']]);
  units.forEach((u, k) => m.set(u, String(k + 1)));
  teens.forEach((t, k) => m.set(t, String(k + 10)));
  tens.forEach((t, k) => {
    m.set(t, String((k + 2) * 10));
    units.forEach((u, j) => {
      m.set(u + (u.endsWith('e') ? 'ën' : 'en') + t, String((k + 2) * 10 + j + 1));
      m.set(u + 'en' + t, String((k + 2) * 10 + j + 1)); // "tweeentwintig" without the diaeresis
    });
  });
  return m;
})();
const NUMBER_WORDS = (() => {
  const words = [...NUMBER_WORD_DIGITS.keys()].filter((w) => w !== 'nul' && w !== 'één');
  words.push('anderhalf', 'honderd');
  return words.sort((a, b) => b.length - a.length);
})();
/** Value of a number word or digits ("vier" → 4, "84" → 84); NaN when it is neither. */
function numberValue(s: string): number {
  const d = NUMBER_WORD_DIGITS.get(s.toLowerCase());
  return Number(d ?? s.replace(',', '.'));
}
const DIGIT_WORD_ALT = [...NUMBER_WORD_DIGITS.keys()].sort((a, b) => b.length - a.length).join('|');
/**
 * Identifiers written out in words: "nul zes een twee drie vier vijf zes zeven acht", "nul zes twaalf vierendertig …"
 * (four or more number words, 0–99 each, separated by spaces, commas or hyphens; kept when they spell >= 6 digits).
 */
const SPELLED_NUMBER = new RegExp(
  String.raw`(?<![\p{L}])(?:${DIGIT_WORD_ALT})(?:(?:[ ]*[,\-][ ]*|[ ]+)(?:${DIGIT_WORD_ALT})){3,}(?![\p{L}])`,
  'giu',
);
/**
 * Cheap pre-tests (no lookbehind, no Unicode mode) so that ordinary prose skips the word-number patterns: the start of
 * a number word ("der" for dertien/dertig, "zev" for zeven/zeventien/zeventig …) after the right context.
 */
const NUM_START = 'nul|een|één|twee|drie|der|vier|veer|vijf|zes|zev|acht|neg|tien|elf|twaalf|twin|tach|ander|honderd';
const SPELLED_HINT = new RegExp(`(?:nul|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|tig)[ ,-]+(?:${NUM_START})`, 'i');
const AGE_VAN_HINT = new RegExp(`van (?:\\d|${NUM_START})`, 'i');
const AGE_PRONOUN_HINT = new RegExp(`(?:is|was|wordt|werd) (?:[a-z]+ ){0,2}(?:\\d|${NUM_START})`, 'i');
const NUM_WORD = `(?:${NUMBER_WORDS.join('|')})`;
const NUM_WORD_NOT_EEN = `(?:${NUMBER_WORDS.filter((w) => w !== 'een').join('|')})`;
const AGE_NUM = /(?<![\d.,\-\/])\d{1,3}(?:[,.]5|½)?(?:[ ]?-[ ]?|[ ]?)(?:jarige?|jr\.?|jaar(?:[ ]+oud)?)(?![\p{L}])/giu;
const AGE_MONTHS = /(?<![\d.,\-\/])\d{1,2}[ ]?(?:maanden|maand|mnd|weken|week)[ ]+oud(?![\p{L}])/giu;
const AGE_BABY = /(?<![\p{L}])(?:baby|zuigeling|kindje|jongetje|meisje|zoontje|dochtertje|tweeling)[ ]+van[ ]+(\d{1,2}[ ]?(?:maanden|mnd|weken)(?![\p{L}]))/giud;
const AGE_WORD = new RegExp(
  String.raw`(?<![\p{L}])(?:${NUM_WORD}[ ]?-?[ ]?jarige?|${NUM_WORD_NOT_EEN}[ ]+jaar(?:[ ]+oud)?|een[ ]+jaar[ ]+oud)(?![\p{L}])`,
  'giu',
);
/** Written-out ages ("zeven jaar oud", "zevenjarige"); runs on texts without digits too. */
const AGE_WORD_GROUPED = new RegExp(`(${AGE_WORD.source})`, 'giud');
/** Nouns that are counted, measured or timed, not aged ("hij is twee keer", "ze is vijf kilo afgevallen"). */
const NOT_AGE_UNITS = String.raw`(?:uur|uren|keer|maal|x|dagen|dag|nachten|nacht|weken|week|maanden|maand|jaren|jaar|minuten|minuut|seconden|kwartier|procent|%|euro|km|kilometer|kilo|kg|gram|cm|centimeter|meter|liter|graden|kinderen|kids|cijfers?|punten|stuks|personen|mensen|leerlingen|broers|zussen|zonen|dochters|kleinkinderen|jongens|meisjes|stappen|plekken|plaatsen|klassen|groepen|vrouwen|mannen)`;
/** Person nouns that can be the subject of "is twaalf" besides a pronoun. */
const AGE_SUBJECT_NOUNS = String.raw`(?:jongen|jongetje|meisje|meid|kind|kindje|zoon|zoontje|dochter|dochtertje|broer|broertje|zus|zusje|leerling|leerlinge|baby|jongste|oudste|middelste|tweeling|oma|opa|cli[eë]nt|cli[eë]nte|mevrouw|meneer|knul|puber|tiener)`;
/**
 * "ze is al 78", "hij was toen vijf", "Hij is twaalf.", "de jongen is pas negen": an age after a personal pronoun or a
 * person noun and a form of "zijn", unless a unit follows ("hij is twee keer gevallen").
 */
const AGE_PRONOUN = new RegExp(
  String.raw`(?<![\p{L}])(?:hij|zij|ze|die|jij|je|${AGE_SUBJECT_NOUNS})[ ]+(?:is|was|wordt|werd)[ ]+(?:(?:al|pas|nog maar|nog|net|pas net|bijna|ongeveer|amper|nu|toen|inmiddels|sinds kort|maar|ruim)[ ]+)?(\d{1,3}|${NUM_WORD_NOT_EEN})(?![\d\p{L}]|[.,:]\d|[ ]*${NOT_AGE_UNITS}(?=\s|[,;:!?)]|[.](?!\S)|$))`,
  'giud',
);
const AGE_LABEL = /(?<![\p{L}])leeftijd(?:[ ]*:[ ]*|[ ]+(?:van[ ]+)?)(\d{1,3}(?:[ ]+jaar)?(?![\d]))/giud;
/** "Daan (7)", "zoon (7)", "Daan(7)"; not "alert(1)" (a lower-case word glued to the bracket is code, not a name). */
const AGE_PAREN = /(?<=(?:\p{Lu}\p{Ll}[\p{L}'’-]*|\p{L}\s)\()\d{1,2}(?:[ ]?(?:jaar|jr\.?))?(?=\))/gu;
/** "(lisa, 9)": a number after a name and a comma inside parentheses. */
const AGE_PAREN_COMMA = /(?<=\(\p{L}[\p{L}'’-]*,[ ]?)\d{1,2}(?:[ ]?(?:jaar|jr\.?))?(?=\))/gu;

/** Two lower-case letters after four digits that are a word, not postcode letters ("in 2019 en 2020", "om 1200 op"). */
const NOT_POSTCODE_LETTERS = '(?!sa|sd|ss|en|in|op|is|of|te|ik|je|ze|we|de|al|na|om|nu|zo|er|ja|uw|tv|pc|km|cm|mm|kg|mg|ml|dl|cl|pm|am|ct|tm|ex)';
const POSTCODE = new RegExp(
  String.raw`(?<![\p{L}\d])[1-9]\d{3}(?:[ ]?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2}|[ ]${NOT_POSTCODE_LETTERS}[a-z]{2})(?![\p{L}\d])`,
  'gu',
);
const STREET_SUFFIXES = [
  'straat', 'laan', 'weg', 'plein', 'gracht', 'kade', 'singel', 'dijk', 'steeg', 'pad', 'dreef', 'baan', 'markt',
  'ring', 'wal', 'allee', 'hof', 'park', 'plantsoen', 'erf', 'haven', 'veld', 'zijde', 'dam', 'kamp', 'oord', 'horst',
  'hoek', 'donk', 'akker', 'brink', 'boulevard', 'hage', 'burg', 'hout', 'berg', 'wei', 'weide', 'vaart', 'sloot',
  'staete', 'stede', 'poort', 'waard', 'straatje', 'pleintje', 'laantje', 'paadje', 'hove', 'gaarde', 'hof',
];
/** Strong suffixes: a capitalised word ending in one of these is a street even without a house number. */
export const STRONG_STREET = /^\p{Lu}[\p{L}'-]{2,}(?:straat|laan|weg|plein|gracht|kade|singel|steeg|dreef|straatweg|boulevard|allee|plantsoen)$/u;
const SUFFIX_ALT = STREET_SUFFIXES.join('|');
const SUFFIX_ALT_UPPER = STREET_SUFFIXES.map((x) => x.toUpperCase()).join('|');
/** A street word: capitalised with any suffix, in capitals ("KERKSTRAAT"), or lower case with a strong suffix. */
const STREET_WORD = String.raw`(?:\p{Lu}[\p{L}'’-]*(?<=(?:${SUFFIX_ALT}))|\p{Ll}[\p{L}'’-]{2,}(?<=(?:straat|laan|gracht|plein|singel|kade|steeg|dreef|weg)))`;
const STREET_PREFIX = String.raw`(?:(?:\p{Lu}[\p{L}'’.-]*[ ]+)(?:(?:van|de|der|den|het|'t|ter|ten)[ ]+){0,2}){0,3}`;
const HOUSE_NO = String.raw`\d{1,5}(?:[ ]?-?[ ]?(?:bis|hs|huis|rood|zw|I{1,3})(?![\p{L}])|[ ]?-?[ ]?[A-Za-z](?![\p{L}\d@]|[.\-][\p{L}\d])|[ ]?-[ ]?\d{1,4}(?![\d]))?`;
const POSTCODE_SRC = String.raw`[1-9]\d{3}(?:[ ]?(?!SA|SD|SS)[A-Z]{2}|[a-z]{2}|[ ](?!sa|sd|ss|en|in|op|is|of|te|ik|je|ze|we|de|al|na|om|nu|zo|er|ja|uw)[a-z]{2})(?![\p{L}\d])`;
const CITY = String.raw`(?:[ ]+(?:'s-)?\p{Lu}[\p{L}'’-]+(?:[ ]+(?:op|aan|den|de|a\/d|bij)[ ]+\p{Lu}[\p{L}'’-]+|[ ]+(?:Haag|Bosch|Helder))?)?`;
const ADDRESS = new RegExp(
  String.raw`(?<![\p{L}])${STREET_PREFIX}${STREET_WORD}[ ]+(?:nr\.?[ ]*)?${HOUSE_NO}(?:(?:,[ ]*|[ ]+)${POSTCODE_SRC}${CITY})?(?![\p{L}\d])`,
  'gu',
);
/** A street word in capitals and a number ("KERKSTRAAT 8", "DE HOVEN 4" is not: no suffix); only for texts with capitals. */
const ADDRESS_UPPER = new RegExp(
  String.raw`(?<![\p{L}])(?:(?!(?:OP|AAN|IN|DE|HET|TE|BIJ|NAAR|VAN|VOOR|UIT|WOONT|WOONDE|WONEN|ADRES|IS|EN|OF|DAT)[ ])\p{Lu}+[ ]+){0,2}\p{Lu}[\p{Lu}'’-]*(?<=(?:${SUFFIX_ALT_UPPER}))[ ]+(?:NR\.?[ ]*)?${HOUSE_NO}(?:(?:,[ ]*|[ ]+)${POSTCODE_SRC})?(?![\p{L}\d])`,
  'gu',
);
const HAS_CAPITALS_WORD = /\p{Lu}{5}/u;
/** "Laan van Meerdervoort 12", "Plein van de Verenigde Naties 3": a street word first, then a name. */
const ADDRESS_LAAN = new RegExp(
  String.raw`(?<![\p{L}])(?:Laan|Plein|Weg|Kade|Hof|Singel|Gracht|Dreef)[ ]+(?:van|der|de|den|ter|op|in|aan)(?:[ ]+(?:van|der|de|den|het|'t))?[ ]+\p{Lu}[\p{L}'’-]+(?:[ ]+\p{Lu}[\p{L}'’-]+)?[ ]+(?:nr\.?[ ]*)?${HOUSE_NO}(?:(?:,[ ]*|[ ]+)${POSTCODE_SRC}${CITY})?(?![\p{L}\d])`,
  'gu',
);
/** Any capitalised street name when a house number and a postcode follow: "Wielewaal 22, 8252 DK Dronten". */
const ADDRESS_WITH_POSTCODE = new RegExp(
  String.raw`(?<![\p{L}])${STREET_PREFIX}\p{Lu}[\p{L}'’-]+[ ]+(?:nr\.?[ ]*)?${HOUSE_NO}(?:,[ ]*|[ ]+)${POSTCODE_SRC}${CITY}(?![\p{L}\d])`,
  'gu',
);
/** "woont op Wielewaal 22", "adres: Wielewaal 22": a capitalised word + house number after an address context. */
const ADDRESS_IN_CONTEXT = new RegExp(
  String.raw`(?<![\p{L}])(?:[Ww]oont|[Ww]onen|[Ww]oonde|[Ww]oonden|[Vv]erblijft|[Vv]erblijven|[Vv]erbleef|[Ll]ogeert|ingeschreven|[Aa]dres|[Ww]oonadres|[Pp]ostadres|[Aa]dres vader|[Aa]dres moeder|verhuisd|verhuist|staat)(?:[ ]+(?:nu|nog|sinds kort|tijdelijk))?(?:[ ]*:[ ]*|[ ]+(?:op|aan|in)[ ]+(?:de[ ]+|het[ ]+)?)(${STREET_PREFIX}\p{Lu}[\p{L}'’-]+[ ]+(?!(?:19|20)\d\d(?!\d))${HOUSE_NO}(?![\p{L}\d])(?![ ]+(?:dagen|keer|weken|jaar|uur|kinderen|maanden|personen|minuten)(?![\p{L}])))`,
  'gud',
);
const POSTCODE_LABELLED = /(?<![\p{L}])postcode[ ]*:?[ ]*([1-9]\d{3}[ ]?[a-zA-Z]{2}(?![\p{L}\d]))/giud;
const POSTCODE_HOUSE = new RegExp(
  String.raw`(?<![\p{L}\d])${POSTCODE_SRC}(?:[ ]*,?[ ]*(?:nr\.?|huisnummer)?[ ]*)\d{1,5}[a-zA-Z]?(?![\p{L}\d])`,
  'gu',
);
/** Words that end like a street but are ordinary words. */
export const NOT_STREETS: ReadonlySet<string> = new Set([
  'onderweg', 'halfweg', 'snelweg', 'zijweg', 'uitweg', 'omweg', 'straat', 'laan', 'weg', 'plein', 'gracht', 'kade',
  'singel', 'dijk', 'steeg', 'pad', 'dreef', 'baan', 'markt', 'ring', 'wal', 'hof', 'park', 'veld', 'dam', 'kamp',
  'hoek', 'berg', 'erf', 'haven', 'schoolplein', 'speelplein', 'voetpad', 'fietspad', 'zebrapad', 'spoorweg',
  'rijbaan', 'loopbaan', 'werkkamp', 'zomerkamp', 'vakantiepark', 'speelpark', 'pretpark', 'sportveld',
  'voetbalveld', 'speelveld', 'zwembad', 'trainingskamp', 'schoolreisje', 'kinderboerderij', 'huiswerk', 'wegweg',
  'tuinhof', 'binnenhof', 'vluchtweg', 'levensweg', 'middelweg', 'eindweg', 'thuisweg', 'heenweg', 'terugweg',
  'overweg', 'bospad', 'wandelpad', 'zandpad', 'leerweg', 'wijkpark', 'stadspark', 'geboortedag', 'zorgpad',
  'behandelpad', 'opvoedpad', 'hoofdstraat', 'binnenplaats', 'veiligheidsring', 'boksring', 'bijbaan', 'loopbaan',
  'ijsbaan', 'kermis', 'weekmarkt', 'jaarmarkt', 'vismarkt', 'supermarkt', 'arbeidsmarkt', 'woningmarkt',
  'handelskamp', 'burg', 'stadsdeel', 'wijkcentrum', 'speeltuinweg',
]);

const EMAIL_OBFUSCATED = /(?<![\p{L}\d._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*[ ]?(?:\[at\]|\(at\)|\{at\}|\[apenstaartje\])[ ]?[A-Za-z0-9\-]+(?:[ ]?(?:\.|\[dot\]|\(dot\)|\[punt\]|\(punt\))[ ]?[A-Za-z0-9\-]+)+/giu;
/** "meisje van 12", "zusje van vier", "mevrouw van 84" (not "moeder van vier kinderen"). */
const AGE_VAN = new RegExp(
  String.raw`(?<![\p{L}])(jongen|jongetje|meisje|meid|kind|kindje|zoon|zoontje|dochter|dochtertje|zus|zusje|broer|broertje|neef|neefje|nicht|nichtje|kleinzoon|kleindochter|vriend|vriendin|vriendje|vriendinnetje|moeder|vader|oma|opa|man|vrouw|knul|baby|tiener|puber|jongere|leerling|leerlinge|cli[eë]nt|cli[eë]nte|mevrouw|meneer|dame|heer|oudere|bewoner|bewoonster|pati[eë]nt|pati[eë]nte|weduwe|weduwnaar)[ ]+van[ ]+((?:\d{1,3}(?:[,.]5)?|${NUM_WORD_NOT_EEN})(?:[ ]+(?:jaar|maanden|maand|weken|mnd)(?:[ ]+oud)?)?(?![\d\p{L}]|[.,]\d))(?![ ]*${NOT_AGE_UNITS}(?=\s|[,;:!?)]|[.](?!\S)|$))`,
  'giud',
);
const ID_GROUPED = /(?<![\p{L}\d.,\/\-€])(?:[A-Za-z]{1,3}[\-\/]?)?\d+(?:[.\-\/]\d+)+(?![\p{L}\d]|[.,\-\/]\d)/gu;
const ID_ALNUM = /(?<![\p{L}\d\-])(?=[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,20}(?![\p{L}\d\-])/gu;
const ID_DIGITS = /(?<![\p{L}\d.,\/\-])[A-Za-z]{0,3}\d{6,}(?![\p{L}\d])/gu;
const ID_LABELLED = /(?<![\p{L}])(?:(?:cli[eë]nt|leerling|dossier|registratie|relatie|klant|student|personeels|polis|zaak|zaaks|burgerservice|administratie|lid|pas|verzekerings|inschrijf|kenmerk|referentie|id|volg|bsn)[ -]?(?:nummer|nr\.?)|kenmerk|referentie|kenteken|dossier|id)[ ]*[:#]?[ ]*((?=[A-Za-z0-9.\/\-]*\d)[A-Za-z0-9][A-Za-z0-9.\/\-]{2,}[A-Za-z0-9])/giud;
const KENTEKEN = /(?<![\p{L}\d-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{1,3}-[A-Z0-9]{2,3}-[A-Z0-9]{1,2}(?![\p{L}\d-])/gu;

const URL_RE = /(?<![\p{L}\d@.\/])(?:https?:\/\/|www\.)[^\s<>"'()\[\]]+|(?<![\p{L}\d@.\/\-])[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:nl|com|org|net|eu|be|de|info|io|nu|frl|online|app|me|tv|co\.uk|uk)(?:\/[^\s<>"'()\[\]]*)?(?![\p{L}\d@])/giu;

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

function trimTrailing(text: string, start: number, end: number, chars: string): number {
  while (end > start && chars.includes(text[end - 1])) end--;
  return end;
}

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    yield m;
  }
}

/** Like matches(), for patterns with the `d` flag whose group `group` (1) is the identifier (the context word is not). */
function* groupMatches(re: RegExp, text: string, group = 1): Generator<{ start: number; end: number; m: RegExpExecArray }> {
  for (const m of matches(re, text)) {
    const span = m.indices?.[group];
    if (span) yield { start: span[0], end: span[1], m };
  }
}

const DURATION_BEFORE = /(?:^|[^\p{L}])(?:sinds|afgelopen|laatste|binnen|gedurende|over|na|ruim|elke|iedere|om de|(?<!(?:is|was|wordt|werd) )al)[ ]+(?:ruim[ ]+|bijna[ ]+|ongeveer[ ]+)?$/iu;
const DURATION_AFTER = /^[ ]+(?:geleden|lang|later|eerder|getrouwd|samen|bekend|werkzaam|in dienst|gescheiden|woonachtig|in Nederland|op school|in behandeling|bij ons|achterstand|wachtlijst|wachttijd|gevangenis|cel|celstraf|voorwaardelijk|in de gevangenis|in de cel|in detentie|vast|in het buitenland)(?![\p{L}])/iu;

/** "al 3 jaar op school", "2 jaar geleden", "sinds 5 jaar": a duration, not an age (only for plain "N jaar"). */
function isDuration(text: string, start: number, end: number): boolean {
  if (!/jaar$/i.test(text.slice(start, end))) return false;
  return DURATION_BEFORE.test(text.slice(Math.max(0, start - 25), start)) || DURATION_AFTER.test(text.slice(end, end + 25));
}

function validDayMonth(d: number, m: number): boolean {
  return d >= 1 && d <= 31 && m >= 1 && m <= 12;
}

const LOCAL_CHARS = /[A-Za-z0-9._%+\-'À-ÿ]/;
const DOMAIN_CHARS = /[A-Za-z0-9.\-]/;

function emails(text: string, out: Candidate[]): void {
  let at = text.indexOf('@');
  while (at !== -1) {
    let l = at;
    while (l > 0 && LOCAL_CHARS.test(text[l - 1])) l--;
    while (l < at && (text[l] === '.' || text[l] === "'")) l++;
    let r = at + 1;
    while (r < text.length && DOMAIN_CHARS.test(text[r])) r++;
    r = trimTrailing(text, at + 1, r, '.-');
    const domain = text.slice(at + 1, r);
    if (l < at && /^[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$/.test(domain)) {
      out.push({ type: 'EMAIL', start: l, end: r });
    }
    at = text.indexOf('@', at + 1);
  }
}

/** Social-media handles ("@kingmo_020"): online identifiers, reported as URL. */
const HANDLE = /(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])?(?![\w@])/g;
const NUMBER_RUN = /(?<![\p{L}\d])\+?\d+(?:[ .\-\/]\d+)*/gu;

/**
 * Runs of digits joined by single separators ("06-01000000 100 000 009") holding at least 6 digits. After the typed
 * detectors have run, whatever part of such a run is still uncovered is redacted too, so no long digit sequence can
 * leak just because two identifiers were written next to each other. Amounts and year ranges are skipped.
 */
export function numberRuns(text: string): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const m of matches(NUMBER_RUN, text)) {
    const s = m[0];
    if (digitsOf(s).length < 6) continue;
    if (/^(?:19|20)\d\d[\-\/](?:19|20)\d\d$/.test(s)) continue;
    const before = text.slice(Math.max(0, m.index - 5), m.index);
    const after = text.slice(m.index + s.length, m.index + s.length + 6);
    if (/(?:€|(?<![\p{L}])euro?)\s*$/iu.test(before) || /^\s*(?:(?:euro|eur)(?![\w@.])|,-)/i.test(after)) continue;
    runs.push([m.index, m.index + s.length]);
  }
  return runs;
}

/** Type for a leftover digit piece: a valid BSN, a 10-digit number starting with 0 (phone), else an ID. */
export function classifyDigits(piece: string): FindingType {
  const d = digitsOf(piece);
  if (d.length === 9 && isValidBsn(d)) return 'BSN';
  if (d.length === 10 && d.startsWith('0')) return 'TELEFOON';
  return 'ID';
}

/** Spans that must never be redacted: public helpline numbers. */
export function keptNumberSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of matches(PHONE_SERVICE, text)) {
    if (KEPT_NUMBERS.has(digitsOf(m[0]))) spans.push([m.index, m.index + m[0].length]);
  }
  for (const m of matches(KEPT_SERVICE, text)) spans.push([m.index, m.index + m[0].length]);
  for (const m of matches(KEPT_SHORT, text)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

/** All regex-based candidates (may overlap; the caller resolves overlaps by priority). */
export function patternCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  const add = (type: FindingType, start: number, end: number): void => {
    if (end > start) out.push({ type, start, end });
  };
  if (text.includes('@')) {
    emails(text, out);
    for (const m of matches(HANDLE, text)) if (m[0].length >= 4) add('URL', m.index, m.index + m[0].length);
  }
  if (text.includes('.')) {
    for (const m of matches(URL_RE, text)) {
      const end = trimTrailing(text, m.index, m.index + m[0].length, '.,;:!?');
      if (end - m.index >= 4) add('URL', m.index, end);
    }
  }
  for (const { start, end } of /jaar|jarig/i.test(text) ? groupMatches(AGE_WORD_GROUPED, text) : []) {
    if (!isDuration(text, start, end)) add('LEEFTIJD', start, end);
  }
  if (AGE_PRONOUN_HINT.test(text)) for (const { start, end } of groupMatches(AGE_PRONOUN, text)) add('LEEFTIJD', start, end);
  if (/\[|\(/.test(text)) {
    for (const m of matches(EMAIL_OBFUSCATED, text)) add('EMAIL', m.index, m.index + m[0].length);
  }
  for (const { m, start, end } of AGE_VAN_HINT.test(text) ? groupMatches(AGE_VAN, text, 2) : []) {
    // "moeder van drie" (children), "oma van vier" (grandchildren): for parents a small number is not an age.
    if (/^(?:moeder|vader|oma|opa)$/i.test(m[1]) && numberValue(text.slice(start, end).split(' ')[0]) < 15) continue;
    add('LEEFTIJD', start, trimTrailing(text, start, end, ' .'));
  }
  if (SPELLED_HINT.test(text)) {
    for (const m of matches(SPELLED_NUMBER, text)) {
      const digits = m[0].split(/[ ,\-]+/).map((w) => NUMBER_WORD_DIGITS.get(w.toLowerCase()) ?? '').join('');
      if (digits.length >= 6 && !KEPT_NUMBERS.has(digits)) add(classifyDigits(digits), m.index, m.index + m[0].length);
    }
  }
  // Everything below needs at least one digit: ordinary prose without digits skips it.
  if (!/\d/.test(text)) return out;
  for (const m of matches(IBAN_NL, text)) {
    add(isValidIban(m[0]) ? 'IBAN' : 'ID', m.index, m.index + m[0].length);
  }
  for (const m of matches(IBAN_OTHER, text)) {
    if (isValidIban(m[0])) add('IBAN', m.index, m.index + m[0].length);
  }
  for (const m of matches(PHONE_INTL, text)) add('TELEFOON', m.index, m.index + m[0].length);
  for (const m of matches(PHONE_FOREIGN, text)) add('TELEFOON', m.index, m.index + m[0].length);
  for (const m of matches(PHONE_NAT, text)) {
    // "(038) 421 23 45" keeps its bracket; "Jan (06-12345678)" does not lose its opening bracket to the number.
    const open = m[0].startsWith('(') && !m[0].includes(')') ? 1 : 0;
    add('TELEFOON', m.index + open, m.index + m[0].length);
  }
  for (const m of matches(PHONE_SERVICE, text)) {
    if (!KEPT_NUMBERS.has(digitsOf(m[0]))) add('TELEFOON', m.index, m.index + m[0].length);
  }
  for (const m of matches(BSN_SHAPE, text)) {
    add(isValidBsn(m[0]) ? 'BSN' : 'ID', m.index, m.index + m[0].length);
  }
  for (const m of matches(DATE_DMY, text)) {
    if (validDayMonth(Number(m[1]), Number(m[3]))) add('DATUM', m.index, m.index + m[0].length);
  }
  for (const m of matches(DATE_YMD, text)) {
    if (validDayMonth(Number(m[4]), Number(m[3]))) add('DATUM', m.index, m.index + m[0].length);
  }
  for (const m of matches(DATE_TEXT, text)) add('DATUM', m.index, m.index + m[0].length);
  for (const { start, end, m } of groupMatches(DATE_DM_AFTER_WORD, text)) {
    if (validDayMonth(Number(m[2]), Number(m[3]))) add('DATUM', start, end);
  }
  for (const { start, end } of groupMatches(BIRTH_YEAR, text)) add('DATUM', start, end);
  for (const m of matches(DATE_DAY_LIST, text)) add('DATUM', m.index, m.index + m[0].length);
  for (const m of matches(AGE_NUM, text)) {
    const end = trimTrailing(text, m.index, m.index + m[0].length, ' .');
    if (isDuration(text, m.index, end)) continue;
    add('LEEFTIJD', m.index, end);
  }
  for (const re of [AGE_MONTHS, AGE_PAREN, AGE_PAREN_COMMA]) {
    for (const m of matches(re, text)) add('LEEFTIJD', m.index, trimTrailing(text, m.index, m.index + m[0].length, ' .'));
  }
  for (const re of [AGE_BABY, AGE_LABEL]) {
    for (const { start, end } of groupMatches(re, text)) add('LEEFTIJD', start, trimTrailing(text, start, end, ' .'));
  }
  const addressMatches = HAS_CAPITALS_WORD.test(text) ? [...matches(ADDRESS, text), ...matches(ADDRESS_UPPER, text)] : matches(ADDRESS, text);
  for (const m of addressMatches) {
    const streetWord = /[\p{L}'’-]+(?=[ ]+(?:nr\.?[ ]*)?\d)/u.exec(m[0]);
    if (streetWord && NOT_STREETS.has(streetWord[0].toLowerCase())) continue;
    add('ADRES', m.index, m.index + m[0].length);
  }
  for (const m of matches(POSTCODE_HOUSE, text)) add('ADRES', m.index, m.index + m[0].length);
  for (const m of matches(ADDRESS_WITH_POSTCODE, text)) add('ADRES', m.index, m.index + m[0].length);
  for (const m of matches(ADDRESS_LAAN, text)) add('ADRES', m.index, m.index + m[0].length);
  for (const { start, end } of groupMatches(ADDRESS_IN_CONTEXT, text)) add('ADRES', start, end);
  for (const { start, end } of groupMatches(POSTCODE_LABELLED, text)) add('POSTCODE', start, end);
  for (const m of matches(POSTCODE, text)) add('POSTCODE', m.index, m.index + m[0].length);
  for (const m of matches(ID_GROUPED, text)) {
    const s = m[0];
    const digits = digitsOf(s);
    const groups = s.split(/[.\-\/]/);
    if (digits.length < 6 || !groups.some((g) => /\d{3}/.test(g))) continue;
    if (/^(?:19|20)\d\d[\-\/](?:19|20)\d\d$/.test(s)) continue;
    if (/^\d{1,2}[.\-\/]\d{1,2}[.\-\/]\d{2,4}$/.test(s)) continue; // date-shaped, even if impossible
    const before = text.slice(Math.max(0, m.index - 5), m.index);
    const after = text.slice(m.index + s.length, m.index + s.length + 6);
    if (/(?:€|(?<![\p{L}])euro?)\s*$/iu.test(before) || /^\s*(?:(?:euro|eur)(?![\w@.])|,-)/i.test(after)) continue;
    add('ID', m.index, m.index + s.length);
  }
  for (const m of matches(ID_ALNUM, text)) add('ID', m.index, m.index + m[0].length);
  for (const m of matches(ID_DIGITS, text)) add('ID', m.index, m.index + m[0].length);
  for (const { start, end } of groupMatches(ID_LABELLED, text)) add('ID', start, trimTrailing(text, start, end, '.-/'));
  for (const m of matches(KENTEKEN, text)) add('ID', m.index, m.index + m[0].length);
  return out;
}
