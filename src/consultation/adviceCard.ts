/**
 * The advice card: the suggested step (or the route outside the steps), what to do now, meldnorm, points to check,
 * kindcheck, contacts and the consultation number.
 */
import { aandachtspuntText, actionText, adviceTitle } from '../meldcode/engine';
import type { Advice, CaseInput, Language } from '../meldcode/types';
import { localText, type Policy } from '../meldcode/policy';
import { t } from '../texts';
import { cardTemplate, renderCard } from '../../cards/render';
import adviceJson from './adviceCard.json';

const ADVICE_TEMPLATE = cardTemplate('advice', adviceJson);

export function adviceCard(advice: Advice, policy: Policy, lang: Language, nummer: string | null, overlegEnabled: boolean, sector?: CaseInput['sector']) {
  const buttons = [] as Array<{ title: string; style?: string; data: Record<string, unknown> }>;
  if (overlegEnabled && nummer && advice.actie !== '112') buttons.push({ title: t(lang, 'advice.overleg'), style: 'positive', data: { mw: 'advies', actie: 'overleg', nummer } });
  buttons.push({ title: t(lang, 'advice.opnieuw'), style: 'default', data: { mw: 'advies', actie: 'opnieuw' } });
  const punten = (advice.aandachtspunten ?? []).map((p) => aandachtspuntText(policy, p, lang));
  return renderCard(ADVICE_TEMPLATE, {
    // Routes outside the five steps (112, meldplicht medewerker, Veilig Thuis direct) carry their own title.
    title: adviceTitle(advice, policy, lang),
    nowLabel: t(lang, 'advice.now'),
    // The engine's text already has the gemeente's local wording; recompute only for advice stored without it.
    action: advice.actieTekst ?? actionText(policy, advice.actie, sector, lang),
    meldnormLabel: t(lang, 'advice.meldnorm'),
    meldnorm: advice.meldnorm ? localText(policy.meldnormen[advice.meldnorm], lang) : null,
    aandachtspuntenLabel: t(lang, 'advice.aandachtspunten'),
    aandachtspunten: punten.length ? punten.map((text) => ({ text })) : null,
    kindcheck: advice.kindcheck ? localText(policy.kindcheck, lang) : null,
    contactsLabel: t(lang, 'advice.contacts'),
    contacts: advice.contacten.map((c) => ({ naam: c.naam, bereik: [c.telefoon, c.bereikbaarheid].filter(Boolean).join(' · ') || '—' })),
    disclaimer: localText(policy.disclaimer, lang),
    nummer: nummer ? t(lang, 'advice.nummer', { nummer }) : null,
    buttons,
  });
}
