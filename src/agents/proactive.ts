/**
 * The proactive-send port (overleg/teamsTransport's ProactiveAdapter) on the Agents SDK CloudAdapter.
 * Differences handled here: the Agents SDK names the bot account `agent` (botbuilder: `bot`; stored references
 * carry both), continues *as a reply to* `reference.activityId` (botbuilder posts to the conversation: the
 * reference's activityId is dropped for the same behaviour), and needs a non-empty app id even without auth.
 */
import type { CloudAdapter, TurnContext } from '@microsoft/agents-hosting';
import type { ConversationReference, ConversationParameters } from '@microsoft/agents-activity';
import type { ConversationRef, TurnPort } from '../turn/port';

/** Any non-empty id: without credentials the SDK sends no token (local development, tests). */
const LOCAL_APP_ID = 'meldwijzer-local';
const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

export interface NeutralProactiveAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationRef>, logic: (context: TurnPort) => Promise<void>): Promise<void>;
  createConversationAsync(botAppId: string, channelId: string, serviceUrl: string, audience: string | undefined, params: { bot?: unknown; agent?: unknown }, logic: (context: TurnPort) => Promise<void>): Promise<void>;
}

export function agentsProactiveAdapter(adapter: CloudAdapter): NeutralProactiveAdapter {
  // Only the neutral port: the transport then sends through the turn (the Agents ConnectorClient in turnState has
  // another API than botbuilder's, which the transport would otherwise use directly).
  const port = (c: TurnContext): TurnPort => ({
    activity: c.activity as unknown as TurnPort['activity'],
    sendActivity: (a) => c.sendActivity(a as never),
    updateActivity: (a) => c.updateActivity(a as never),
  });
  return {
    async continueConversationAsync(appId, reference, logic) {
      const account = reference.agent ?? reference.bot;
      const ref = { ...reference, agent: account, bot: account, activityId: undefined } as unknown as ConversationReference;
      await adapter.continueConversation(appId || LOCAL_APP_ID, ref, (c) => logic(port(c)));
    },
    async createConversationAsync(appId, channelId, serviceUrl, audience, params, logic) {
      const p = { ...params, agent: params.agent ?? params.bot } as unknown as ConversationParameters;
      await adapter.createConversationAsync(appId || LOCAL_APP_ID, channelId, serviceUrl, audience || BOT_FRAMEWORK_AUDIENCE, p, (c) => logic(port(c)));
    },
  };
}
