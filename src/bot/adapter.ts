/**
 * CloudAdapter with Bot Framework authentication. With an app id, every inbound activity needs a valid
 * Bot Framework JWT (401 otherwise). Without one (development/test only, see config.ts) it accepts
 * unauthenticated activities, which is what Agents Playground and the tests use.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { BotConfig } from '../config';
import type { Logger } from '../records/logger';
import { languageOf, t } from '../texts';

export function createAdapter(config: Pick<BotConfig, 'appId' | 'appPassword' | 'appType' | 'tenantId'>, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId,
  });
  failClosed(auth, logger, config.appId !== '');
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
 * AuthenticationError: a forged signature, `alg: none`, a token that is not valid yet, unreachable OpenID metadata;
 * and its 401 bodies quote claim values. Here every failure to authenticate is the same bare 401, a token without
 * `exp` is one of them, and the bot never runs (test/security/botAuth.test.ts).
 */
function failClosed(auth: ConfigurationBotFrameworkAuthentication, logger: Logger, required: boolean): void {
  const authenticateRequest = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    // botbuilder (jsonwebtoken) accepts a token without `exp`: such a token would never expire. Refused up front.
    if (required && !hasNumericExp(authHeader)) {
      logger.warn('auth.rejected', { error: 'MissingExp' });
      throw new AuthenticationError('Unauthorized', 401);
    }
    try {
      return await authenticateRequest(activity, authHeader);
    } catch (err) {
      // botframework-connector's messages quote claim values (issuer, audience, app id, service url) and end up in
      // the 401 body: every failure becomes the same bare 401, only the error class is logged.
      logger.warn('auth.rejected', { error: err instanceof AuthenticationError ? 'AuthenticationError' : ((err as Error)?.name ?? 'Error') });
      throw new AuthenticationError('Unauthorized', 401);
    }
  };
}

/**
 * True when the header carries a JWT whose payload has a numeric `exp`. No header / not a JWT is left to botbuilder
 * (which answers 401 itself); only a decodable token without a usable `exp` is refused here. Not a signature check.
 */
export function hasNumericExp(authHeader: string | undefined): boolean {
  const m = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec((authHeader ?? '').trim());
  if (!m) return true;
  try {
    const payload = JSON.parse(Buffer.from(m[2]!, 'base64url').toString('utf8')) as { exp?: unknown } | null;
    return !!payload && typeof payload === 'object' && typeof payload.exp === 'number' && Number.isFinite(payload.exp);
  } catch {
    return true;
  }
}
