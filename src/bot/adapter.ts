/**
 * CloudAdapter with Bot Framework authentication. With an app id, every inbound activity needs a valid
 * Bot Framework JWT (401 otherwise). Without one (development/test only, see config.ts) it accepts
 * unauthenticated activities, which is what Agents Playground and the tests use.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError } from 'botframework-connector';
import { createJwtVerifier, issuersFor, type JwtVerifier } from '../turn/jwt';
import type { BotConfig } from '../config';
import type { Logger } from '../records/logger';
import { turnFailed } from '../turn/core';

export function createAdapter(config: Pick<BotConfig, 'appId' | 'appPassword' | 'appType' | 'tenantId'>, logger: Logger, openIdMetadataUrl?: string): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId,
  });
  // The shared check (src/turn/jwt.ts, the same rules as the Agents host) runs first; botbuilder's own validation
  // (channel endorsements, its issuer/audience rules) after it.
  const verifier = config.appId
    ? createJwtVerifier({ appId: config.appId, issuers: issuersFor(config.appType, config.tenantId), openIdMetadataUrl: openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl, logger })
    : null;
  failClosed(auth, logger, verifier);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = (context: TurnContext, error: Error) => turnFailed(context, error, logger);
  return adapter;
}

/**
 * botbuilder answers 500 (with the error message as body) when token validation throws anything but an
 * AuthenticationError: a forged signature, `alg: none`, a token that is not valid yet, unreachable OpenID metadata;
 * and its 401 bodies quote claim values. Here every failure to authenticate is the same bare 401, a token without
 * `exp` is one of them, and the bot never runs (test/security/botAuth.test.ts).
 */
function failClosed(auth: ConfigurationBotFrameworkAuthentication, logger: Logger, verifier: JwtVerifier | null): void {
  const authenticateRequest = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    // botbuilder (jsonwebtoken) accepts a token without `exp`: such a token would never expire. Refused up front.
    if (verifier && !(await verifier(authHeader, activity))) throw new AuthenticationError('Unauthorized', 401);
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
