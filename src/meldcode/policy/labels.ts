/**
 * The visible labels of the conversation's cards (policy/texts/<lang>.json), for the parsers of typed answers
 * (src/meldcode/answers.ts): whatever a card shows, typing it works. Pure data: no botbuilder, no HTTP.
 */
import nl from '../../../policy/texts/nl.json';
import en from '../../../policy/texts/en.json';

export type UiTextKey = keyof typeof nl;
const TEXTS: Array<Record<string, string>> = [nl, en];

/** The label of a UI text key in every language (nl first), without duplicates or placeholders. */
export function uiLabels(key: UiTextKey): string[] {
  const out: string[] = [];
  for (const texts of TEXTS) {
    const v = texts[key];
    if (typeof v === 'string' && v && !out.includes(v)) out.push(v);
  }
  return out;
}
