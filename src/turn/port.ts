/**
 * The host-neutral turn contract. Features and flows see a turn through `TurnPort`, which the TurnContext of both
 * hosts (botbuilder and the Microsoft 365 Agents SDK) satisfies as it is: the activity, sendActivity and
 * updateActivity. Activities are plain JSON (Bot Framework schema); cards are Adaptive Card JSON. No SDK import.
 */

export interface ChannelAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
}

/** The parts of an inbound activity Meldwijzer reads. */
export interface ActivityLike {
  type: string;
  id?: string;
  text?: string;
  value?: unknown;
  locale?: string;
  channelId: string;
  serviceUrl: string;
  replyToId?: string;
  from: ChannelAccount;
  recipient: ChannelAccount;
  conversation: { id: string; tenantId?: string; conversationType?: string };
  attachments?: Array<{ contentType: string; content?: unknown }>;
  entities?: Array<{ type: string; [k: string]: unknown }>;
  membersAdded?: ChannelAccount[];
  action?: string;
  channelData?: unknown;
  name?: string;
}

/** An outgoing activity: plain JSON. */
export interface OutgoingActivity {
  type?: string;
  id?: string;
  text?: string;
  attachments?: Array<{ contentType: string; content?: unknown }>;
  [k: string]: unknown;
}

export interface TurnPort {
  readonly activity: ActivityLike;
  sendActivity(activity: string | OutgoingActivity): Promise<{ id?: string } | undefined>;
  updateActivity(activity: OutgoingActivity): Promise<unknown>;
}

/** Action.Execute invoke value (`adaptiveCard/action`). */
export interface CardActionValue {
  action: { type?: string; verb: string; data?: Record<string, unknown> };
  [k: string]: unknown;
}

/** The invoke response of an Action.Execute: a refreshed card, or a message. */
export type CardActionResponse =
  | { statusCode: 200; type: 'application/vnd.microsoft.card.adaptive'; value: Record<string, unknown> }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string };

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** A message with one Adaptive Card (and optionally a text, shown in notifications and by clients without cards). */
export function cardMessage(card: object, text?: string): OutgoingActivity {
  const a: OutgoingActivity = { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD, content: card }] };
  if (text) a.text = text;
  return a;
}

export function textMessage(text: string): OutgoingActivity {
  return { type: 'message', text };
}

export function messageResponse(text: string): CardActionResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text };
}

/** The stored conversation reference (for proactive messages): both hosts' spellings of the bot account. */
export interface ConversationRef {
  channelId: string;
  serviceUrl: string;
  conversation: { id: string; tenantId?: string };
  user?: ChannelAccount;
  /** botbuilder's name for the bot account. */
  bot?: ChannelAccount;
  /** The Agents SDK's name for the same account. */
  agent?: ChannelAccount;
  locale?: string;
  activityId?: string;
}

/** The reference of this turn, stored with both `bot` and `agent` so either host can continue the conversation. */
export function referenceOf(a: ActivityLike): ConversationRef {
  const ref: ConversationRef = {
    channelId: a.channelId,
    serviceUrl: a.serviceUrl,
    conversation: a.conversation,
    user: a.from,
    bot: a.recipient,
    agent: a.recipient,
    activityId: a.id,
  };
  if (a.locale) ref.locale = a.locale;
  return ref;
}

/** Text without the bot's own @mention (Teams channels and group chats put `<at>Bot</at>` in front). */
export function textWithoutMention(a: ActivityLike): string {
  let text = typeof a.text === 'string' ? a.text : '';
  for (const e of a.entities ?? []) {
    const m = e as { type: string; mentioned?: { id?: string }; text?: string };
    if (m.type === 'mention' && m.mentioned?.id === a.recipient?.id && typeof m.text === 'string') text = text.split(m.text).join('');
  }
  return text;
}
