/** UI strings (policy/texts/<lang>.json) with `{name}` placeholders. nl is the default and fallback. */
import type { TurnContext } from 'botbuilder';
import type { Language } from '../meldcode/types';
import nl from '../../policy/texts/nl.json';
import en from '../../policy/texts/en.json';

export type TextKey = keyof typeof nl;
const TEXTS: Record<Language, Record<string, string>> = { nl, en };

export function t(lang: Language, key: TextKey, vars: Record<string, string | number> = {}): string {
  const raw = TEXTS[lang][key] ?? TEXTS.nl[key] ?? key;
  return raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Language of a turn: English when the client locale starts with `en`, else Dutch. */
export function languageOf(context: Pick<TurnContext, 'activity'>): Language {
  const locale = (context.activity?.locale ?? '').toLowerCase();
  return locale.startsWith('en') ? 'en' : 'nl';
}
