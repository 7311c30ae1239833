/**
 * The niet-pluis consultation: acute danger first, a privacy warning, then only the questions the free
 * text did not answer (gemeente, sector, doelgroep, employee as suspect, signals, steps done), the
 * afwegingsvragen when steps 1–3 are done, and an advice card. The bot suggests; the professional decides.
 */
import { randomUUID } from 'node:crypto';
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { actionText, advise, nextAfwegingsvraag, stepTitle } from '../src/meldcode/engine';
import type { Advice, CaseInput, Language } from '../src/meldcode/types';
import { localText, type Policy } from '../src/policy';
import { renderCard } from '../cards/render';
import { anonymise } from '../src/privacy';
import { languageOf, t } from '../src/bot/texts';
import { userIdOf } from '../src/identity';
import { adviceCard } from '../cards/advice';
import { QuestionDialog, QUESTION_DIALOG, type QuestionOptions } from './questionDialog';
import type { DoelgroepAnswer, SignalenAnswer, YesNo } from './questions';

/** Waterfall values as a plain record (botbuilder types them as `object`). */
const V = (step: WaterfallStepContext): Record<string, unknown> => step.values as Record<string, unknown>;

export const CONSULTATION_DIALOG = 'mw.consultation';
const MAIN = 'mw.consultation.main';
const AFWEGING = 'mw.consultation.afweging';

export interface ConsultationOptions {
  prefill?: Partial<CaseInput>;
}

/** Where a finished consultation goes: the bot's store (and from there the municipal outbox). */
export interface ConsultationSink {
  save(input: { case: CaseInput; advice: Advice; requesterId: string; note?: string | null; clientRef?: string }): Promise<{ nummer: string }>;
}

export interface ConsultationDialogDeps {
  policy: Policy;
  sink?: ConsultationSink;
  /** True when consultation requests (overleg) can be made: the advice card offers the button. */
  overlegEnabled?: boolean;
  logger?: { warn(msg: string, fields?: Record<string, unknown>): void };
}

export class ConsultationDialog extends ComponentDialog {
  constructor(private readonly deps: ConsultationDialogDeps) {
    super(CONSULTATION_DIALOG);
    this.addDialog(new QuestionDialog(deps.policy));
    this.addDialog(
      new WaterfallDialog(MAIN, [
        this.askAcute.bind(this),
        this.afterAcute.bind(this),
        this.afterGemeente.bind(this),
        this.afterSector.bind(this),
        this.afterDoelgroep.bind(this),
        this.afterMedewerker.bind(this),
        this.afterSignalen.bind(this),
        this.afterNotitie.bind(this),
        this.afterStappen.bind(this),
        this.finish.bind(this),
      ]),
    );
    this.addDialog(new WaterfallDialog(AFWEGING, [this.askAfweging.bind(this), this.afterAfweging.bind(this)]));
    this.initialDialogId = MAIN;
  }

  /** Asks a question; a pending lead text (privacy warning) goes in the same message as the card. */
  private ask(step: WaterfallStepContext, question: QuestionOptions['question'], extra: Partial<QuestionOptions> = {}) {
    const intro = this.takeLead(step);
    const options: QuestionOptions = { question, runId: V(step).runId as string, case: V(step).case as CaseInput, ...(intro ? { intro } : {}), ...extra };
    return step.beginDialog(QUESTION_DIALOG, options);
  }

  private takeLead(step: WaterfallStepContext): string | undefined {
    const lead = V(step).lead as string | undefined;
    delete V(step).lead;
    return lead;
  }

  private caseOf(step: WaterfallStepContext): CaseInput {
    return V(step).case as CaseInput;
  }

  private async askAcute(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as ConsultationOptions;
    V(step).runId = randomUUID();
    V(step).case = { ...(options.prefill ?? {}) } satisfies CaseInput;
    delete (V(step).case as CaseInput).acuutGevaar;
    return this.ask(step, 'acuut');
  }

  private async afterAcute(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const lang = languageOf(step.context);
    const c = this.caseOf(step);
    if ((step.result as YesNo) === 'ja') {
      c.acuutGevaar = true;
      await step.context.sendActivity(t(lang, 'acute.message'));
      await this.save(step.context, c, advise(c, this.deps.policy, lang), null, V(step).runId as string);
      return step.endDialog({ acute: true });
    }
    c.acuutGevaar = false;
    V(step).lead = t(lang, 'privacy.warning');
    if (c.gemeente === undefined) return this.ask(step, 'gemeente');
    return step.next(c.gemeente);
  }

  private async afterGemeente(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.caseOf(step);
    if (typeof step.result === 'string') c.gemeente = step.result;
    if (c.sector === undefined) return this.ask(step, 'sector');
    return step.next(c.sector);
  }

  private async afterSector(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.caseOf(step);
    if (typeof step.result === 'string') c.sector = step.result as CaseInput['sector'];
    if (c.doelgroep === undefined || (c.doelgroep === 'kind' && c.leeftijdsgroep === undefined)) return this.ask(step, 'doelgroep');
    return step.next(null);
  }

  private async afterDoelgroep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.caseOf(step);
    const a = step.result as DoelgroepAnswer | null;
    if (a) {
      c.doelgroep = a.doelgroep;
      if (a.leeftijdsgroep) c.leeftijdsgroep = a.leeftijdsgroep;
      else delete c.leeftijdsgroep;
      if (c.signalen) c.signalen = c.signalen.filter((s) => this.deps.policy.signalen.some((x) => x.code === s && x.doelgroepen.includes(a.doelgroep)));
    }
    const employeeRouteApplies = (c.sector === 'onderwijs' || c.sector === 'kinderopvang') && c.doelgroep === 'kind';
    if (employeeRouteApplies && c.plegerIsMedewerker === undefined) return this.ask(step, 'medewerker');
    return step.next(null);
  }

  private async afterMedewerker(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.caseOf(step);
    const a = step.result as YesNo | null;
    if (a === 'ja') c.plegerIsMedewerker = true;
    else if (a === 'nee') c.plegerIsMedewerker = false;
    if (c.plegerIsMedewerker === true && (c.sector === 'onderwijs' || c.sector === 'kinderopvang')) {
      return step.next({ skipToAdvice: true });
    }
    return this.ask(step, 'signalen');
  }

  private async afterSignalen(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.caseOf(step);
    const r = step.result as (SignalenAnswer & { skipToAdvice?: never }) | { skipToAdvice: true };
    if ('skipToAdvice' in r && r.skipToAdvice) return step.next(r);
    const s = r as SignalenAnswer;
    c.signalen = s.signalen;
    c.vormen = s.vormen;
    c.disclosure = s.disclosure;
    if (s.toelichting) {
      // Show the professional the anonymised version before anything is stored.
      const note = anonymise(s.toelichting).text;
      V(step).noteDraft = note;
      return this.ask(step, 'notitie', { note });
    }
    return step.next(null);
  }

  private async afterNotitie(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const r = step.result as YesNo | { skipToAdvice: true } | null;
    if (r && typeof r === 'object' && r.skipToAdvice) return step.next(r);
    if (r === 'ja') V(step).note = V(step).noteDraft;
    delete V(step).noteDraft;
    // Teams keeps chat history: replace the confirmation card (which quoted the note) by a neutral line.
    const cardId = step.context.activity.replyToId;
    if (cardId && (r === 'ja' || r === 'nee')) {
      const text = t(languageOf(step.context), r === 'ja' ? 'notitie.kept' : 'notitie.dropped');
      await step.context.updateActivity({ id: cardId, type: 'message', text, attachments: [] }).catch(() => undefined);
    }
    return this.ask(step, 'stappen');
  }

  private async afterStappen(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.caseOf(step);
    const r = step.result as Array<1 | 2 | 3 | 4 | 5> | { skipToAdvice: true };
    if (!Array.isArray(r)) return step.next(null);
    c.stappenGedaan = r;
    const preview = advise(c, this.deps.policy);
    const directRoute = ['112', 'meldplicht-medewerker', 'veilig-thuis-direct'].includes(preview.actie) || c.disclosure === true;
    const stepsOneToThreeDone = [1, 2, 3].every((s) => r.includes(s as 1));
    if (!directRoute && stepsOneToThreeDone) {
      const intro = [this.takeLead(step), t(languageOf(step.context), 'afweging.intro')].filter(Boolean).join('\n\n');
      return step.beginDialog(AFWEGING, { runId: V(step).runId, case: c, intro });
    }
    return step.next(null);
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const lang = languageOf(step.context);
    const c = step.result && typeof step.result === 'object' && 'afweging' in (step.result as object) ? (step.result as CaseInput) : this.caseOf(step);
    const advice = advise(c, this.deps.policy, lang);
    const saved = await this.save(step.context, c, advice, (V(step).note as string | undefined) ?? null, V(step).runId as string);
    const card = adviceCard(advice, this.deps.policy, lang, saved?.nummer ?? null, Boolean(this.deps.overlegEnabled && this.deps.sink), c.sector);
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    const lead = this.takeLead(step);
    if (lead) activity.text = lead;
    await step.context.sendActivity(activity);
    return step.endDialog({ case: c, advice, nummer: saved?.nummer ?? null });
  }

  /** Stores the consultation once per dialog run: a redelivered turn gets the same consultation back. */
  private async save(context: TurnContext, c: CaseInput, advice: Advice, note: string | null, runId: string): Promise<{ nummer: string } | null> {
    if (!this.deps.sink) return null;
    try {
      return await this.deps.sink.save({ case: c, advice, requesterId: userIdOf(context), note, clientRef: runId });
    } catch (err) {
      this.deps.logger?.warn('consultation.save_failed', { error: (err as Error).name });
      await context.sendActivity(t(languageOf(context), 'saved.failed'));
      return null;
    }
  }

  // Afweging loop: one afwegingsvraag per turn, following the chain, until a conclusion or "weet ik niet".
  private async askAfweging(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = step.options as { runId: string; case: CaseInput; intro?: string };
    const key = nextAfwegingsvraag(o.case);
    if (!key) return step.endDialog(o.case);
    V(step).key = key;
    return step.beginDialog(QUESTION_DIALOG, { question: 'afweging', runId: o.runId, case: o.case, afwegingKey: key, ...(o.intro ? { intro: o.intro } : {}) } satisfies QuestionOptions);
  }

  private async afterAfweging(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = step.options as { runId: string; case: CaseInput };
    const key = V(step).key as keyof NonNullable<CaseInput['afweging']>;
    const answer = step.result as YesNo;
    const next: CaseInput = { ...o.case, afweging: { ...(o.case.afweging ?? {}), [key]: answer === 'weetniet' ? null : answer === 'ja' } };
    if (answer === 'weetniet') return step.endDialog(next);
    return step.replaceDialog(AFWEGING, { runId: o.runId, case: next });
  }
}
