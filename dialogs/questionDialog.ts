/**
 * Asks one question (see questions.ts) with an Adaptive Card and waits for a valid answer. Typed text
 * works too. Invalid input or a stale card click gets a friendly message and the card again; it never
 * throws at the user.
 */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { AfwegingKey, CaseInput } from '../src/meldcode/types';
import type { Policy } from '../src/policy';
import { languageOf, t } from '../src/bot/texts';
import { parseAnswer, QUESTIONS, type Question, type QuestionContext } from './questions';

export const QUESTION_DIALOG = 'mw.question';

export interface QuestionOptions {
  /** Key in the dialog's question registry. */
  question: string;
  runId: string;
  case: CaseInput;
  afwegingKey?: AfwegingKey;
  note?: string;
  /** Text sent with the first showing of the card, in the same message (e.g. the privacy warning). */
  intro?: string;
}

interface QuestionState extends QuestionOptions {
  retries: number;
}

const STATE = 'mw.question.state';
/** After this many unusable answers in a row, also point at "stop" and "help". */
const HINT_AFTER = 2;

export class QuestionDialog extends Dialog<QuestionOptions> {
  /** `questions`: the registry this dialog asks from (the consultation's by default; the overleg dialog has its own). */
  constructor(
    private readonly policy: Policy,
    private readonly questions: Record<string, Question<unknown>> = QUESTIONS,
    dialogId: string = QUESTION_DIALOG,
  ) {
    super(dialogId);
  }

  private ctx(context: TurnContext, s: QuestionOptions): QuestionContext {
    return { policy: this.policy, lang: languageOf(context), runId: s.runId, case: s.case, afwegingKey: s.afwegingKey, note: s.note };
  }

  private async sendCard(context: TurnContext, s: QuestionOptions, text?: string): Promise<void> {
    const card = this.questions[s.question]!.card(this.ctx(context, s));
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    if (text) activity.text = text;
    await context.sendActivity(activity);
  }

  override async beginDialog(dc: DialogContext, options?: QuestionOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('QuestionDialog needs options');
    const { intro, ...rest } = options;
    const state: QuestionState = { ...rest, retries: 0 };
    dc.activeDialog!.state[STATE] = state;
    await this.sendCard(dc.context, state, intro);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state[STATE] as QuestionState;
    const activity = dc.context.activity;
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    const result = parseAnswer(this.questions[state.question]!, activity, this.ctx(dc.context, state));
    if (result.ok) return dc.endDialog(result.value);
    state.retries += 1;
    const lang = languageOf(dc.context);
    let text = t(lang, result.message);
    if (state.retries >= HINT_AFTER && result.reason === 'invalid') text += ` ${t(lang, 'reprompt.hint')}`;
    await this.sendCard(dc.context, state, text);
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: { state: Record<string, unknown> }): Promise<void> {
    await this.sendCard(context, instance.state[STATE] as QuestionState);
  }
}
