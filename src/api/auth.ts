/**
 * Bearer tokens with scopes. Tokens are configured only as SHA-256 hashes:
 *   MUNICIPAL_API_TOKENS="bot:<sha256hex>:consultations:write;dashboard:<sha256hex>:consultations:read"
 * (entries separated by `;`, each `name:hash:scope[,scope…]`). Hashes are compared in constant time, always against
 * every configured token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const SCOPES = ['consultations:read', 'consultations:write'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiToken {
  /** Client name (logs, idempotency scope). */
  name: string;
  /** SHA-256 of the token, lowercase hex. */
  sha256: string;
  scopes: Scope[];
}

export interface Principal {
  name: string;
  scopes: Scope[];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function parseTokens(spec: string | undefined | null): ApiToken[] {
  if (!spec || !spec.trim()) return [];
  const tokens: ApiToken[] = [];
  for (const raw of spec.split(/[;\n]/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const first = entry.indexOf(':');
    const second = first < 0 ? -1 : entry.indexOf(':', first + 1);
    if (first <= 0 || second < 0) throw new Error('MUNICIPAL_API_TOKENS: each entry must be name:sha256hex:scope[,scope]');
    const name = entry.slice(0, first);
    const sha256 = entry.slice(first + 1, second).toLowerCase();
    const scopes = entry
      .slice(second + 1)
      .split(/[,\s]+/)
      .filter(Boolean);
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`MUNICIPAL_API_TOKENS: token "${name}" needs a SHA-256 hash (64 hex characters), never the token itself`);
    if (!scopes.length) throw new Error(`MUNICIPAL_API_TOKENS: token "${name}" has no scopes`);
    for (const s of scopes) {
      if (!(SCOPES as readonly string[]).includes(s)) throw new Error(`MUNICIPAL_API_TOKENS: unknown scope "${s}" (known: ${SCOPES.join(', ')})`);
    }
    if (tokens.some((t) => t.name === name)) throw new Error(`MUNICIPAL_API_TOKENS: duplicate token name "${name}"`);
    tokens.push({ name, sha256, scopes: scopes as Scope[] });
  }
  return tokens;
}

/** Formats tokens back into the env syntax (for tests and tooling). */
export function formatTokens(tokens: ApiToken[]): string {
  return tokens.map((t) => `${t.name}:${t.sha256}:${t.scopes.join(',')}`).join(';');
}

export function createAuthenticator(tokens: ApiToken[]): (authorization: string | undefined) => Principal | null {
  const hashed = tokens.map((t) => ({ ...t, digest: Buffer.from(t.sha256, 'hex') }));
  return (authorization) => {
    const m = /^Bearer[ ]+([\x21-\x7e]{1,512})\s*$/i.exec(authorization ?? '');
    if (!m) return null;
    const digest = createHash('sha256').update(m[1], 'utf8').digest();
    let found: (typeof hashed)[number] | null = null;
    for (const t of hashed) {
      // No early exit: the time taken does not depend on which token matched.
      if (timingSafeEqual(digest, t.digest) && !found) found = t;
    }
    return found ? { name: found.name, scopes: [...found.scopes] } : null;
  };
}
