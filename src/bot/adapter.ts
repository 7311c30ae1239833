/**
 * CloudAdapter with Bot Framework authentication. With an app id, every inbound activity needs a valid
 * Bot Framework JWT (401 otherwise). Without one (development/test only, see config.ts) it accepts
 * unauthenticated activities, which is what Agents Playground and the tests use.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
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
  failClosed(auth, logger);
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

/**
 * botbuilder answers 500 (with the error message as body) when token validation throws anything but an
 * AuthenticationError: a forged signature, `alg: none`, a token that is not valid yet, unreachable OpenID metadata.
 * Here every failure to authenticate is a 401 and the bot never runs (test/security/botAuth.test.ts).
 */
function failClosed(auth: ConfigurationBotFrameworkAuthentication, logger: Logger): void {
  const authenticateRequest = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    try {
      return await authenticateRequest(activity, authHeader);
    } catch (err) {
      if (err instanceof AuthenticationError) throw err;
      logger.warn('auth.rejected', { error: (err as Error)?.name ?? 'Error' });
      throw new AuthenticationError('Unauthorized', 401);
    }
  };
}
