/**
 * Shared question machinery: what a question is (its card, its parsers), the context it is asked in, and reading a
 * card submit or typed text for it. A submit from an older card (another question or an earlier run) is recognised as
 * stale, never applied. The questions themselves live with their feature (src/consultation/questions.ts).
 */
import type { Activity } from 'botbuilder';
import type { CardJson } from '../cards/render';
import type { AfwegingKey, CaseInput, Language } from '../src/meldcode/types';
import type { Policy } from '../src/meldcode/policy';
import * as answers from '../src/meldcode/answers';
import type { TextKey } from '../src/texts';

export interface QuestionContext {
  policy: Policy;
  lang: Language;
  runId: string;
  /** The case so far: used for pre-selection and for the signal catalogue. */
  case: CaseInput;
  afwegingKey?: AfwegingKey;
  /** The anonymised note to confirm (notitie question). */
  note?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: 'stale' | 'invalid'; message: TextKey };

export interface Question<T> {
  /** Card marker (`mw` in the submit data) and registry key. */
  id: string;
  /** Marker when it depends on the context (afwegingsvragen: one marker per question); default `id`. */
  marker?(ctx: QuestionContext): string;
  card(ctx: QuestionContext): CardJson;
  parseValue(value: Record<string, unknown>, ctx: QuestionContext): ParseResult<T>;
  parseText(text: string, ctx: QuestionContext): ParseResult<T>;
  /** After a second answer that is not understood: what is expected, with one typed example. */
  example: TextKey;
  /** Optional questions can be skipped ("overslaan"); the acute question never. */
  skippable: boolean;
}

/** "overslaan" and its variants (and "weet ik niet"): only asked of optional questions. */
export function isSkip(text: string): boolean {
  return answers.isSkip(text);
}

export const invalid = <T>(message: TextKey = 'reprompt.choose'): ParseResult<T> => ({ ok: false, reason: 'invalid', message });
export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });

/** Reads a card submit or text for the current question; checks the card belongs to this question and run. */
export function parseAnswer<T>(question: Question<T>, activity: Partial<Activity>, ctx: QuestionContext): ParseResult<T> {
  const value = activity.value;
  if (value !== undefined && value !== null) {
    if (typeof value !== 'object' || Array.isArray(value)) return invalid();
    const v = value as Record<string, unknown>;
    const expectedMw = question.marker ? question.marker(ctx) : question.id;
    if (typeof v.mw === 'string' && (v.mw !== expectedMw || v.run !== ctx.runId)) return { ok: false, reason: 'stale', message: 'stale.card' };
    if (typeof v.mw !== 'string') return invalid();
    return question.parseValue(v, ctx);
  }
  const text = (activity.text ?? '').trim();
  if (!text) return invalid();
  return question.parseText(text, ctx);
}

export type YesNo = 'ja' | 'nee' | 'weetniet';

/** Ja / nee / weet niet (src/meldcode/answers.ts); "weet niet" only where the question allows it. */
export function parseYesNo(text: string, allowDontKnow: boolean): YesNo | null {
  const a = answers.parseYesNo(text);
  if (a === 'weet-niet') return allowDontKnow ? 'weetniet' : null;
  return a ?? null;
}
