/**
 * Request a consultation (overleg) with the aandachtsfunctionaris: asks only what is missing (gemeente and
 * doelgroep for a typed request, then urgency and how to be reached) with Adaptive Cards validated by zod,
 * then hands the request to the overleg service and confirms with a card that updates itself (refresh) and
 * lets the requester withdraw. Same pattern as QuestionDialog: stale or invalid answers get the card again.
 */
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { CardFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { CaseInput } from '../src/meldcode/types';
import type { Policy } from '../src/policy';
import { normalise } from '../src/meldcode/nlu';
import { BEREIKBAARHEID, URGENTIES, type Bereikbaarheid, type Urgentie } from '../src/consultations/ports';
import { languageOf, t, type TextKey } from '../src/bot/texts';
import { questionCard, type CardJson } from '../cards/render';
import { doelgroepQuestion, gemeenteQuestion, type DoelgroepAnswer, type ParseResult, type QuestionContext } from './questions';
import { userIdOf } from './consultationDialog';
import type { OverlegService } from '../src/overleg/service';

export const OVERLEG_DIALOG = 'mw.overleg';
const MAIN = 'mw.overleg.main';
const QUESTION = 'mw.overleg.question';

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

interface OverlegQuestion<T> {
  id: string;
  card(ctx: QuestionContext): CardJson;
  parseValue(value: Record<string, unknown>, ctx: QuestionContext): ParseResult<T>;
  parseText(text: string, ctx: QuestionContext): ParseResult<T>;
}

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const invalid = <T>(message: TextKey): ParseResult<T> => ({ ok: false, reason: 'invalid', message });

function choiceQuestion<T extends string>(id: 'urgentie' | 'bereikbaarheid', values: readonly T[], synonyms: Record<T, string[]>): OverlegQuestion<T> {
  const schema = z.object({ [id]: z.enum(values as unknown as [T, ...T[]]) });
  const reprompt = `overleg.reprompt.${id}` as TextKey;
  return {
    id,
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

const QUESTIONS = {
  gemeente: gemeenteQuestion as unknown as OverlegQuestion<string | null>,
  doelgroep: doelgroepQuestion as unknown as OverlegQuestion<DoelgroepAnswer>,
  urgentie: urgentieQuestion,
  bereikbaarheid: bereikbaarheidQuestion,
} satisfies Record<string, OverlegQuestion<unknown>>;
type OverlegQuestionId = keyof typeof QUESTIONS;

interface QuestionOptions {
  question: OverlegQuestionId;
  runId: string;
  case: CaseInput;
}

/** Card answer or typed text for one question; a card from another question or run is stale. */
export function parseOverlegAnswer<T>(q: OverlegQuestion<T>, activity: Partial<Activity>, ctx: QuestionContext): ParseResult<T> {
  const value = activity.value;
  if (value !== undefined && value !== null) {
    if (typeof value !== 'object' || Array.isArray(value)) return invalid('reprompt.choose');
    const v = value as Record<string, unknown>;
    if (typeof v.mw !== 'string') return invalid('reprompt.choose');
    if (v.mw !== q.id || v.run !== ctx.runId) return { ok: false, reason: 'stale', message: 'stale.card' };
    return q.parseValue(v, ctx);
  }
  const text = (activity.text ?? '').trim();
  return text ? q.parseText(text, ctx) : invalid('reprompt.choose');
}

class OverlegQuestionDialog extends Dialog<QuestionOptions> {
  constructor(private readonly policy: Policy) {
    super(QUESTION);
  }

  private ctx(context: TurnContext, s: QuestionOptions): QuestionContext {
    return { policy: this.policy, lang: languageOf(context), runId: s.runId, case: s.case };
  }

  private async send(context: TurnContext, s: QuestionOptions, text?: string): Promise<void> {
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(QUESTIONS[s.question].card(this.ctx(context, s))));
    if (text) activity.text = text;
    await context.sendActivity(activity);
  }

  override async beginDialog(dc: DialogContext, options?: QuestionOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('OverlegQuestionDialog needs options');
    dc.activeDialog!.state.q = { ...options, retries: 0 };
    await this.send(dc.context, options);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const s = dc.activeDialog!.state.q as QuestionOptions & { retries: number };
    if (dc.context.activity.type !== 'message') return Dialog.EndOfTurn;
    const r = parseOverlegAnswer(QUESTIONS[s.question] as OverlegQuestion<unknown>, dc.context.activity, this.ctx(dc.context, s));
    if (r.ok) return dc.endDialog(r.value);
    s.retries += 1;
    const lang = languageOf(dc.context);
    let text = t(lang, r.message);
    if (s.retries >= 2 && r.reason === 'invalid') text += ` ${t(lang, 'reprompt.hint')}`;
    await this.send(dc.context, s, text);
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: { state: Record<string, unknown> }): Promise<void> {
    await this.send(context, instance.state.q as QuestionOptions);
  }
}

const V = (step: WaterfallStepContext) => step.values as { runId: string; case: CaseInput; nummer?: string; urgentie?: Urgentie; bereikbaarheid?: Bereikbaarheid };

export class OverlegDialog extends ComponentDialog {
  constructor(private readonly deps: OverlegDialogDeps) {
    super(OVERLEG_DIALOG);
    this.addDialog(new OverlegQuestionDialog(deps.policy));
    this.addDialog(
      new WaterfallDialog(MAIN, [
        this.start.bind(this),
        this.afterGemeente.bind(this),
        this.afterDoelgroep.bind(this),
        this.afterUrgentie.bind(this),
        this.finish.bind(this),
      ]),
    );
    this.initialDialogId = MAIN;
  }

  private ask(step: WaterfallStepContext, question: OverlegQuestionId) {
    return step.beginDialog(QUESTION, { question, runId: V(step).runId, case: V(step).case } satisfies QuestionOptions);
  }

  private async start(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = (step.options ?? {}) as OverlegDialogOptions;
    const v = V(step);
    v.runId = randomUUID();
    v.case = { ...(o.case ?? {}) } as CaseInput;
    v.nummer = o.nummer;
    await step.context.sendActivity(t(languageOf(step.context), 'overleg.intro'));
    if (o.askGemeente && v.case.gemeente === undefined) return this.ask(step, 'gemeente');
    return step.next(undefined);
  }

  private async afterGemeente(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = V(step).case;
    if (typeof step.result === 'string') c.gemeente = step.result;
    if (c.doelgroep === undefined) return this.ask(step, 'doelgroep');
    return step.next(undefined);
  }

  private async afterDoelgroep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = V(step).case;
    const a = step.result as DoelgroepAnswer | undefined;
    if (a) {
      c.doelgroep = a.doelgroep;
      if (a.leeftijdsgroep) c.leeftijdsgroep = a.leeftijdsgroep;
    }
    return this.ask(step, 'urgentie');
  }

  private async afterUrgentie(step: WaterfallStepContext): Promise<DialogTurnResult> {
    V(step).urgentie = step.result as Urgentie;
    return this.ask(step, 'bereikbaarheid');
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = V(step);
    const lang = languageOf(step.context);
    const requesterId = userIdOf(step.context);
    try {
      const r = await this.deps.service.request({ requesterId, nummer: v.nummer, case: v.case, urgentie: v.urgentie!, bereikbaarheid: step.result as Bereikbaarheid, lang });
      if (!r.ok) {
        const key: TextKey = r.reason === 'already' ? 'overleg.already' : r.reason === 'not-yours' ? 'overleg.not.yours' : r.reason === 'not-open' ? 'overleg.not.open' : r.reason === 'not-found' ? 'overleg.not.found' : 'overleg.failed';
        await step.context.sendActivity(t(lang, key, { nummer: v.nummer ?? '' }));
        return step.endDialog({ ok: false, reason: r.reason });
      }
      const telefoon = r.route.telefoon ? t(lang, 'overleg.telefoon', { telefoon: r.route.telefoon }) : '';
      const text = r.reachable
        ? t(lang, 'overleg.sent', { nummer: r.consultation.nummer, contact: r.route.naam })
        : t(lang, 'overleg.no.teams', { nummer: r.consultation.nummer, contact: r.route.naam, telefoon });
      const card = await this.deps.service.cardFor(r.consultation, requesterId, lang, undefined, 'requester');
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      activity.text = text;
      await step.context.sendActivity(activity);
      return step.endDialog({ ok: true, nummer: r.consultation.nummer });
    } catch (err) {
      this.deps.logger?.warn('overleg.request_failed', { error: (err as Error)?.name });
      await step.context.sendActivity(t(lang, 'overleg.failed'));
      return step.endDialog({ ok: false });
    }
  }
}
