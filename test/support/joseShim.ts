/**
 * jest only: jwks-rsa 4 requires the ESM-only `jose` 6, which jest's CommonJS runtime cannot load (plain Node 20.19+
 * can). jwks-rsa uses just `importJWK` (then exports the key as SPKI PEM); node:crypto does the same conversion.
 * Use in a suite that verifies Entra tokens: `jest.mock('jose', () => require('../support/joseShim'));`
 */
import crypto from 'node:crypto';

export async function importJWK(jwk: crypto.JsonWebKey): Promise<crypto.KeyObject> {
  const { ext: _ext, ...key } = jwk as crypto.JsonWebKey & { ext?: boolean };
  return crypto.createPublicKey({ key, format: 'jwk' });
}

export async function exportSPKI(key: crypto.KeyObject): Promise<string> {
  return key.export({ format: 'pem', type: 'spki' }).toString();
}
