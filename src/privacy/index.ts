/**
 * Anonymiser for Dutch free text (meldcode consultations). Pure TypeScript: no I/O, no botbuilder.
 *
 * `detect` finds direct identifiers (BSN, phone, e-mail, URL, IBAN, postcode/address, dates, ages, long ids, names,
 * institutions) and returns non-overlapping findings sorted by offset (UTF-16 offsets into the input, end exclusive).
 * Public helpline numbers (112, 0800-2000, …) and our own placeholders (`[NAAM]`) are never reported.
 */
import { FINDING_TYPES } from './types';
import type { AnonymiseResult, Finding, FindingType } from './types';
import { keptNumberSpans, patternCandidates } from './patterns';
import type { Candidate } from './patterns';
import { nameCandidates } from './names';

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

export function detect(text: string): Finding[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const blocked: Array<[number, number]> = keptNumberSpans(text);
  PLACEHOLDER_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PLACEHOLDER_RE.exec(text)) !== null) blocked.push([m.index, m.index + m[0].length]);

  const candidates: Candidate[] = [...patternCandidates(text), ...nameCandidates(text)];
  candidates.sort(
    (a, b) => PRIORITY[b.type] - PRIORITY[a.type] || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const taken: Array<[number, number]> = [...blocked];
  const overlaps = (s: number, e: number): boolean => taken.some(([ts, te]) => s < te && ts < e);
  const findings: Finding[] = [];
  for (const c of candidates) {
    if (c.end <= c.start || overlaps(c.start, c.end)) continue;
    taken.push([c.start, c.end]);
    findings.push({ type: c.type, start: c.start, end: c.end });
  }
  findings.sort((a, b) => a.start - b.start);
  return findings;
}

export function anonymise(text: string): AnonymiseResult {
  const findings = detect(text);
  let out = '';
  let pos = 0;
  for (const f of findings) {
    out += text.slice(pos, f.start) + placeholder(f.type);
    pos = f.end;
  }
  out += text.slice(pos);
  return { text: out, findings };
}

/** Distinct finding types present in the text, in FINDING_TYPES order (empty when the text is clean). */
export function directIdentifierTypes(text: string): FindingType[] {
  const found = new Set(detect(text).map((f) => f.type));
  return FINDING_TYPES.filter((t) => found.has(t));
}
