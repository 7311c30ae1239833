/**
 * MeldwijzerBot: the thin botbuilder layer. Routes a turn to the consultation dialog, handles
 * stop / opnieuw / help at every point, stale card clicks, and card actions after a dialog ended.
 * Logs never contain message text.
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
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import { understand, type NluResult } from '../meldcode/nlu';
import type { Policy } from '../policy';
import type { ConversationRefStore } from '../consultations/ports';
import type { Logger } from '../records/logger';
import { silentLogger } from '../records/logger';
import { questionCard } from '../../cards/render';
import { CONSULTATION_DIALOG, ConsultationDialog, type ConsultationSink } from '../../dialogs/consultationDialog';
import { userIdOf } from '../identity';
import { languageOf, t } from './texts';

export const MAX_TEXT_LENGTH = 4000;
/** turnState key under which botbuilder-dialogs' DialogStateManager looks for its configuration. */
const DIALOG_STATE_CONFIG = 'DialogStateManagerConfiguration';

/** Optional features that plug into the bot (consultation requests, coordinator list). */
export interface BotFeature {
  /** Dialogs the feature runs. */
  dialogs?: Dialog[];
  /** Handles an intent or an advice-card action; returns true when it handled the turn. */
  onIntent?(intent: NluResult['intent'] | `card:${string}`, context: TurnContext, start: (dialogId: string, options?: object) => Promise<void>, value?: Record<string, unknown>): Promise<boolean>;
  /** Handles an Action.Execute (adaptiveCard/action) invoke; undefined when not its verb. */
  onCardAction?(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse | undefined>;
}

export interface BotDeps {
  policy: Policy;
  /** All per-turn state lives in the conversation state: one storage read and at most one write per turn. */
  conversationState: ConversationState;
  sink?: ConsultationSink;
  refs?: ConversationRefStore;
  features?: BotFeature[];
  logger?: Logger;
}

export class MeldwijzerBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  /** Users of this conversation whose conversation reference is stored already. */
  private readonly refSaved: StatePropertyAccessor<string[]>;
  private readonly dialogs: DialogSet;
  private readonly logger: Logger;
  private dialogStateConfig: unknown;

  constructor(private readonly deps: BotDeps) {
    super();
    this.logger = deps.logger ?? silentLogger;
    this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
    this.refSaved = deps.conversationState.createProperty<string[]>('refSaved');
    this.dialogs = new DialogSet(this.dialogState);
    const overlegEnabled = (deps.features ?? []).some((f) => f.onIntent);
    this.dialogs.add(new ConsultationDialog({ policy: deps.policy, sink: deps.sink, overlegEnabled, logger: this.logger }));
    for (const f of deps.features ?? []) for (const d of f.dialogs ?? []) this.dialogs.add(d);

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
    // The dialog memory-scope configuration is the same for every turn: build it once (as botbuilder's
    // DialogManager does) instead of once per turn in every DialogStateManager.
    if (this.dialogStateConfig) context.turnState.set(DIALOG_STATE_CONFIG, this.dialogStateConfig);
    await super.run(context);
    this.dialogStateConfig ??= context.turnState.get(DIALOG_STATE_CONFIG);
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
    const nlu: NluResult = value || !text ? { intent: 'unknown', prefill: {}, confidence: 0 } : understand(text, this.deps.policy);
    const dc = await this.dialogs.createContext(context);
    const active = dc.activeDialog !== undefined;
    const start = async (dialogId: string, options?: object) => {
      await dc.cancelAllDialogs();
      await dc.beginDialog(dialogId, options);
    };

    if (nlu.intent === 'stop') {
      if (active) {
        await dc.cancelAllDialogs();
        await context.sendActivity(t(lang, 'stopped'));
      } else await context.sendActivity(t(lang, 'nothing.to.stop'));
      return;
    }
    if (nlu.intent === 'opnieuw' || (active && text.toLowerCase() === 'start')) {
      await dc.cancelAllDialogs();
      await context.sendActivity(t(lang, 'restart'));
      await dc.beginDialog(CONSULTATION_DIALOG, {});
      return;
    }
    if (nlu.intent === 'help') {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(this.helpCard(lang))));
      if (active) await dc.repromptDialog();
      return;
    }
    if (active) {
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await context.sendActivity(t(lang, 'unknown'));
      return;
    }

    // No dialog running.
    if (value) {
      if (value.mw === 'advies' && value.actie === 'opnieuw') {
        await dc.beginDialog(CONSULTATION_DIALOG, {});
        return;
      }
      if (value.mw === 'help' && value.actie === 'start') {
        await dc.beginDialog(CONSULTATION_DIALOG, {});
        return;
      }
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
    if (nlu.intent === 'start') {
      await dc.beginDialog(CONSULTATION_DIALOG, { prefill: nlu.prefill });
      return;
    }
    await context.sendActivity(t(lang, 'unknown'));
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

