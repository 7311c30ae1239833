/**
 * The host-neutral route table. Features register what they answer — typed messages matched before the bot's own
 * understanding, card-submit verbs (`{mw, actie}`), Action.Execute verbs, flows, install events — and both hosts
 * (src/bot: botbuilder, src/agents: Microsoft 365 Agents SDK) map the table onto their SDK. No SDK import.
 */
import type { CardActionResponse, CardActionValue, TurnPort } from './port';

/** The conversation bag: the one state object per conversation, loaded and saved by the host (1 read, ≤1 write). */
export type ConversationBag = Record<string, unknown>;

export interface MessageRoute {
  /** Tested on the typed text (mention removed, trimmed) of a message without card value. */
  match: RegExp;
  handle(turn: TurnPort, match: RegExpExecArray): Promise<void>;
}
export interface ExecuteRoute {
  verb: string;
  handle(turn: TurnPort, value: CardActionValue): Promise<CardActionResponse>;
}

export class RouteTable {
  readonly messages: MessageRoute[] = [];
  readonly executes: ExecuteRoute[] = [];

  /** A typed message this feature answers before the bot's understanding (e.g. "intrekken MW-…"). */
  message(match: RegExp, handle: MessageRoute['handle']): this {
    this.messages.push({ match, handle });
    return this;
  }

  /** An Action.Execute verb: the handler's card replaces the clicked card (or a message is shown). */
  execute(verb: string, handle: ExecuteRoute['handle']): this {
    this.executes.push({ verb, handle });
    return this;
  }

  matchMessage(text: string): { route: MessageRoute; match: RegExpExecArray } | undefined {
    for (const route of this.messages) {
      const match = route.match.exec(text);
      if (match) return { route, match };
    }
    return undefined;
  }

  executeRoute(verb: string | undefined): ExecuteRoute | undefined {
    return this.executes.find((r) => r.verb === verb);
  }
}

/** What a host calls: the bot's neutral turn logic over the route table. */
export interface BotCore {
  readonly routes: RouteTable;
  /** A message (typed or card submit) that no message route took. */
  message(turn: TurnPort, bag: ConversationBag): Promise<void>;
  /** Someone other than the bot joined (welcome) — membersAdded. */
  membersAdded(turn: TurnPort, bag: ConversationBag): Promise<void>;
  /** The app was installed (installationUpdate add): remember the conversation for proactive messages. */
  installed(turn: TurnPort, bag: ConversationBag): Promise<void>;
  /** An Action.Execute with a verb no feature registered. */
  unknownExecute(turn: TurnPort): Promise<CardActionResponse>;
}

/** The key of the conversation bag: the same as botbuilder's ConversationState, so both hosts share the rows. */
export function conversationKey(a: { channelId: string; conversation: { id: string } }): string {
  return `${a.channelId}/conversations/${a.conversation.id}/`;
}

/** The text message routes are tested on: @mentions (`<at>…</at>`) removed, trimmed. */
export function routeText(text: string): string {
  return text.replace(/<at>.*?<\/at>/g, '').trim();
}
