/**
 * Authentication for the coordinator tab.
 *
 * - In Teams: the page gets an Entra v2 access token with `microsoftTeams.authentication.getAuthToken()` (SSO) and
 *   sends `Authorization: Bearer <token>`. We check signature (JWKS, RS256), issuer (allowed tenants only), audience
 *   (`api://<host>/<clientId>` or `<clientId>`), exp/nbf and scope `access_as_user`.
 * - Local development only: a dev sign-in issues an HMAC-signed short-lived token for a dev account from
 *   policy/access.json. It exists only when dev auth is on, which `tabAuthConfigFromEnv` refuses in production.
 *
 * No restify here: routes.ts adapts this to HTTP.
 */
import crypto from 'node:crypto';
import jwt, { type JwtHeader, type JwtPayload } from 'jsonwebtoken';
import type { JwksClient } from 'jwks-rsa';
import type { Identity } from '../coordinator/access';
import { isProduction, loadTabAuthConfig } from '../config';

export const DEFAULT_JWKS_URI = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
export const REQUIRED_SCOPE = 'access_as_user';
export const DEV_TOKEN_ISSUER = 'meldwijzer-dev-login';
export const DEV_TOKEN_AUDIENCE = 'meldwijzer-tab-dev';
export const DEV_TOKEN_TTL_SECONDS = 30 * 60;
const CLOCK_TOLERANCE_SECONDS = 60;

export interface TabAuthConfig {
  /** Entra app (client) id of the tab's app registration; without it no Entra token is accepted. */
  clientId?: string;
  /** Allowed Entra tenant ids; without them no Entra token is accepted. */
  tenantIds?: string[];
  /** JWKS endpoint (default: Entra common v2 keys). */
  jwksUri?: string;
  /** Dev sign-in (local development only). */
  devAuth: boolean;
  /** HMAC secret for dev tokens; random per process when not given. */
  devSecret?: string;
}

export class TabAuthError extends Error {
  readonly status = 401;
  constructor(message: string) {
    super(message);
    this.name = 'TabAuthError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tab auth settings from the environment (read in src/config.ts; old `MEL_` names accepted for one release). */
export const tabAuthConfigFromEnv: (env?: Record<string, string | undefined>) => TabAuthConfig = loadTabAuthConfig;

/** Throws when dev auth would be on in production (checked again where routes are registered). */
export function assertDevAuthAllowed(config: TabAuthConfig, env?: Record<string, string | undefined>): void {
  if (config.devAuth && isProduction(env)) {
    throw new Error('Ontwikkel-aanmelding (devAuth) is niet toegestaan met NODE_ENV=production.');
  }
}

export interface TabAuthenticator {
  readonly devAuth: boolean;
  /** Validates an `Authorization` header value; resolves to the identity or rejects with TabAuthError. */
  authenticate(authorization: string | undefined): Promise<Identity>;
  /** Dev sign-in only (throws when dev auth is off). */
  issueDevToken(userId: string, name?: string): { token: string; expiresAt: string };
}

export function createTabAuthenticator(config: TabAuthConfig, env?: Record<string, string | undefined>): TabAuthenticator {
  assertDevAuthAllowed(config, env);
  const devSecret = config.devAuth ? config.devSecret || crypto.randomBytes(32).toString('base64url') : undefined;
  const tenants = new Set((config.tenantIds ?? []).map((t) => t.toLowerCase()));
  const clientId = config.clientId?.toLowerCase();
  let jwks: JwksClient | undefined;
  // Loaded on first Entra token only: jwks-rsa 4 pulls in ESM-only `jose` (fine on Node 20.19+, but jest's CommonJS
  // runtime cannot load it, so suites that never verify an Entra token need no shim).
  const jwksClient = (): JwksClient =>
    (jwks ??= (require('jwks-rsa') as typeof import('jwks-rsa'))({
      jwksUri: config.jwksUri ?? DEFAULT_JWKS_URI,
      cache: true,
      cacheMaxEntries: 10,
      cacheMaxAge: 6 * 60 * 60 * 1000,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
      timeout: 5000,
    }));

  function audienceOk(aud: unknown): boolean {
    if (!clientId) return false;
    const auds = Array.isArray(aud) ? aud : [aud];
    return auds.some((a) => {
      if (typeof a !== 'string') return false;
      const l = a.toLowerCase();
      if (l === clientId) return true;
      // App ID URI of a Teams SSO tab: api://<fully qualified domain>/<clientId>
      const m = /^api:\/\/([a-z0-9.-]+(?::\d+)?)\/([0-9a-f-]{36})$/.exec(l);
      return !!m && m[2] === clientId;
    });
  }

  async function verifyEntra(token: string, header: JwtHeader): Promise<Identity> {
    if (!clientId || tenants.size === 0) throw new TabAuthError('Entra-aanmelding is niet geconfigureerd');
    if (header.alg !== 'RS256' || !header.kid) throw new TabAuthError('onverwacht tokenformaat');
    let key: string;
    try {
      key = (await jwksClient().getSigningKey(header.kid)).getPublicKey();
    } catch {
      throw new TabAuthError('onbekende ondertekeningssleutel');
    }
    let payload: JwtPayload;
    try {
      payload = jwt.verify(token, key, { algorithms: ['RS256'], clockTolerance: CLOCK_TOLERANCE_SECONDS, complete: false }) as JwtPayload;
    } catch (e) {
      throw new TabAuthError(`token ongeldig: ${(e as Error).message}`);
    }
    if (typeof payload !== 'object' || payload === null) throw new TabAuthError('token ongeldig');
    const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : '';
    if (!tid || !tenants.has(tid)) throw new TabAuthError('tenant niet toegestaan');
    const iss = typeof payload.iss === 'string' ? payload.iss.toLowerCase() : '';
    if (iss !== `https://login.microsoftonline.com/${tid}/v2.0` && iss !== `https://sts.windows.net/${tid}/`) {
      throw new TabAuthError('issuer niet toegestaan');
    }
    if (!audienceOk(payload.aud)) throw new TabAuthError('audience klopt niet');
    if (typeof payload.exp !== 'number') throw new TabAuthError('token zonder vervaldatum');
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(REQUIRED_SCOPE)) throw new TabAuthError(`scope ${REQUIRED_SCOPE} ontbreekt`);
    const oid = typeof payload.oid === 'string' ? payload.oid : '';
    if (!GUID.test(oid)) throw new TabAuthError('token zonder object-id');
    const name = typeof payload.name === 'string' ? payload.name : typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined;
    return { id: oid.toLowerCase(), source: 'entra', ...(name ? { name } : {}) };
  }

  function verifyDev(token: string): Identity {
    if (!devSecret) throw new TabAuthError('ontwikkel-aanmelding staat uit');
    let payload: JwtPayload;
    try {
      payload = jwt.verify(token, devSecret, {
        algorithms: ['HS256'],
        issuer: DEV_TOKEN_ISSUER,
        audience: DEV_TOKEN_AUDIENCE,
        clockTolerance: 5,
      }) as JwtPayload;
    } catch (e) {
      throw new TabAuthError(`token ongeldig: ${(e as Error).message}`);
    }
    if (typeof payload.sub !== 'string' || !payload.sub.startsWith('dev-')) throw new TabAuthError('token ongeldig');
    const name = typeof payload.name === 'string' ? payload.name : undefined;
    return { id: payload.sub, source: 'dev', ...(name ? { name } : {}) };
  }

  return {
    devAuth: config.devAuth,
    async authenticate(authorization) {
      const m = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)\s*$/i.exec(authorization ?? '');
      if (!m) throw new TabAuthError('aanmelding vereist');
      const token = m[1]!;
      const decoded = jwt.decode(token, { complete: true });
      if (!decoded || typeof decoded.payload !== 'object') throw new TabAuthError('token ongeldig');
      if (decoded.header.alg === 'HS256') return verifyDev(token);
      return verifyEntra(token, decoded.header);
    },
    issueDevToken(userId, name) {
      if (!devSecret) throw new Error('ontwikkel-aanmelding staat uit');
      const token = jwt.sign({ ...(name ? { name } : {}) }, devSecret, {
        algorithm: 'HS256',
        subject: userId,
        issuer: DEV_TOKEN_ISSUER,
        audience: DEV_TOKEN_AUDIENCE,
        expiresIn: DEV_TOKEN_TTL_SECONDS,
        jwtid: crypto.randomUUID(),
      });
      return { token, expiresAt: new Date(Date.now() + DEV_TOKEN_TTL_SECONDS * 1000).toISOString() };
    },
  };
}
