/**
 * A local stand-in for Entra ID: RSA keys generated in the test, a JWKS served on 127.0.0.1, and a signer for
 * v2 access tokens. No network beyond loopback.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

export const TENANT = '11111111-2222-4333-8444-555555555555';
export const OTHER_TENANT = '99999999-8888-4777-8666-555555555555';
export const CLIENT_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const BOT_DOMAIN = 'meldwijzer.example.nl';

export interface LocalEntra {
  jwksUri: string;
  kid: string;
  /** Signs an access token; claims override the defaults (a valid token for `oid`). */
  token(oid: string, claims?: Record<string, unknown>, opts?: { key?: crypto.KeyObject; kid?: string; expiresIn?: number }): string;
  /** A key pair that is not in the JWKS (for forged signatures). */
  otherKey: crypto.KeyObject;
  requests: number;
  close(): Promise<void>;
}

export async function startLocalEntra(): Promise<LocalEntra> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key-1';
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256', kty: 'RSA' };
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    if (req.url === '/keys') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUri: `http://127.0.0.1:${port}/keys`,
    kid,
    otherKey: other.privateKey,
    get requests() {
      return state.requests;
    },
    token(oid, claims = {}, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        aud: `api://${BOT_DOMAIN}/${CLIENT_ID}`,
        iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
        iat: now,
        nbf: now - 10,
        exp: now + (opts.expiresIn ?? 3600),
        tid: TENANT,
        oid,
        scp: 'access_as_user',
        name: 'Test Gebruiker',
        ver: '2.0',
        ...claims,
      };
      return jwt.sign(payload, opts.key ?? privateKey, { algorithm: 'RS256', keyid: opts.kid ?? kid });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
