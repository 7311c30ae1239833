/**
 * Text normalisation for the offline understanding of typed answers (nlu.ts, answers.ts).
 * Pure: no botbuilder, no HTTP, no I/O.
 */

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

/**
 * Like `normalise`, without the padding and with word-joining punctuation loosened: "t/m" → "tm", "'s-Hertogenbosch"
 * → "s hertogenbosch", "0-3" → "0 - 3" (a dash between digits stays a range sign), "Olst-Wijhe" → "olst wijhe",
 * "2,5" → "2.5". The result is a single-spaced string of words.
 */
export function normaliseLoose(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\bt\s*\/\s*m\b/g, ' tm ')
    .replace(/(\d)[.,](?=\d)/g, '$1\u0002')
    .replace(/(\d)\s*[-\u2010-\u2015]\s*(?=\d)/g, '$1 \u0001 ')
    .replace(/[^a-z0-9\u0001\u0002 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\u0001/g, '-')
    .replace(/\u0002/g, '.');
}

/** The words of a text after `normaliseLoose`. */
export function words(text: string): string[] {
  const s = normaliseLoose(text);
  return s ? s.split(' ') : [];
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transposition), stopping early once it
 * exceeds `max` (returns max + 1 then). Used for small typos in names ("Zwole", "Deveter", "Tilbrug").
 */
export function editDistance(a: string, b: string, max = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return Math.max(m, n);
  // Three rows (two back for transpositions); typed arrays, no per-cell allocation.
  let prev2 = new Uint16Array(n + 1);
  let prev = new Uint16Array(n + 1);
  let cur = new Uint16Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = prev[j - 1] + (ai === bj ? 0 : 1);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj && prev2[j - 2] + 1 < v) v = prev2[j - 2] + 1;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n];
}

/** How many typos a word of this length may have and still count as that word. */
export function typoBudget(length: number): number {
  if (length < 5) return 0;
  if (length < 9) return 1;
  return 2;
}

const NUMBER_WORDS: Record<string, number> = {
  nul: 0, zero: 0,
  een: 1, one: 1,
  twee: 2, two: 2,
  drie: 3, three: 3,
  vier: 4, four: 4,
  vijf: 5, five: 5,
  zes: 6, six: 6,
  zeven: 7, seven: 7,
  acht: 8, eight: 8,
  negen: 9, nine: 9,
  tien: 10, ten: 10,
  elf: 11, eleven: 11,
  twaalf: 12, twelve: 12,
  dertien: 13, thirteen: 13,
  veertien: 14, fourteen: 14,
  vijftien: 15, fifteen: 15,
  zestien: 16, sixteen: 16,
  zeventien: 17, seventeen: 17,
  achttien: 18, eighteen: 18,
  negentien: 19, nineteen: 19,
  twintig: 20, twenty: 20,
  dertig: 30, thirty: 30,
  veertig: 40, forty: 40,
  vijftig: 50, fifty: 50,
  zestig: 60, sixty: 60,
  zeventig: 70, seventy: 70,
  tachtig: 80, eighty: 80,
  negentig: 90, ninety: 90,
  honderd: 100, hundred: 100,
};
const UNITS = ['een', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen'];
const TENS = ['twintig', 'dertig', 'veertig', 'vijftig', 'zestig', 'zeventig', 'tachtig', 'negentig'];
// Dutch compounds: "vijfenzeventig", "tweeëntachtig" ("tweeentachtig" once accents are removed).
for (const [ti, tens] of TENS.entries()) {
  for (const [ui, unit] of UNITS.entries()) {
    NUMBER_WORDS[`${unit}en${tens}`] = (ti + 2) * 10 + ui + 1;
  }
}
NUMBER_WORDS.anderhalf = 1.5;

/**
 * A number in a single (normalised) word: digits ("14", "2.5"), a Dutch or English number word ("twaalf",
 * "vijfenzeventig", "twelve"), or "anderhalf". Undefined otherwise.
 */
export function numberWord(word: string): number | undefined {
  if (/^\d{1,3}(?:\.\d+)?$/.test(word)) return Number(word);
  const n = NUMBER_WORDS[word];
  return n;
}
