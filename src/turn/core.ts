/**
 * The bot's turn logic, host-neutral (botbuilder and the Agents SDK call the same functions). A turn: the host loads
 * the conversation bag → `detectDanger` on every typed message (112 / Veilig Thuis at once, before anything else,
 * with a way to continue) → stop / opnieuw / help / wijzig → the running flow (consultation or overleg request) →
 * card submits and intents of the features → the host saves the bag. Typed-message routes and Action.Execute verbs
 * of the features are in the route table, which each host maps onto its SDK. Logs never contain message text.
 */
import { normalise, understand, type NluResult } from '../meldcode/nlu';
import { detectDanger } from '../meldcode/danger';
import { parseAcute } from '../meldcode/answers';
import type { Policy } from '../meldcode/policy';
import type { ConversationRefStore } from '../consultation/ports';
import type { Logger } from '../records/logger';
import { silentLogger } from '../records/logger';
import { questionCard } from '../../cards/render';
import { CONSULTATION_FLOW, createConsultationFlow, type ConsultationSink } from '../consultation/dialog';
import { acuteAskedRecently, type ConversationData, type Flow, type FlowTurn } from '../../dialogs/flow';
import type { BotFeature } from '../../dialogs/feature';
import { userIdOf } from '../identity';
import { languageOf, t } from '../texts';
import { cardMessage, messageResponse, referenceOf, textWithoutMention, type CardActionResponse, type TurnPort } from './port';
import { RouteTable, type BotCore, type ConversationBag } from './routes';

export const MAX_TEXT_LENGTH = 4000;

export interface CoreDeps {
  policy: Policy;
  sink?: ConsultationSink;
  refs?: ConversationRefStore;
  features?: BotFeature[];
  logger?: Logger;
}

const CONTINUE = ['verder', 'ga verder', 'doorgaan', 'continue', 'verder gaan'];
const CHANGE = /^(?:wijzig|wijzigen|verander|aanpassen|pas aan|change)\s+(?:de\s+|het\s+)?([a-z]+)\s*$/;

export class MeldwijzerCore implements BotCore {
  readonly routes = new RouteTable();
  private readonly flows = new Map<string, Flow>();
  private readonly logger: Logger;

  constructor(private readonly deps: CoreDeps) {
    this.logger = deps.logger ?? silentLogger;
    const overlegEnabled = (deps.features ?? []).some((f) => f.onIntent);
    const consultation = createConsultationFlow({ policy: deps.policy, sink: deps.sink, overlegEnabled, logger: this.logger });
    this.flows.set(consultation.id, consultation);
    for (const f of deps.features ?? []) {
      for (const flow of f.flows ?? []) this.flows.set(flow.id, flow);
      f.register?.(this.routes);
    }
  }

  async membersAdded(context: TurnPort, bag: ConversationBag): Promise<void> {
    const botId = context.activity.recipient?.id;
    for (const member of context.activity.membersAdded ?? []) {
      if (member.id !== botId) {
        await this.rememberConversation(context, bag);
        await context.sendActivity(t(languageOf(context), 'welcome'));
      }
    }
  }

  async installed(context: TurnPort, bag: ConversationBag): Promise<void> {
    await this.rememberConversation(context, bag);
  }

  async unknownExecute(context: TurnPort): Promise<CardActionResponse> {
    return messageResponse(t(languageOf(context), 'action.unknown'));
  }


  /** Stores the conversation reference (with both `bot` and `agent`) once per user and conversation, for proactive messages. */
  private async rememberConversation(context: TurnPort, bag: ConversationBag): Promise<void> {
    if (!this.deps.refs) return;
    const userId = userIdOf(context);
    const saved = Array.isArray(bag.refSaved) ? (bag.refSaved as string[]) : [];
    if (saved.includes(userId)) return;
    try {
      const ref = referenceOf(context.activity);
      await this.deps.refs.save(userId, ref as unknown as Record<string, unknown>);
      // Bounded: a big group chat should not grow the state without limit.
      bag.refSaved = [...saved.slice(-49), userId];
    } catch (err) {
      this.logger.warn('conversation_ref.save_failed', { error: (err as Error).name });
    }
  }

  /** The 112 / Veilig Thuis message, at once; "Verder" (typed or the button) goes on where the professional was. */
  private async sendDanger(turn: FlowTurn): Promise<void> {
    // The message is the activity's text (shown once, also in notifications); the card carries only the way on.
    const card = questionCard({
      title: t(turn.lang, 'danger.continue'),
      buttons: [{ title: t(turn.lang, 'danger.continue.button'), data: { mw: 'danger', actie: 'verder' } }],
    });
    await turn.context.sendActivity(cardMessage(card, t(turn.lang, 'danger.now')));
  }

  async message(context: TurnPort, bag: ConversationBag): Promise<void> {
    const lang = languageOf(context);
    await this.rememberConversation(context, bag);
    const activity = context.activity;
    const rawText = textWithoutMention(activity);
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
    const conv = (bag.mw ??= {}) as ConversationData;
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

    // After the danger message with nothing running, any other answer goes on with the consultation too (never
    // "Dat begreep ik niet" right after 112): its first question is the acute one, and "nee" / "weet ik niet" typed
    // here answers it at once.
    if (!active && conv.resume && !value && text && nlu.intent === 'unknown') {
      const prefill = conv.resume.prefill;
      conv.resume = undefined;
      await start(CONSULTATION_FLOW, { prefill });
      const flow = conv.flow ? this.flows.get(conv.flow.flow) : undefined;
      if (flow && conv.flow?.pending === 'acuut' && parseAcute(text)) await flow.continue(turn);
      return;
    }

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
      await context.sendActivity(cardMessage(this.helpCard(lang)));
      if (active) await running.reprompt(turn);
      return;
    }
    const change = !value && running?.change ? CHANGE.exec(n) : null;
    if (change && running?.change) {
      if (!(await running.change(turn, change[1]!))) await context.sendActivity(t(lang, 'change.unknown'));
      return;
    }

    // Commands of the features (typed or a button), at any point: e.g. "mijn consultaties", "verder met MW-XXXX".
    const flowBefore = conv.flow;
    for (const f of this.deps.features ?? []) {
      if (f.onCommand && (await f.onCommand(context, start, { active, acuteKnown: acuteAskedRecently(conv) }))) {
        if (active && conv.flow && conv.flow === flowBefore) await running.reprompt(turn);
        return;
      }
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

  private helpCard(lang: 'nl' | 'en') {
    return questionCard({
      title: t(lang, 'help.title'),
      hint: t(lang, 'help.body'),
      buttons: [{ title: t(lang, 'help.start'), style: 'positive', data: { mw: 'help', actie: 'start' } }],
    });
  }
}

/**
 * A turn that threw, on either host: one log record (never the message text or the error message, which may quote
 * input: the error class and a few stack frames) and, for a message, the friendly error text if the connector takes it.
 */
export async function turnFailed(context: TurnPort, error: Error | undefined, logger: Logger): Promise<void> {
  logger.error('turn.error', {
    error: error?.name ?? 'Error',
    activityType: context.activity?.type,
    channelId: context.activity?.channelId,
    stack: (error?.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()),
  });
  try {
    if (context.activity?.type === 'message') await context.sendActivity(t(languageOf(context), 'error'));
  } catch {
    // The connector itself may be down; nothing more to do for this turn.
  }
}
