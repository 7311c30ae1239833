/**
 * Request a consultation (overleg) with the aandachtsfunctionaris: asks only what is missing (gemeente and
 * doelgroep for a typed request, then urgency and how to be reached) with Adaptive Cards validated by zod,
 * then hands the request to the overleg service and confirms with a card that updates itself (refresh) and
 * lets the requester withdraw. Same pattern as QuestionDialog: stale or invalid answers get the card again.
 */
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { CardFactory, MessageFactory } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { CaseInput } from '../src/meldcode/types';
import type { Policy } from '../src/policy';
import { normalise } from '../src/meldcode/nlu';
import { BEREIKBAARHEID, URGENTIES, type Bereikbaarheid, type Urgentie } from '../src/consultations/ports';
import { languageOf, t, type TextKey } from '../src/bot/texts';
import { questionCard } from '../cards/render';
import { doelgroepQuestion, gemeenteQuestion, invalid, ok, type DoelgroepAnswer, type Question } from './questions';
import { QuestionDialog, type QuestionOptions } from './questionDialog';
import { userIdOf } from '../src/identity';
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

function choiceQuestion<T extends string>(id: 'urgentie' | 'bereikbaarheid', values: readonly T[], synonyms: Record<T, string[]>): Question<T> {
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
  gemeente: gemeenteQuestion,
  doelgroep: doelgroepQuestion,
  urgentie: urgentieQuestion,
  bereikbaarheid: bereikbaarheidQuestion,
} as Record<string, Question<unknown>>;
type OverlegQuestionId = 'gemeente' | 'doelgroep' | 'urgentie' | 'bereikbaarheid';

const V = (step: WaterfallStepContext) => step.values as { runId: string; case: CaseInput; nummer?: string; urgentie?: Urgentie; bereikbaarheid?: Bereikbaarheid };

export class OverlegDialog extends ComponentDialog {
  constructor(private readonly deps: OverlegDialogDeps) {
    super(OVERLEG_DIALOG);
    this.addDialog(new QuestionDialog(deps.policy, QUESTIONS, QUESTION));
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
