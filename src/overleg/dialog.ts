/**
 * Request a consultation (overleg) with the aandachtsfunctionaris, as a plain flow: the acute question first
 * (unless it was answered in this conversation within the hour), then only what is missing (gemeente and doelgroep
 * for a typed request), urgency and how to be reached, with Adaptive Cards validated by zod; then the request goes
 * to the overleg service and is confirmed with a card that updates itself (refresh) and lets the requester
 * withdraw. Same pending-question machinery as the consultation (dialogs/flow.ts).
 */
import { z } from 'zod';
import { CardFactory, MessageFactory } from 'botbuilder';
import type { CaseInput } from '../meldcode/types';
import type { Policy } from '../meldcode/policy';
import { normalise } from '../meldcode/nlu';
import { BEREIKBAARHEID, URGENTIES, type Bereikbaarheid, type Urgentie } from '../consultation/ports';
import { t, type TextKey } from '../texts';
import { questionCard } from '../../cards/render';
import { acuteQuestion, doelgroepQuestion, gemeenteQuestion, invalid, ok, type DoelgroepAnswer, type Question, type QuestionContext, type YesNo } from '../consultation/questions';
import { acuteAskedRecently, markAnswered, newFlowState, readAnswer, sendQuestion, type Flow, type FlowState, type FlowTurn } from '../../dialogs/flow';
import { userIdOf } from '../identity';
import type { OverlegService } from './service';

export const OVERLEG_FLOW = 'overleg';

export interface OverlegDialogOptions {
  /** Existing consultation (advice card "Overleg aanvragen"); absent for a typed request. */
  nummer?: string;
  /** What is known: from the consultation, or from the typed text. */
  case?: Partial<CaseInput>;
  /** Ask the gemeente when it is not known (typed requests; the advice flow asked it already). */
  askGemeente?: boolean;
}

export interface OverlegDialogDeps {
  policy: Policy;
  service: Pick<OverlegService, 'request' | 'cardFor'>;
  logger?: { warn(msg: string, fields?: Record<string, unknown>): void };
}

function choiceQuestion<T extends string>(id: 'urgentie' | 'bereikbaarheid', values: readonly T[], synonyms: Record<T, string[]>): Question<T> {
  const schema = z.object({ [id]: z.enum(values as unknown as [T, ...T[]]) });
  const reprompt = `overleg.reprompt.${id}` as TextKey;
  return {
    id,
    example: `example.${id}` as TextKey,
    skippable: false,
    card: (ctx) =>
      questionCard({
        title: t(ctx.lang, `overleg.${id}.question` as TextKey),
        buttons: values.map((v, i) => ({ title: t(ctx.lang, `overleg.${id}.${v}` as TextKey), style: i === 0 ? 'positive' : 'default', data: { mw: id, run: ctx.runId, [id]: v } })),
      }),
    parseValue: (v) => {
      const r = schema.safeParse(v);
      return r.success ? ok((r.data as Record<string, T>)[id]!) : invalid(reprompt);
    },
    parseText: (text, ctx) => {
      const n = normalise(text).trim();
      for (const v of values) {
        const words = [v, v.replace(/-/g, ' '), normalise(t(ctx.lang, `overleg.${id}.${v}` as TextKey)).trim(), ...synonyms[v]];
        if (words.some((w) => normalise(w).trim() === n)) return ok(v);
      }
      return invalid(reprompt);
    },
  };
}

export const urgentieQuestion = choiceQuestion<Urgentie>('urgentie', URGENTIES, {
  vandaag: ['vandaag', 'nu', 'zo snel mogelijk', 'spoed', 'dringend', 'today', 'asap', 'urgent'],
  'deze-week': ['deze week', 'binnen een week', 'this week', 'week'],
  'geen-haast': ['geen haast', 'maakt niet uit', 'later', 'no hurry', 'niet dringend'],
});

export const bereikbaarheidQuestion = choiceQuestion<Bereikbaarheid>('bereikbaarheid', BEREIKBAARHEID, {
  'teams-chat': ['chat', 'teams chat', 'teams-chat', 'chatten', 'via teams', 'teams'],
  'teams-bellen': ['teams bellen', 'teams-bellen', 'bellen via teams', 'teams call', 'videobellen', 'call'],
  telefoon: ['telefoon', 'telefonisch', 'bellen', 'bel me', 'phone'],
});

const QUESTIONS: Record<string, Question<unknown>> = {
  acuut: acuteQuestion as Question<unknown>,
  gemeente: gemeenteQuestion as Question<unknown>,
  doelgroep: doelgroepQuestion as Question<unknown>,
  urgentie: urgentieQuestion as Question<unknown>,
  bereikbaarheid: bereikbaarheidQuestion as Question<unknown>,
};

interface OverlegData {
  nummer?: string;
  askGemeente?: boolean;
  urgentie?: Urgentie;
  bereikbaarheid?: Bereikbaarheid;
  lead?: string;
}
const dataOf = (s: FlowState) => s.data as OverlegData;

/** The overleg request's next question: acute first (unless answered recently), then only what is missing. */
export function nextOverlegQuestion(s: FlowState, acuteAsked: boolean): string | null {
  const open = (id: string) => !s.answered.includes(id);
  const d = dataOf(s);
  if (!acuteAsked && open('acuut')) return 'acuut';
  if (d.askGemeente && s.case.gemeente === undefined && open('gemeente')) return 'gemeente';
  if (s.case.doelgroep === undefined && open('doelgroep')) return 'doelgroep';
  if (!d.urgentie) return 'urgentie';
  if (!d.bereikbaarheid) return 'bereikbaarheid';
  return null;
}

export function createOverlegFlow(deps: OverlegDialogDeps): Flow<OverlegDialogOptions> {
  const ctxOf = (turn: FlowTurn, s: FlowState): QuestionContext => ({ policy: deps.policy, lang: turn.lang, runId: s.runId, case: s.case });

  async function advance(turn: FlowTurn, s: FlowState): Promise<void> {
    const next = nextOverlegQuestion(s, acuteAskedRecently(turn.conv));
    if (!next) return finish(turn, s);
    s.pending = next;
    s.retries = 0;
    turn.conv.flow = s;
    const lead = dataOf(s).lead;
    delete dataOf(s).lead;
    await sendQuestion(turn.context, QUESTIONS[next]!, ctxOf(turn, s), lead);
  }

  async function finish(turn: FlowTurn, s: FlowState): Promise<void> {
    turn.conv.flow = undefined;
    const d = dataOf(s);
    const { lang, context } = turn;
    const requesterId = userIdOf(context);
    try {
      const r = await deps.service.request({ requesterId, nummer: d.nummer, case: s.case, urgentie: d.urgentie!, bereikbaarheid: d.bereikbaarheid!, lang });
      if (!r.ok) {
        const key: TextKey = r.reason === 'already' ? 'overleg.already' : r.reason === 'not-yours' ? 'overleg.not.yours' : r.reason === 'not-open' ? 'overleg.not.open' : r.reason === 'not-found' ? 'overleg.not.found' : 'overleg.failed';
        await context.sendActivity(t(lang, key, { nummer: d.nummer ?? '' }));
        return;
      }
      const telefoon = r.route.telefoon ? t(lang, 'overleg.telefoon', { telefoon: r.route.telefoon }) : '';
      const text = r.reachable
        ? t(lang, 'overleg.sent', { nummer: r.consultation.nummer, contact: r.route.naam })
        : t(lang, 'overleg.no.teams', { nummer: r.consultation.nummer, contact: r.route.naam, telefoon });
      const card = await deps.service.cardFor(r.consultation, requesterId, lang, undefined, 'requester');
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      activity.text = text;
      await context.sendActivity(activity);
    } catch (err) {
      deps.logger?.warn('overleg.request_failed', { error: (err as Error)?.name });
      await context.sendActivity(t(lang, 'overleg.failed'));
    }
  }

  return {
    id: OVERLEG_FLOW,

    async begin(turn, o = {}) {
      const s = newFlowState(OVERLEG_FLOW, { ...(o.case ?? {}) } as CaseInput, {
        ...(o.nummer ? { nummer: o.nummer } : {}),
        askGemeente: o.askGemeente === true,
        lead: t(turn.lang, 'overleg.intro'),
      } satisfies OverlegData);
      await advance(turn, s);
    },

    async continue(turn) {
      const s = turn.conv.flow!;
      const marker = s.pending;
      const question = QUESTIONS[marker];
      if (!question) {
        turn.conv.flow = undefined;
        return;
      }
      const answer = await readAnswer(turn, s, question, ctxOf(turn, s));
      if (!answer) return;
      const value = answer.skipped ? undefined : answer.value;
      const d = dataOf(s);
      if (marker === 'acuut') {
        turn.conv.acuteAskedAt = Date.now();
        const a = value as YesNo;
        if (a === 'ja' || a === 'weetniet') {
          turn.conv.flow = undefined;
          await turn.context.sendActivity(a === 'weetniet' ? `${t(turn.lang, 'acute.doubt')} ${t(turn.lang, 'acute.message')}` : t(turn.lang, 'acute.message'));
          return;
        }
      } else if (marker === 'gemeente') {
        if (typeof value === 'string') s.case.gemeente = value;
      } else if (marker === 'doelgroep') {
        const a = value as DoelgroepAnswer | undefined;
        if (a) {
          s.case.doelgroep = a.doelgroep;
          if (a.leeftijdsgroep) s.case.leeftijdsgroep = a.leeftijdsgroep;
        }
      } else if (marker === 'urgentie') d.urgentie = value as Urgentie;
      else if (marker === 'bereikbaarheid') d.bereikbaarheid = value as Bereikbaarheid;
      markAnswered(s, marker);
      await advance(turn, s);
    },

    async reprompt(turn, lead) {
      const s = turn.conv.flow!;
      await sendQuestion(turn.context, QUESTIONS[s.pending]!, ctxOf(turn, s), lead);
    },
  };
}
