/**
 * Danger in words: does a message describe danger *now* (violence happening, a weapon, a threat to life, suicide
 * risk, a child alone and in danger)? Pure and offline; used on every message at every point of a conversation,
 * before anything else. Past tense ("vorige week sloeg hij") is not an emergency; doubt ("weet ik niet",
 * "misschien") only counts as danger where the acute question was asked (see `acuteAnswer`).
 *
 * Interface fixed; the rules are refined in one place (this file) and measured by test/meldcode/danger.test.ts.
 */
import { normalise } from './nlu';

export type DangerLevel = 'now' | 'past' | 'none';
export interface DangerResult {
  level: DangerLevel;
  /** Which kinds of danger were recognised (for tests and logs; never the text itself). */
  kinds: Array<'geweld' | 'wapen' | 'levensgevaar' | 'suicide' | 'kind-alleen' | 'noodhulp'>;
}

const NOW_PATTERNS: Array<[DangerResult['kinds'][number], RegExp]> = [
  ['wapen', / (mes|messen|pistool|vuurwapen|wapen|bijl) /],
  ['suicide', / (zelfmoord|suicide|suicidaal|einde aan (zijn|haar|mijn) leven|van het leven beroven) /],
  ['noodhulp', / (help|hulp nu|nu gevaar|acuut) /],
];

/** First seed of the detector: refined by the safety work (issue #9). */
export function detectDanger(text: string): DangerResult {
  const n = normalise(text);
  const kinds = NOW_PATTERNS.filter(([, re]) => re.test(n)).map(([k]) => k);
  return { level: kinds.length ? 'now' : 'none', kinds };
}

/** An answer to "Is er nu iemand in acuut gevaar?": yes, no, or doubt (treated as danger, with an explanation). */
export type AcuteAnswer = 'ja' | 'nee' | 'twijfel';
