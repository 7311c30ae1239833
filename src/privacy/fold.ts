/**
 * Folding before detection (pure). Text that is written to slip past a detector, or that was pasted from another
 * program, is mapped to the plain form the detectors know, with an offset map back to the original text:
 *  - confusables: Cyrillic and Greek letters that look like Latin ones ("Jаn" with a Cyrillic а → "Jan"), full-width
 *    Latin letters and digits ("０６…" → "06…"), mathematical alphanumerics ("𝐉𝐚𝐧" → "Jan") and the decimal digits of
 *    other scripts (Arabic-Indic "٠٦" → "06");
 *  - spacing: Unicode spaces and tabs become a plain space, typographic dashes a hyphen, and letter-spaced words are
 *    joined ("J a n  d e  V r i e s" → "Jan de Vries": single letters separated by one space form a word, two or more
 *    spaces separate words);
 *  - invisible characters: zero-width space/joiners, word joiner, BOM, soft hyphen, combining grapheme joiner and
 *    bidi controls are dropped ("Fa\u200btima" → "Fatima").
 * `fold(text)` returns the folded text and, when its length differs from the input, `starts`/`ends`: for each folded
 * UTF-16 unit the original offsets it came from, so `[starts[s], ends[e - 1])` is the original span of a folded
 * finding `[s, e)`. When nothing had to change, the input itself is returned (fast path for ordinary text).
 */

export interface Folded {
  text: string;
  /** Original start offset of folded unit i (null: identity map). */
  starts: Int32Array | null;
  /** Original end offset (exclusive) of folded unit i (null: identity map). */
  ends: Int32Array | null;
}

/** Characters that need folding (outside the letter-spacing rule). Checked first: most texts have none. */
const NEEDS_FOLD =
  /[\t\u00a0\u00ad\u034f\u0370-\u03ff\u0400-\u04ff\u0500-\u052f\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u1680\u2000-\u200f\u2010-\u2015\u2028-\u202f\u205f-\u2064\u2066-\u2069\u2212\u3000\ufe58\ufe63\ufeff\uff01-\uff5e\ud835]/;
/** Three or more single letters separated by single spaces ("J a n"). */
const SPACED_LETTERS = /(?<![\p{L}\p{M}\d])\p{L}(?: \p{L}){2,}(?![\p{L}\p{M}\d])/u;
const SPACED_RUN = /(?<![\p{L}\p{M}\d])\p{L}(?: {1,3}\p{L})+(?![\p{L}\p{M}\d])/gu;

const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', І: 'I', Ј: 'J',
  Ѕ: 'S', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's',
  ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ё: 'ë', ї: 'ï',
  // Greek
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  ο: 'o', ν: 'v', ι: 'i', κ: 'k', ρ: 'p', τ: 't', υ: 'u', χ: 'x', α: 'a',
};
const INVISIBLE = /[\u00ad\u034f\u200b-\u200f\u2060-\u2064\u2066-\u2069\u202a-\u202e\ufeff]/;
const SPACE_LIKE = /[\t\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const DASH_LIKE = /[\u2010-\u2015\u2212\ufe58\ufe63]/;
/** First code point (digit zero) of decimal digit blocks folded to ASCII. */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966];

/** One code point (as a string) to its folded form: '' (drop), one character, or the input itself. */
function foldChar(ch: string, cp: number): string {
  if (cp < 0x80) return ch === '\t' ? ' ' : ch;
  const c = CONFUSABLES[ch];
  if (c !== undefined) return c;
  if (INVISIBLE.test(ch)) return '';
  if (SPACE_LIKE.test(ch)) return ' ';
  if (DASH_LIKE.test(ch)) return '-';
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0);
  for (const z of DIGIT_ZEROS) if (cp >= z && cp <= z + 9) return String.fromCharCode(48 + cp - z);
  if (cp >= 0x1d400 && cp <= 0x1d6a3) {
    const k = (cp - 0x1d400) % 52;
    return String.fromCharCode(k < 26 ? 65 + k : 97 + k - 26);
  }
  if (cp >= 0x1d7ce && cp <= 0x1d7ff) return String.fromCharCode(48 + ((cp - 0x1d7ce) % 10));
  return ch;
}

/** Spans [start, end) of letter-spaced words to join, with the gaps that separate words (2+ spaces). */
function spacedRuns(text: string): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  SPACED_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SPACED_RUN.exec(text)) !== null) {
    // A run counts when one of its words (letters joined by single spaces) has at least three letters.
    if (/\p{L} \p{L} \p{L}/u.test(m[0]) && m[0].replace(/ /g, '').length >= 3) runs.push([m.index, m.index + m[0].length]);
  }
  return runs;
}

export function fold(text: string): Folded {
  const needs = NEEDS_FOLD.test(text);
  const spaced = text.includes(' ') && SPACED_LETTERS.test(text);
  if (!needs && !spaced) return { text, starts: null, ends: null };
  // Pass 1: character folding (may drop characters or turn two units into one).
  let out = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let sameLength = true;
  if (needs) {
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      const ch = width === 2 ? text.slice(i, i + 2) : text[i];
      const f = foldChar(ch, cp);
      if (f.length !== width) sameLength = false;
      for (let k = 0; k < f.length; k++) {
        out += f[k];
        starts.push(i);
        ends.push(i + width);
      }
      i += width;
    }
  } else {
    out = text;
  }
  if (!spaced || !SPACED_LETTERS.test(out)) {
    if (sameLength) return { text: out, starts: null, ends: null };
    return { text: out, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
  }
  // Pass 2: join letter-spaced words ("J a n  d e  V r i e s" → "Jan de Vries").
  const s1 = needs ? starts : null;
  const e1 = needs ? ends : null;
  const origStart = (i: number): number => (s1 ? s1[i] : i);
  const origEnd = (i: number): number => (e1 ? e1[i] : i + 1);
  let out2 = '';
  const starts2: number[] = [];
  const ends2: number[] = [];
  let pos = 0;
  const copy = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      out2 += out[i];
      starts2.push(origStart(i));
      ends2.push(origEnd(i));
    }
  };
  for (const [rs, re] of spacedRuns(out)) {
    copy(pos, rs);
    let i = rs;
    while (i < re) {
      if (out[i] !== ' ') {
        copy(i, i + 1);
        i++;
        continue;
      }
      let j = i;
      while (j < re && out[j] === ' ') j++;
      if (j - i >= 2) {
        // word break: keep one space, mapped to the whole gap
        out2 += ' ';
        starts2.push(origStart(i));
        ends2.push(origEnd(j - 1));
      }
      i = j;
    }
    pos = re;
  }
  copy(pos, out.length);
  return { text: out2, starts: Int32Array.from(starts2), ends: Int32Array.from(ends2) };
}

/** Maps a folded span back to the original text. */
export function unfoldSpan(f: Folded, start: number, end: number): [number, number] {
  if (!f.starts || !f.ends) return [start, end];
  if (end <= start) return [f.starts[start] ?? 0, f.starts[start] ?? 0];
  return [f.starts[start], f.ends[end - 1]];
}
