/**
 * Anonymiser for Dutch free text (meldcode consultations). Pure TypeScript: no I/O, no botbuilder.
 *
 * `detect` finds direct identifiers (BSN, phone, e-mail, URL, IBAN, postcode/address, dates, ages, long ids, names,
 * institutions) and returns non-overlapping findings sorted by offset (UTF-16 offsets into the input, end exclusive).
 * Public helpline numbers (112, 0800-2000, …) and our own placeholders (`[NAAM]`) are never reported.
 */
import { FINDING_TYPES } from './types';
import type { AnonymiseResult, Finding, FindingType } from './types';
import { KEPT_NUMBERS, classifyDigits, keptNumberSpans, numberRuns, patternCandidates } from './patterns';
import type { Candidate } from './patterns';
import { nameCandidates } from './names';
import { fold, unfoldSpan } from './fold';

export { cleanText, isCleanText } from './clean';
export { isValidBsn, isValidIban } from './validators';
export { FINDING_TYPES } from './types';
export type { AnonymiseResult, Finding, FindingType } from './types';

/** Overlap resolution: the candidate of the higher priority wins; on equal priority the longer one. */
const PRIORITY: Record<FindingType, number> = {
  EMAIL: 100, URL: 98, IBAN: 95, TELEFOON: 90, BSN: 88, DATUM: 80, ADRES: 75, POSTCODE: 70, LEEFTIJD: 60, ID: 50,
  INSTELLING: 40, NAAM: 30,
};

const PLACEHOLDER_RE = new RegExp(`\\[(?:${FINDING_TYPES.join('|')})\\]`, 'g');

export function placeholder(type: FindingType): string {
  return `[${type}]`;
}

const EDGE_INTERFIX = /^(?:van|de|der|den|ter|ten|te|het|'t|el|al|op|in|en)$/;

/** Maximal sub-ranges of [start, end) whose code units are not covered. */
function uncoveredPieces(covered: Uint8Array, start: number, end: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let i = start;
  while (i < end) {
    while (i < end && covered[i] === 1) i++;
    const s = i;
    while (i < end && covered[i] === 0) i++;
    if (i > s) pieces.push([s, i]);
  }
  return pieces;
}

/** Parts of [start, end) not yet covered, trimmed to whole words with a capital. */
function remainders(text: string, start: number, end: number, covered: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [ps, pe] of uncoveredPieces(covered, start, end)) {
    const words = [...text.slice(ps, pe).matchAll(/[\p{L}\p{M}'’.-]+/gu)].map((m) => [ps + m.index, ps + m.index + m[0].length]);
    // a piece must start and end on a word boundary of the original candidate
    while (words.length && (words[0][0] > start && /[\p{L}\p{M}]/u.test(text[words[0][0] - 1]))) words.shift();
    while (words.length && (words[words.length - 1][1] < end && /[\p{L}\p{M}]/u.test(text[words[words.length - 1][1]]))) words.pop();
    while (words.length && EDGE_INTERFIX.test(text.slice(words[0][0], words[0][1]))) words.shift();
    while (words.length && EDGE_INTERFIX.test(text.slice(words[words.length - 1][0], words[words.length - 1][1]))) words.pop();
    if (words.length && /\p{Lu}/u.test(text.slice(words[0][0], words[words.length - 1][1]))) {
      out.push([words[0][0], words[words.length - 1][1]]);
    }
  }
  return out;
}

export function detect(input: string): Finding[] {
  if (typeof input !== 'string' || input.length === 0) return [];
  // Confusables, letter spacing and invisible characters are folded first; findings are mapped back to the input.
  const folded = fold(input);
  const findings = detectFolded(folded.text);
  if (!folded.starts) return findings;
  return findings.map((f) => {
    const [start, end] = unfoldSpan(folded, f.start, f.end);
    return { type: f.type, start, end };
  });
}

function detectFolded(text: string): Finding[] {
  const candidates: Candidate[] = [...patternCandidates(text), ...nameCandidates(text)];
  // A helpline number that is the house number of a street ("Europaplein 112") is part of an address, not a helpline.
  const addresses = candidates.filter((c) => c.type === 'ADRES');
  const blocked: Array<[number, number]> = keptNumberSpans(text).filter(
    ([s, e]) => !addresses.some((a) => a.start < s && e <= a.end),
  );
  PLACEHOLDER_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PLACEHOLDER_RE.exec(text)) !== null) blocked.push([m.index, m.index + m[0].length]);

  candidates.sort(
    (a, b) => PRIORITY[b.type] - PRIORITY[a.type] || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  // Coverage bitmap: overlap tests cost the candidate's length, not the number of findings so far.
  const covered = new Uint8Array(text.length);
  const cover = (s: number, e: number): void => {
    covered.fill(1, s, e);
  };
  for (const [s, e] of blocked) cover(s, e);
  const overlaps = (s: number, e: number): boolean => {
    for (let i = s; i < e; i++) if (covered[i] === 1) return true;
    return false;
  };
  const findings: Finding[] = [];
  for (const c of candidates) {
    if (c.end <= c.start) continue;
    if (!overlaps(c.start, c.end)) {
      cover(c.start, c.end);
      findings.push({ type: c.type, start: c.start, end: c.end });
    } else if (c.type === 'NAAM' || c.type === 'INSTELLING') {
      // Keep the part of a name that a higher-priority finding did not cover ("Fatima el Amrani Dorpsstraat 12"
      // where the address pattern took "Amrani Dorpsstraat 12": "Fatima" is still a name).
      for (const [s, e] of remainders(text, c.start, c.end, covered)) {
        cover(s, e);
        findings.push({ type: c.type, start: s, end: e });
      }
    }
  }
  // Leftover digits of long number runs (two identifiers written next to each other, odd separators).
  for (const [rs, re] of numberRuns(text)) {
    for (let [ps, pe] of uncoveredPieces(covered, rs, re)) {
      while (ps < pe && !/\d/.test(text[ps])) ps++;
      while (pe > ps && !/\d/.test(text[pe - 1])) pe--;
      const piece = text.slice(ps, pe);
      const digits = piece.replace(/\D/g, '');
      if (digits.length < 4 || KEPT_NUMBERS.has(digits)) continue;
      findings.push({ type: classifyDigits(piece), start: ps, end: pe });
    }
  }
  findings.sort((a, b) => a.start - b.start);
  return findings;
}

/** Replaces each finding with its placeholder; `segments` maps every stretch of the output back to the input. */
function redact(text: string, findings: Finding[]): { out: string; segments: Array<{ outStart: number; outEnd: number; inStart: number; inEnd: number }> } {
  let out = '';
  let pos = 0;
  const segments: Array<{ outStart: number; outEnd: number; inStart: number; inEnd: number }> = [];
  const keep = (inStart: number, inEnd: number, replacement?: string): void => {
    const piece = replacement ?? text.slice(inStart, inEnd);
    segments.push({ outStart: out.length, outEnd: out.length + piece.length, inStart, inEnd });
    out += piece;
  };
  for (const f of findings) {
    if (f.start > pos) keep(pos, f.start);
    keep(f.start, f.end, placeholder(f.type));
    pos = f.end;
  }
  if (pos < text.length) keep(pos, text.length);
  return { out, segments };
}

/** The input span behind an output span: a placeholder maps to the whole finding it replaced. */
function toInput(segments: ReturnType<typeof redact>['segments'], start: number, end: number): [number, number] {
  let inStart = 0;
  let inEnd = 0;
  for (const g of segments) {
    const same = g.outEnd - g.outStart === g.inEnd - g.inStart;
    if (start >= g.outStart && start < g.outEnd) inStart = same ? g.inStart + (start - g.outStart) : g.inStart;
    if (end > g.outStart && end <= g.outEnd) inEnd = same ? g.inStart + (end - g.outStart) : g.inEnd;
  }
  return [inStart, inEnd];
}

/**
 * Detects and redacts until nothing is left: a redaction changes the context of its neighbours ("7 jaar op school
 * Fatima …" is an age once the school is a placeholder; a date that lost its day to an IBAN is still "maart 2015"),
 * so the redacted text is checked again and whatever it still finds is mapped back onto the input (at most 3 passes;
 * a text without findings costs one). `findings` are spans of the input, sorted and non-overlapping.
 */
export function anonymise(text: string): AnonymiseResult {
  let findings = detect(text);
  let { out, segments } = redact(text, findings);
  for (let pass = 0; pass < 2 && findings.length > 0; pass++) {
    const more = detect(out);
    if (!more.length) break;
    const spans = [...findings, ...more.map((f) => {
      const [start, end] = toInput(segments, f.start, f.end);
      return { type: f.type, start, end };
    })].filter((f) => f.end > f.start).sort((a, b) => a.start - b.start || b.end - a.end);
    // Union of overlapping spans (a later finding that covers earlier ones takes them in, with its own type).
    const merged: Finding[] = [];
    for (const f of spans) {
      const last = merged[merged.length - 1];
      if (last && f.start < last.end) {
        if (f.end > last.end) merged[merged.length - 1] = { type: f.end - f.start > last.end - last.start ? f.type : last.type, start: last.start, end: f.end };
      } else merged.push({ ...f });
    }
    findings = merged;
    ({ out, segments } = redact(text, findings));
  }
  return { text: out, findings };
}

/** Distinct finding types present in the text, in FINDING_TYPES order (empty when the text is clean). */
export function directIdentifierTypes(text: string): FindingType[] {
  const found = new Set(detect(text).map((f) => f.type));
  return FINDING_TYPES.filter((t) => found.has(t));
}
