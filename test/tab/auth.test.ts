jest.mock('jose', () => require('../support/joseShim'));
import jwt from 'jsonwebtoken';
import { createTabAuthenticator, tabAuthConfigFromEnv, TabAuthError, type TabAuthenticator } from '../../src/tab/auth';
import { CLIENT_ID, OTHER_TENANT, TENANT, startLocalEntra, type LocalEntra } from '../support/entra';

const OID = '0a0a0a0a-0000-4000-8000-000000000001';
let entra: LocalEntra;
let auth: TabAuthenticator;

beforeAll(async () => {
  entra = await startLocalEntra();
  auth = createTabAuthenticator({ clientId: CLIENT_ID, tenantIds: [TENANT], jwksUri: entra.jwksUri, devAuth: false }, { NODE_ENV: 'test' });
});
afterAll(() => entra.close());

const bearer = (t: string) => `Bearer ${t}`;
async function rejects(header: string | undefined): Promise<void> {
  await expect(auth.authenticate(header)).rejects.toBeInstanceOf(TabAuthError);
}

describe('Entra v2 access token (local JWKS on loopback)', () => {
  test('valid token with api:// audience → identity from oid', async () => {
    await expect(auth.authenticate(bearer(entra.token(OID)))).resolves.toEqual({ id: OID, source: 'entra', name: 'Test Gebruiker' });
  });
  test('audience may be the bare client id; v1 issuer sts.windows.net is accepted', async () => {
    await expect(auth.authenticate(bearer(entra.token(OID, { aud: CLIENT_ID, iss: `https://sts.windows.net/${TENANT}/` })))).resolves.toMatchObject({ id: OID });
  });
  test('scope list with several scopes', async () => {
    await expect(auth.authenticate(bearer(entra.token(OID, { scp: 'User.Read access_as_user' })))).resolves.toMatchObject({ id: OID });
  });
  test('no header / not bearer / garbage → 401', async () => {
    await rejects(undefined);
    await rejects('Basic abc');
    await rejects('Bearer not-a-jwt');
  });
  test('forged signature (key not in JWKS, same kid) → 401', async () => {
    await rejects(bearer(entra.token(OID, {}, { key: entra.otherKey })));
  });
  test('tampered payload → 401', async () => {
    const [h, , s] = entra.token(OID).split('.');
    const p = Buffer.from(JSON.stringify({ oid: '0a0a0a0a-0000-4000-8000-000000000002', tid: TENANT, scp: 'access_as_user' })).toString('base64url');
    await rejects(bearer(`${h}.${p}.${s}`));
  });
  test('unknown kid → 401', async () => {
    await rejects(bearer(entra.token(OID, {}, { kid: 'no-such-key' })));
  });
  test('expired → 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejects(bearer(entra.token(OID, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 })));
  });
  test('not yet valid (nbf in the future) → 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejects(bearer(entra.token(OID, { nbf: now + 3600 })));
  });
  test('wrong audience → 401', async () => {
    await rejects(bearer(entra.token(OID, { aud: 'api://meldwijzer.example.nl/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' })));
    await rejects(bearer(entra.token(OID, { aud: 'https://graph.microsoft.com' })));
  });
  test('wrong issuer → 401', async () => {
    await rejects(bearer(entra.token(OID, { iss: 'https://evil.example/v2.0' })));
    await rejects(bearer(entra.token(OID, { iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` })));
  });
  test('tenant not allowed → 401', async () => {
    await rejects(bearer(entra.token(OID, { tid: OTHER_TENANT, iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` })));
  });
  test('missing scope access_as_user → 401', async () => {
    await rejects(bearer(entra.token(OID, { scp: 'User.Read' })));
    await rejects(bearer(entra.token(OID, { scp: undefined })));
  });
  test('missing oid → 401', async () => {
    await rejects(bearer(entra.token(OID, { oid: undefined })));
  });
  test('alg none and HS256 (dev) tokens are refused when dev auth is off', async () => {
    const none = jwt.sign({ oid: OID, tid: TENANT, aud: CLIENT_ID, scp: 'access_as_user' }, '', { algorithm: 'none' });
    await rejects(bearer(none));
    const hs = jwt.sign({ sub: 'dev-coordinator-heerde' }, 'x', { algorithm: 'HS256', issuer: 'meldwijzer-dev-login', audience: 'meldwijzer-tab-dev' });
    await rejects(bearer(hs));
    expect(() => auth.issueDevToken('dev-coordinator-heerde')).toThrow();
  });
  test('without clientId or tenants no Entra token is accepted', async () => {
    const a = createTabAuthenticator({ jwksUri: entra.jwksUri, devAuth: false, clientId: CLIENT_ID }, { NODE_ENV: 'test' });
    await expect(a.authenticate(bearer(entra.token(OID)))).rejects.toBeInstanceOf(TabAuthError);
  });
});

describe('dev tokens', () => {
  test('issued and accepted only by the issuing process in dev mode; short-lived', async () => {
    const dev = createTabAuthenticator({ devAuth: true }, { NODE_ENV: 'development' });
    const { token, expiresAt } = dev.issueDevToken('dev-coordinator-heerde', 'AF Heerde');
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(30 * 60 * 1000 + 1000);
    await expect(dev.authenticate(bearer(token))).resolves.toEqual({ id: 'dev-coordinator-heerde', source: 'dev', name: 'AF Heerde' });
    const other = createTabAuthenticator({ devAuth: true }, { NODE_ENV: 'development' });
    await expect(other.authenticate(bearer(token))).rejects.toBeInstanceOf(TabAuthError);
  });
  test('an expired dev token is refused', async () => {
    const dev = createTabAuthenticator({ devAuth: true, devSecret: 's3cret-s3cret-s3cret' }, { NODE_ENV: 'development' });
    const old = jwt.sign({}, 's3cret-s3cret-s3cret', { algorithm: 'HS256', subject: 'dev-x', issuer: 'meldwijzer-dev-login', audience: 'meldwijzer-tab-dev', expiresIn: -60 });
    await expect(dev.authenticate(bearer(old))).rejects.toBeInstanceOf(TabAuthError);
  });
  test('dev auth is refused in production', () => {
    expect(() => createTabAuthenticator({ devAuth: true }, { NODE_ENV: 'production' })).toThrow(/productie|production/i);
  });
});

describe('tabAuthConfigFromEnv', () => {
  test('defaults: everything off', () => {
    expect(tabAuthConfigFromEnv({})).toEqual({ devAuth: false });
  });
  test('reads SSO settings', () => {
    expect(
      tabAuthConfigFromEnv({ AAD_APP_CLIENT_ID: CLIENT_ID, MEL_TAB_TENANT_IDS: `${TENANT}, ${OTHER_TENANT}`, MEL_TAB_JWKS_URI: 'http://127.0.0.1:1/keys' }),
    ).toEqual({ devAuth: false, clientId: CLIENT_ID, tenantIds: [TENANT, OTHER_TENANT], jwksUri: 'http://127.0.0.1:1/keys' });
  });
  test('dev auth on in development', () => {
    expect(tabAuthConfigFromEnv({ MEL_DEV_AUTH: 'true', NODE_ENV: 'development' })).toMatchObject({ devAuth: true });
  });
  test('throws when dev auth would be on in production', () => {
    expect(() => tabAuthConfigFromEnv({ MEL_DEV_AUTH: 'true', NODE_ENV: 'production' })).toThrow(/NODE_ENV=production/);
  });
  test('rejects a client id that is not a GUID', () => {
    expect(() => tabAuthConfigFromEnv({ MEL_TAB_CLIENT_ID: 'abc' })).toThrow(/GUID/);
  });
});
