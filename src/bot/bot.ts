/**
 * MeldwijzerBot: the thin botbuilder layer. A turn: read the conversation state → `detectDanger` on every typed
 * message (112 / Veilig Thuis at once, before anything else, with a way to continue) → stop / opnieuw / help /
 * wijzig → the running flow (consultation or overleg request: dialogs/) → save. Stale card clicks and card actions
 * after a flow ended are answered politely. Logs never contain message text.
 */
import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationState,
  type StatePropertyAccessor,
} from 'botbuilder';
import { normalise, understand, type NluResult } from '../meldcode/nlu';
import { detectDanger } from '../meldcode/danger';
import type { Policy } from '../meldcode/policy';
import type { ConversationRefStore } from '../consultation/ports';
import type { Logger } from '../records/logger';
import { silentLogger } from '../records/logger';
import { questionCard } from '../../cards/render';
import { CONSULTATION_FLOW, createConsultationFlow, type ConsultationSink } from '../consultation/dialog';
import type { ConversationData, Flow, FlowTurn } from '../../dialogs/flow';
import type { BotFeature } from '../../dialogs/feature';
import { userIdOf } from '../identity';
import { languageOf, t } from '../texts';

export const MAX_TEXT_LENGTH = 4000;

/** Optional features that plug into the bot (consultation requests, coordinator list). */
export type { BotFeature } from '../../dialogs/feature';

export interface BotDeps {
  policy: Policy;
  /** All per-turn state lives in the conversation state: one storage read and at most one write per turn. */
  conversationState: ConversationState;
  sink?: ConsultationSink;
  refs?: ConversationRefStore;
  features?: BotFeature[];
  logger?: Logger;
}

const CONTINUE = ['verder', 'ga verder', 'doorgaan', 'continue', 'verder gaan'];
const CHANGE = /^(?:wijzig|wijzigen|verander|aanpassen|pas aan|change)\s+(?:de\s+|het\s+)?([a-z]+)\s*$/;

export class MeldwijzerBot extends TeamsActivityHandler {
  private readonly convData: StatePropertyAccessor<ConversationData>;
  /** Users of this conversation whose conversation reference is stored already. */
  private readonly refSaved: StatePropertyAccessor<string[]>;
  private readonly flows = new Map<string, Flow>();
  private readonly logger: Logger;

  constructor(private readonly deps: BotDeps) {
    super();
    this.logger = deps.logger ?? silentLogger;
    this.convData = deps.conversationState.createProperty<ConversationData>('mw');
    this.refSaved = deps.conversationState.createProperty<string[]>('refSaved');
    const overlegEnabled = (deps.features ?? []).some((f) => f.onIntent);
    const consultation = createConsultationFlow({ policy: deps.policy, sink: deps.sink, overlegEnabled, logger: this.logger });
    this.flows.set(consultation.id, consultation);
    for (const f of deps.features ?? []) for (const flow of f.flows ?? []) this.flows.set(flow.id, flow);

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== botId) {
          await this.rememberConversation(context);
          await context.sendActivity(t(languageOf(context), 'welcome'));
        }
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.rememberConversation(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
  }

  /** Stores the conversation reference once per user and conversation, for proactive messages. */
  private async rememberConversation(context: TurnContext): Promise<void> {
    if (!this.deps.refs) return;
    const userId = userIdOf(context);
    const saved = (await this.refSaved.get(context)) ?? [];
    if (saved.includes(userId)) return;
    try {
      const ref = TurnContext.getConversationReference(context.activity);
      await this.deps.refs.save(userId, ref as unknown as Record<string, unknown>);
      // Bounded: a big group chat should not grow the state without limit.
      await this.refSaved.set(context, [...saved.slice(-49), userId]);
    } catch (err) {
      this.logger.warn('conversation_ref.save_failed', { error: (err as Error).name });
    }
  }

  /** The 112 / Veilig Thuis message, at once; "Verder" (typed or the button) goes on where the professional was. */
  private async sendDanger(turn: FlowTurn): Promise<void> {
    const card = questionCard({
      title: t(turn.lang, 'danger.now'),
      hint: t(turn.lang, 'danger.continue'),
      buttons: [{ title: t(turn.lang, 'danger.continue.button'), data: { mw: 'danger', actie: 'verder' } }],
    });
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    activity.text = t(turn.lang, 'danger.now');
    await turn.context.sendActivity(activity);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const lang = languageOf(context);
    await this.rememberConversation(context);
    const activity = context.activity;
    const rawText = typeof activity.text === 'string' ? TurnContext.removeRecipientMention(activity) ?? activity.text : '';
    const text = (rawText ?? '').trim();
    const value = activity.value !== null && typeof activity.value === 'object' && !Array.isArray(activity.value) ? (activity.value as Record<string, unknown>) : undefined;

    if (text.length > MAX_TEXT_LENGTH) {
      await context.sendActivity(t(lang, 'too.long'));
      return;
    }
    if (!text && activity.value === undefined && !activity.attachments?.length) {
      await context.sendActivity(t(lang, 'unknown'));
      return;
    }
    // Only typed text is used for the intent; card submits are answers.
    activity.text = text;
    const conv = await this.convData.get(context, {});
    const turn: FlowTurn = { context, lang, conv };
    const running = conv.flow ? this.flows.get(conv.flow.flow) : undefined;
    if (conv.flow && !running) conv.flow = undefined;
    const active = running !== undefined;

    // 1. Danger now, in words, at any point: before anything else.
    if (text && activity.value === undefined && detectDanger(text).level === 'now') {
      if (active && conv.flow!.pending === 'acuut') {
        // At the acute question a danger description is a "yes".
        activity.text = 'ja';
        await running.continue(turn);
        return;
      }
      if (active && conv.flow!.data.paused === true) {
        // Danger again right after the danger message: say it again, then take the text as the answer, so that a
        // professional describing what they see is never stuck between the message and the same question.
        delete conv.flow!.data.paused;
        await context.sendActivity(t(lang, 'danger.now'));
        await running.continue(turn);
        return;
      }
      if (!active) conv.resume = { prefill: understand(text, this.deps.policy).prefill };
      else conv.flow!.data.paused = true;
      await this.sendDanger(turn);
      return;
    }
    const n = text ? normalise(text).trim() : '';
    // "verder" after a danger message (typed or the button); elsewhere "verder" may be an answer ("overslaan").
    const paused = active ? conv.flow!.data.paused === true : conv.resume !== undefined;
    const wantsContinue = (value?.mw === 'danger' && value.actie === 'verder') || (!value && paused && CONTINUE.includes(n));
    if (wantsContinue) {
      if (active) {
        delete conv.flow!.data.paused;
        return running.reprompt(turn);
      }
      if (conv.resume) {
        const prefill = conv.resume.prefill;
        conv.resume = undefined;
        return this.start(turn, CONSULTATION_FLOW, { prefill });
      }
      if (value) return void (await context.sendActivity(t(lang, 'stale.card.idle')));
    }

    const nlu: NluResult = value || !text ? { intent: 'unknown', prefill: {}, confidence: 0 } : understand(text, this.deps.policy);
    const start = (flowId: string, options?: object) => this.start(turn, flowId, options);

    // 2. stop / opnieuw / help / wijzig.
    if (nlu.intent === 'stop') {
      if (active) {
        conv.flow = undefined;
        await context.sendActivity(t(lang, 'stopped'));
      } else await context.sendActivity(t(lang, 'nothing.to.stop'));
      return;
    }
    if (nlu.intent === 'opnieuw' || (active && n === 'start')) {
      // "We beginnen opnieuw" only when something was running.
      if (active) await context.sendActivity(t(lang, 'restart'));
      conv.flow = undefined;
      await start(CONSULTATION_FLOW, {});
      return;
    }
    if (nlu.intent === 'help') {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(this.helpCard(lang))));
      if (active) await running.reprompt(turn);
      return;
    }
    const change = !value && running?.change ? CHANGE.exec(n) : null;
    if (change && running?.change) {
      if (!(await running.change(turn, change[1]!))) await context.sendActivity(t(lang, 'change.unknown'));
      return;
    }

    // 3. The running flow.
    if (active) {
      await running.continue(turn);
      return;
    }

    // No flow running.
    if (value) {
      if (value.mw === 'advies' && value.actie === 'opnieuw') return start(CONSULTATION_FLOW, {});
      if (value.mw === 'help' && value.actie === 'start') return start(CONSULTATION_FLOW, {});
      if (typeof value.mw === 'string' && typeof value.actie === 'string') {
        for (const f of this.deps.features ?? []) {
          if (f.onIntent && (await f.onIntent(`card:${value.mw}.${value.actie}`, context, start, value))) return;
        }
        await context.sendActivity(t(lang, 'action.unknown'));
        return;
      }
      await context.sendActivity(t(lang, typeof value.mw === 'string' ? 'stale.card.idle' : 'unknown'));
      return;
    }
    for (const f of this.deps.features ?? []) {
      if (f.onIntent && nlu.intent !== 'start' && nlu.intent !== 'unknown' && (await f.onIntent(nlu.intent, context, start))) return;
    }
    if (nlu.intent === 'overleg' || nlu.intent === 'open-consultaties') {
      await context.sendActivity(t(lang, 'feature.unavailable'));
      return;
    }
    if (nlu.intent === 'start') return start(CONSULTATION_FLOW, { prefill: nlu.prefill });
    await context.sendActivity(t(lang, 'unknown'));
  }

  private async start(turn: FlowTurn, flowId: string, options?: object): Promise<void> {
    const flow = this.flows.get(flowId);
    if (!flow) throw new Error(`unknown flow ${flowId}`);
    turn.conv.flow = undefined;
    turn.conv.resume = undefined;
    await flow.begin(turn, options);
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    for (const f of this.deps.features ?? []) {
      if (!f.onCardAction) continue;
      const r = await f.onCardAction(context, invokeValue);
      if (r) return r;
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: t(languageOf(context), 'action.unknown') as unknown as Record<string, unknown> };
  }

  private helpCard(lang: 'nl' | 'en') {
    return questionCard({
      title: t(lang, 'help.title'),
      hint: t(lang, 'help.body'),
      buttons: [{ title: t(lang, 'help.start'), style: 'positive', data: { mw: 'help', actie: 'start' } }],
    });
  }
}

