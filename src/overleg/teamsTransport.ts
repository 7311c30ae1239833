/**
 * NotificationTransport on the Bot Framework: proactive 1:1 messages with
 * `adapter.continueConversationAsync(appId, storedReference, logic)` (POST /v3/conversations/{id}/activities)
 * and new channel posts with `adapter.createConversationAsync` (POST /v3/conversations, Teams channelData).
 * Errors are classified (403/404 → gone, 429/412/502/504 → transient) and transient ones retried with backoff
 * that honours Retry-After (on top of the connector client's own retries for 429/5xx).
 * Host-neutral: both hosts' adapters fit ProactiveAdapter.
 */
import { languageForLocale } from '../texts';
import { cardMessage, textMessage, type ConversationRef, type OutgoingActivity, type TurnPort } from '../turn/port';

type Activity = OutgoingActivity;
type ConversationReference = ConversationRef;
/** Bot Framework ConversationParameters (POST /v3/conversations), the fields sent here. */
export interface ConversationParams {
  isGroup: boolean;
  bot: { id: string; name?: string };
  channelData: unknown;
  activity?: unknown;
  tenantId?: string;
}
/** The turn a proactive logic sees: the neutral port, plus (botbuilder) the adapter's connector client in turnState. */
type TurnContext = TurnPort & { turnState?: { get(key: unknown): unknown }; adapter?: unknown };
import type { ConversationRefStore } from '../consultation/ports';
import type { Language } from '../meldcode/types';
import type { Logger } from '../records/logger';
import { classifyError, type Delivery, type NotificationTransport, type OutgoingMessage } from './transport';

/** The part of a host's CloudAdapter this transport uses (botbuilder's as it is; the Agents SDK's via src/agents/proactive.ts). */
export interface ProactiveAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
  createConversationAsync(
    botAppId: string,
    channelId: string,
    serviceUrl: string,
    audience: string,
    conversationParameters: ConversationParams,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
}

export interface TeamsTransportOptions {
  adapter: ProactiveAdapter;
  /** Microsoft App Id of the bot ('' in local development). */
  appId: string;
  refs: ConversationRefStore;
  /** Service URL for channel posts when no stored reference gives one (e.g. https://smba.trafficmanager.net/emea/). */
  serviceUrl?: string;
  logger?: Logger;
}

export function languageOfLocale(locale: unknown): Language {
  return languageForLocale(locale);
}

export function toActivity(m: OutgoingMessage): Partial<Activity> {
  return m.card ? cardMessage(m.card, m.text) : textMessage(m.text ?? '');
}

interface ConnectorLike {
  conversations: { sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }> };
}

export function createTeamsTransport(o: TeamsTransportOptions): NotificationTransport {
  // One try per call: the connector client retries throttling and gateway errors itself, and the notification outbox
  // is the retry layer above it (stored attempts, backoff with jitter, Retry-After). A loop here multiplied the HTTP
  // calls per attempt (3 × 4 = 12 for a Teams outage).

  async function sendOnce(ref: ConversationReference, activity: Partial<Activity>): Promise<Delivery> {
    let id: string | undefined;
    // The adapter's onTurnError would swallow an error thrown inside the logic: keep it and rethrow here.
    let sendError: unknown;
    try {
      await o.adapter.continueConversationAsync(o.appId, ref, async (context) => {
        try {
          // Post to the conversation itself (not as a reply to the synthetic continuation activity).
          const key = (context.adapter as { ConnectorClientKey?: symbol } | undefined)?.ConnectorClientKey;
          const client = key ? (context.turnState?.get(key) as ConnectorLike | undefined) : undefined;
          const outgoing: Partial<Activity> = {
            ...activity,
            channelId: ref.channelId,
            serviceUrl: ref.serviceUrl,
            conversation: ref.conversation,
            from: ref.bot,
            recipient: ref.user,
          };
          if (client) {
            const res = await client.conversations.sendToConversation(ref.conversation.id, outgoing);
            id = res?.id;
          } else {
            const res = await context.sendActivity(activity);
            id = res?.id;
          }
        } catch (err) {
          sendError = err ?? new Error('send failed');
        }
      });
      if (sendError !== undefined) return classifyError(sendError);
      return { ok: true, activityId: id, conversationId: ref.conversation.id };
    } catch (err) {
      return classifyError(err);
    }
  }

  async function refOf(userId: string): Promise<ConversationReference | null> {
    const raw = await o.refs.get(userId);
    const ref = raw as unknown as ConversationReference | null;
    if (!ref || !ref.serviceUrl || !ref.conversation?.id) return null;
    return ref;
  }

  return {
    async sendToUser(userId, build) {
      let ref: ConversationReference | null;
      try {
        ref = await refOf(userId);
      } catch (err) {
        return { ok: false, kind: 'transient', reason: `reference lookup: ${(err as Error)?.name ?? 'Error'}` };
      }
      if (!ref) return { ok: false, kind: 'gone', reason: 'no conversation reference' };
      const activity = toActivity(build(languageOfLocale(ref.locale)));
      return sendOnce(ref, activity);
    },

    async postToChannel(channelId, build, via) {
      let known: ConversationReference | null = null;
      for (const u of via) {
        known = await refOf(u).catch(() => null);
        if (known) break;
      }
      const serviceUrl = known?.serviceUrl ?? o.serviceUrl;
      if (!serviceUrl) return { ok: false, kind: 'gone', reason: 'no service url for the channel' };
      const tenantId = known?.conversation?.tenantId;
      const activity = toActivity(build('nl'));
      const params: Record<string, unknown> = {
        isGroup: true,
        channelData: { channel: { id: channelId }, ...(tenantId ? { tenant: { id: tenantId } } : {}) },
        activity,
        ...(tenantId ? { tenantId } : {}),
        ...(known?.bot ? { bot: known.bot } : {}),
      };
      let conversationId: string | undefined;
      try {
        await o.adapter.createConversationAsync(o.appId, 'msteams', serviceUrl, undefined as unknown as string, params as unknown as ConversationParams, async (context) => {
          conversationId = context.activity.conversation?.id;
        });
        if (!conversationId) return { ok: false, kind: 'transient', reason: 'channel post not confirmed' };
        return { ok: true, conversationId };
      } catch (err) {
        return classifyError(err);
      }
    },
  };
}
