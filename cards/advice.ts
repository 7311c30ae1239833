/** The advice card: the suggested step, what to do now, meldnorm, kindcheck, contacts and the consultation number. */
import { actionText, stepTitle } from '../src/meldcode/engine';
import type { Advice, CaseInput, Language } from '../src/meldcode/types';
import { localText, type Policy } from '../src/policy';
import { t } from '../src/bot/texts';
import { renderCard } from './render';

export function adviceCard(advice: Advice, policy: Policy, lang: Language, nummer: string | null, overlegEnabled: boolean, sector?: CaseInput['sector']) {
  const buttons = [] as Array<{ title: string; style?: string; data: Record<string, unknown> }>;
  if (overlegEnabled && nummer && advice.actie !== '112') buttons.push({ title: t(lang, 'advice.overleg'), style: 'positive', data: { mw: 'advies', actie: 'overleg', nummer } });
  buttons.push({ title: t(lang, 'advice.opnieuw'), style: 'default', data: { mw: 'advies', actie: 'opnieuw' } });
  return renderCard('advice', {
    title: t(lang, 'advice.title', { stap: advice.stap, titel: stepTitle(policy, advice.stap, lang) }),
    nowLabel: t(lang, 'advice.now'),
    action: actionText(policy, advice.actie, sector, lang),
    meldnormLabel: t(lang, 'advice.meldnorm'),
    meldnorm: advice.meldnorm ? localText(policy.meldnormen[advice.meldnorm], lang) : null,
    kindcheck: advice.kindcheck ? localText(policy.kindcheck, lang) : null,
    contactsLabel: t(lang, 'advice.contacts'),
    contacts: advice.contacten.map((c) => ({ naam: c.naam, bereik: [c.telefoon, c.bereikbaarheid].filter(Boolean).join(' · ') || '—' })),
    disclaimer: localText(policy.disclaimer, lang),
    nummer: nummer ? t(lang, 'advice.nummer', { nummer }) : null,
    buttons,
  });
}
