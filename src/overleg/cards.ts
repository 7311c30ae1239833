/**
 * The overleg card (src/overleg/notification.json): Adaptive Card 1.5 with Action.Execute buttons and `refresh`, so
 * it updates in place for everyone in `refreshUserIds`. It shows only the consultation number, doelgroep,
 * urgency, how the requester wants to be reached, the advised step, the contact role and the status: never case
 * details (no signals, no forms, no free text). Which buttons appear depends on who looks at it.
 */
import { UITKOMSTEN, type Bereikbaarheid, type ConsultationStatus, type Urgentie } from '../consultation/ports';
import type { Doelgroep, Language } from '../meldcode/types';
import { t, type TextKey } from '../texts';
import { handlerStepFrom } from '../consultation/status';
import { cardTemplate, renderCard, type CardJson } from '../../cards/render';
import notificationJson from './notification.json';

const NOTIFICATION_TEMPLATE = cardTemplate('notification', notificationJson);

export const OVERLEG_VERBS = ['mw.refresh', 'mw.oppakken', 'mw.afronden', 'mw.intrekken'] as const;
export type OverlegVerb = (typeof OVERLEG_VERBS)[number];

/** Who is looking: a routed contact or deputy, the requester, or anyone else (read-only). */
export type Audience = 'contact' | 'requester' | 'other';

export interface NotificationView {
  nummer: string;
  doelgroep: Doelgroep | null;
  urgentie: Urgentie | null;
  bereikbaarheid: Bereikbaarheid | null;
  /** Advised step (1–5) and its title; for a route outside the steps (`route`), `stapTitel` is the route's title. */
  stap: number;
  stapTitel: string;
  route?: boolean;
  /** Display name of the routed contact role. */
  contactNaam: string;
  status: ConsultationStatus;
  assigneeName: string | null;
  audience: Audience;
  /** A short message at the top (e.g. "Al opgepakt door …"). */
  notice?: string | null;
  noticeStyle?: 'good' | 'attention' | 'warning' | 'accent';
  /** Teams deep link to chat with the requester (only when their Entra object id is known). */
  chatUrl?: string | null;
  /** Who gets the card refreshed automatically (Teams allows at most 60). */
  refreshUserIds: string[];
}

/** Teams deep link to a 1:1 chat with a user, by Entra object id. */
export function chatDeepLink(aadObjectId: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(aadObjectId)}`;
}

export function statusText(lang: Language, status: ConsultationStatus, assigneeName: string | null): string {
  return t(lang, `overleg.status.${status}` as TextKey, { naam: assigneeName ?? '—' });
}

export function notificationCard(v: NotificationView, lang: Language): CardJson {
  const unknown = t(lang, 'overleg.card.onbekend');
  const data = { mw: 'overleg', nummer: v.nummer };
  const buttons: Array<{ title: string; verb: string; style: string; data: Record<string, unknown> }> = [];
  const active = v.status === 'open' || v.status === 'in-behandeling';
  const step = v.audience === 'contact' ? handlerStepFrom(v.status) : null;
  if (step === 'oppakken') buttons.push({ title: t(lang, 'overleg.button.oppakken'), verb: 'mw.oppakken', style: 'positive', data });
  if (step === 'afronden') buttons.push({ title: t(lang, 'overleg.button.afronden'), verb: 'mw.afronden', style: 'positive', data });
  if (v.audience === 'requester' && active) buttons.push({ title: t(lang, 'overleg.button.intrekken'), verb: 'mw.intrekken', style: 'destructive', data });
  const links = v.audience === 'contact' && active && v.chatUrl ? [{ title: t(lang, 'overleg.button.chat'), url: v.chatUrl }] : [];
  const card = renderCard(NOTIFICATION_TEMPLATE, {
    title: t(lang, 'overleg.card.title', { nummer: v.nummer }),
    refreshTitle: t(lang, 'overleg.card.refresh'),
    nummer: v.nummer,
    userIds: [...new Set(v.refreshUserIds)].slice(0, 60),
    notice: v.notice ?? null,
    noticeStyle: v.noticeStyle ?? 'accent',
    facts: [
      { title: t(lang, 'overleg.card.nummer'), value: v.nummer },
      { title: t(lang, 'overleg.card.doelgroep'), value: v.doelgroep ? t(lang, `doelgroep.${v.doelgroep}` as TextKey) : unknown },
      { title: t(lang, 'overleg.card.urgentie'), value: v.urgentie ? t(lang, `overleg.urgentie.${v.urgentie}` as TextKey) : unknown },
      { title: t(lang, 'overleg.card.bereikbaarheid'), value: v.bereikbaarheid ? t(lang, `overleg.bereikbaarheid.${v.bereikbaarheid}` as TextKey) : unknown },
      { title: t(lang, 'overleg.card.stap'), value: v.route ? v.stapTitel : t(lang, 'overleg.card.stap.value', { stap: v.stap, titel: v.stapTitel }) },
      { title: t(lang, 'overleg.card.contact'), value: v.contactNaam },
      { title: t(lang, 'overleg.card.status'), value: statusText(lang, v.status, v.assigneeName) },
    ],
    footer: v.audience === 'requester' ? null : t(lang, 'overleg.card.footer'),
    buttons,
    links,
  });
  if (v.audience === 'contact' && v.status === 'in-behandeling') {
    // Afronden with the stap 5 outcome (issue 13): Action.Execute sends this input with the button's data.
    (card.body as unknown[]).push({
      type: 'Input.ChoiceSet',
      id: 'uitkomst',
      label: t(lang, 'lifecycle.close.question'),
      style: 'expanded',
      isRequired: true,
      errorMessage: t(lang, 'lifecycle.close.hint'),
      choices: UITKOMSTEN.map((u) => ({ title: t(lang, `uitkomst.${u}` as TextKey), value: u })),
    });
  }
  return card;
}
