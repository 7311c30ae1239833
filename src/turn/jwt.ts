/**
 * The one Bot Framework JWT check both hosts run before a turn (botbuilder: in front of its own validation;
 * Agents SDK: instead of `authorizeJWT`, whose rules are weaker: it accepts a token without `exp` and any issuer).
 *
 * Rules: `Authorization: Bearer <JWT>`; RS256 only, signed by a key of the channel's OpenID metadata (JWKS, fetched
 * and cached here, refreshed on an unknown kid at most every 5 minutes); `iss` in the allow-list; `aud` = our app id;
 * a numeric `exp` is required; `exp`/`nbf` with 5 minutes clock tolerance; a `serviceurl` claim must equal the
 * activity's serviceUrl. Every failure is `null` (the host answers a bare 401); only the failure class is logged,
 * never a claim value. Host-neutral: no SDK import.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import type { Logger } from '../records/logger';
import { silentLogger } from '../records/logger';

/** The Bot Framework channel's OpenID metadata (botframework-connector's AuthenticationConstants has the same value). */
export const BOT_FRAMEWORK_OPENID_METADATA = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const CLOCK_TOLERANCE_S = 300;

export interface JwtRules {
  /** Accepted audiences: the bot's app id. */
  appId: string;
  /** Accepted issuers (default: the Bot Framework channel). */
  issuers?: string[];
  /** OpenID configuration URL whose `jwks_uri` holds the signing keys. */
  openIdMetadataUrl?: string;
  logger?: Logger;
  /** Key fetch timeout (ms). */
  timeoutMs?: number;
}

export type JwtVerifier = (authHeader: string | undefined, activity: { serviceUrl?: unknown }) => Promise<JwtPayload | null>;

/** Issuers for the app type: the channel, plus (single tenant) Entra v1/v2 of the bot's tenant. */
export function issuersFor(appType: string, tenantId: string): string[] {
  const out = [BOT_FRAMEWORK_ISSUER];
  if (appType === 'SingleTenant' && tenantId) out.push(`https://sts.windows.net/${tenantId}/`, `https://login.microsoftonline.com/${tenantId}/v2.0`);
  return out;
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw Object.assign(new Error('metadata unavailable'), { name: 'MetadataError' });
  return res.json();
}

export function createJwtVerifier(rules: JwtRules): JwtVerifier {
  const logger = rules.logger ?? silentLogger;
  const metadataUrl = rules.openIdMetadataUrl ?? BOT_FRAMEWORK_OPENID_METADATA;
  const issuers = rules.issuers ?? [BOT_FRAMEWORK_ISSUER];
  const timeoutMs = rules.timeoutMs ?? 5000;
  let keys = new Map<string, KeyObject>();
  let fetchedAt = 0;

  async function refresh(): Promise<void> {
    const meta = (await getJson(metadataUrl, timeoutMs)) as { jwks_uri?: unknown };
    if (typeof meta?.jwks_uri !== 'string') throw Object.assign(new Error('no jwks_uri'), { name: 'MetadataError' });
    const jwks = (await getJson(meta.jwks_uri, timeoutMs)) as { keys?: Array<Record<string, unknown>> };
    const next = new Map<string, KeyObject>();
    for (const k of jwks?.keys ?? []) {
      if (typeof k.kid !== 'string' || k.kty !== 'RSA') continue;
      try {
        next.set(k.kid, createPublicKey({ key: { kty: 'RSA', n: k.n as string, e: k.e as string }, format: 'jwk' }));
      } catch {
        // A key we cannot read is not trusted.
      }
    }
    keys = next;
    fetchedAt = Date.now();
  }

  async function keyFor(kid: string): Promise<KeyObject | undefined> {
    const stale = Date.now() - fetchedAt > 24 * 3600_000;
    if (stale || (!keys.has(kid) && Date.now() - fetchedAt > 5 * 60_000)) await refresh();
    return keys.get(kid);
  }

  const reject = (reason: string): null => {
    logger.warn('auth.rejected', { error: reason });
    return null;
  };

  return async (authHeader, activity) => {
    const m = /^Bearer\s+(\S+)$/.exec((authHeader ?? '').trim());
    if (!m) return reject('NoBearer');
    const decoded = jwt.decode(m[1]!, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object' || decoded.header.alg !== 'RS256' || typeof decoded.header.kid !== 'string') return reject('Malformed');
    if (typeof decoded.payload.exp !== 'number' || !Number.isFinite(decoded.payload.exp)) return reject('MissingExp');
    let key: KeyObject | undefined;
    try {
      key = await keyFor(decoded.header.kid);
    } catch (err) {
      return reject((err as Error)?.name ?? 'MetadataError');
    }
    if (!key) return reject('UnknownKey');
    let payload: JwtPayload;
    try {
      payload = jwt.verify(m[1]!, key, {
        algorithms: ['RS256'],
        audience: rules.appId,
        issuer: issuers as [string, ...string[]],
        clockTolerance: CLOCK_TOLERANCE_S,
      }) as JwtPayload;
    } catch (err) {
      return reject((err as Error)?.name ?? 'JsonWebTokenError');
    }
    if (payload.serviceurl !== undefined && payload.serviceurl !== activity.serviceUrl) return reject('ServiceUrlMismatch');
    return payload;
  };
}
