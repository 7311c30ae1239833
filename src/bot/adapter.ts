/**
 * CloudAdapter with Bot Framework authentication. With an app id, every inbound activity needs a valid
 * Bot Framework JWT (401 otherwise). Without one (development/test only, see config.ts) it accepts
 * unauthenticated activities, which is what Agents Playground and the tests use.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { BotConfig } from '../config';
import type { Logger } from '../records/logger';
import { languageOf, t } from './texts';

export function createAdapter(config: Pick<BotConfig, 'appId' | 'appPassword' | 'appType' | 'tenantId'>, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // Never log the message text or the error message (it may quote input); the error class and stack frames only.
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
  };
  return adapter;
}
