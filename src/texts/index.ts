/** UI strings (policy/texts/<lang>.json) with `{name}` placeholders. nl is the default and fallback. */
import type { Language } from '../meldcode/types';
import nl from '../../policy/texts/nl.json';
import en from '../../policy/texts/en.json';

export type TextKey = keyof typeof nl;
const TEXTS: Record<Language, Record<string, string>> = { nl, en };

export function t(lang: Language, key: TextKey, vars: Record<string, string | number> = {}): string {
  const raw = TEXTS[lang][key] ?? TEXTS.nl[key] ?? key;
  return raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export type LanguageMode = 'auto' | Language;
let mode: LanguageMode = 'auto';
/**
 * `auto` (default): follow the client's locale. `nl`/`en`: force one language, e.g. for Agents Playground,
 * which always sends en-US (config MELDWIJZER_LANGUAGE; `npm start` sets nl).
 */
export function setLanguageMode(next: LanguageMode): void {
  mode = next;
}

/** Language of a turn: English when the client locale starts with `en`, else Dutch (unless forced). */
export function languageOf(context: { activity?: { locale?: string } }): Language {
  return languageForLocale(context.activity?.locale);
}

/** Same rule for a bare locale (e.g. of a stored conversation reference, for proactive messages). */
export function languageForLocale(locale: unknown): Language {
  if (mode !== 'auto') return mode;
  return typeof locale === 'string' && locale.toLowerCase().startsWith('en') ? 'en' : 'nl';
}
