/**
 * The shared pending-question machinery of the conversation's flows (consultation, overleg request), without
 * botbuilder-dialogs: the conversation state holds the flow's case, the question on the last card (its marker) and
 * the run id; a turn reads the answer with that question's parser, the flow merges it and decides what comes next.
 *
 * No loop, ever: after a second answer that is not understood the bot says what it expects with one typed example
 * (and, for optional questions, that "overslaan" skips); a card from another question or an earlier run is stale
 * and never applied.
 */
import { randomUUID } from 'node:crypto';
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { CaseInput, Language } from '../src/meldcode/types';
import { t } from '../src/texts';
import { isSkip, parseAnswer, type Question, type QuestionContext } from './questions';

/** A running flow, as stored in the conversation state (plain JSON). */
export interface FlowState {
  flow: string;
  runId: string;
  /** Marker of the question on the last card ('acuut', 'afweging:vermoeden', 'urgentie', …). */
  pending: string;
  /** Answers not understood in a row for the pending question. */
  retries: number;
  case: CaseInput;
  /** Questions answered or skipped in this run: never asked again (unless the professional changes an answer). */
  answered: string[];
  /** Flow-specific values (note draft, urgency, consultation number, …). */
  data: Record<string, unknown>;
}

/** Everything the bot keeps per conversation (one state property: one read, at most one write per turn). */
export interface ConversationData {
  flow?: FlowState;
  /** When the acute question was last answered in this conversation (ms). */
  acuteAskedAt?: number;
  /** After a danger message in an idle conversation: what the message told us (structured only), for "verder". */
  resume?: { prefill: Partial<CaseInput> };
}

/** The acute question counts as asked in this conversation for this long. */
export const ACUTE_VALID_MS = 60 * 60 * 1000;
export function acuteAskedRecently(conv: ConversationData, now = Date.now()): boolean {
  return conv.acuteAskedAt !== undefined && now - conv.acuteAskedAt < ACUTE_VALID_MS;
}

export interface FlowTurn {
  context: TurnContext;
  lang: Language;
  conv: ConversationData;
}

export interface Flow<O = object> {
  readonly id: string;
  begin(turn: FlowTurn, options?: O): Promise<void>;
  /** The activity of this turn answers the pending question (typed text or a card submit). */
  continue(turn: FlowTurn): Promise<void>;
  /** Shows the pending question again (after help or a danger message), optionally with a lead text. */
  reprompt(turn: FlowTurn, lead?: string): Promise<void>;
  /** "wijzig <veld>": forget that answer and ask it again; false when this flow has no such field. */
  change?(turn: FlowTurn, field: string): Promise<boolean>;
}

export function newFlowState(flow: string, c: CaseInput, data: Record<string, unknown> = {}): FlowState {
  return { flow, runId: randomUUID(), pending: '', retries: 0, case: c, answered: [], data };
}

/** After this many answers not understood in a row: the expected answer with a typed example. */
export const EXAMPLE_AFTER = 2;

export async function sendQuestion(context: TurnContext, question: Question<unknown>, ctx: QuestionContext, text?: string): Promise<void> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(question.card(ctx)));
  if (text) activity.text = text;
  await context.sendActivity(activity);
}

export type Answer<T> = { skipped: true } | { skipped: false; value: T };

/**
 * Reads the pending question's answer from this turn. Returns null when there is none (stale card, not understood):
 * then the card has been sent again with a message saying why.
 */
export async function readAnswer<T>(turn: FlowTurn, state: FlowState, question: Question<T>, ctx: QuestionContext): Promise<Answer<T> | null> {
  const activity = turn.context.activity;
  const typed = activity.value === undefined || activity.value === null ? (activity.text ?? '').trim() : '';
  if (typed && question.skippable && isSkip(typed)) {
    state.retries = 0;
    return { skipped: true };
  }
  const result = parseAnswer(question, activity, ctx);
  if (result.ok) {
    state.retries = 0;
    return { skipped: false, value: result.value };
  }
  if (result.reason === 'stale') {
    await sendQuestion(turn.context, question as Question<unknown>, ctx, t(turn.lang, 'stale.card'));
    return null;
  }
  state.retries += 1;
  const parts = [t(turn.lang, result.message)];
  if (state.retries >= EXAMPLE_AFTER) {
    parts.push(t(turn.lang, question.example));
    if (question.skippable) parts.push(t(turn.lang, 'reprompt.skip'));
    parts.push(t(turn.lang, 'reprompt.hint'));
  }
  await sendQuestion(turn.context, question as Question<unknown>, ctx, parts.join(' '));
  return null;
}

export function markAnswered(state: FlowState, id: string): void {
  if (!state.answered.includes(id)) state.answered.push(id);
}
