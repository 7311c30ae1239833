/**
 * With an app id configured, /api/messages accepts only valid Bot Framework JWTs.
 *
 * The Bot Framework OpenID metadata (login.botframework.com) cannot be fetched offline, so the suite serves its
 * own OpenID configuration + JWKS on loopback and points botbuilder at it (AuthenticationConstants are read when
 * the adapter is built). A token signed with that local key and the right claims is accepted (positive control:
 * the rejections below are caused by the claims/signature, not by the network); every broken variant gets 401.
 * A second app keeps a metadata url that cannot be reached: it must fail closed (401, the bot never runs).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { AuthenticationConstants as ReadonlyConstants } from 'botframework-connector';
import { createMeldwijzer, type Meldwijzer } from '../../src/app';
import { loadConfig } from '../../src/config';
import { memoryLogger } from '../../src/records/logger';
import { startMockConnector, TeamsConversation, request, type MockConnector } from '../support/mockConnector';
import { freePort } from '../support/ports';

/** Read when an adapter is built; typed readonly, but a plain mutable object at runtime. */
const AuthenticationConstants = ReadonlyConstants as unknown as { ToBotFromChannelOpenIdMetadataUrl: string; ToBotFromEmulatorOpenIdMetadataUrl: string };
const APP_ID = '5e1f0c8a-1111-4222-8333-444455556666';
const ISSUER = 'https://api.botframework.com';

interface LocalOpenId {
  url: string;
  kid: string;
  key: crypto.KeyObject;
  other: crypto.KeyObject;
  publicPem: string;
  close(): Promise<void>;
}

async function startLocalOpenId(): Promise<LocalOpenId> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'local-bf-key';
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  let base = '';
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/v1/keys` }));
    else if (req.url === '/v1/keys') res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/v1/.well-known/openidconfiguration`,
    kid,
    key: privateKey,
    other: other.privateKey,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function b64url(x: object): string {
  return Buffer.from(JSON.stringify(x)).toString('base64url');
}

describe('Bot Framework JWT on /api/messages (app id configured)', () => {
  let openId: LocalOpenId;
  let connector: MockConnector;
  let app: Meldwijzer;
  let url: string;
  let unreachableApp: Meldwijzer;
  let unreachableUrl: string;
  const logger = memoryLogger();
  const saved = {
    channel: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    emulator: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  };
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const warns = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

  const config = () =>
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      MELDWIJZER_DB_URL: 'sqlite::memory:',
      MUNICIPAL_API_URL: 'http://127.0.0.1:9/',
      MUNICIPAL_API_TOKEN: 'unused',
      LOG_LEVEL: 'silent',
      // `MELDWIJZER_HOST=agents npx jest …` runs the same rules against the Agents SDK host.
      ...(process.env.MELDWIJZER_HOST ? { MELDWIJZER_HOST: process.env.MELDWIJZER_HOST } : {}),
    });

  beforeAll(async () => {
    openId = await startLocalOpenId();
    connector = await startMockConnector();
    const closed = await freePort();
    // Channel tokens are checked against the local JWKS; the emulator/skill metadata stays unreachable.
    AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl = openId.url;
    AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl = `http://127.0.0.1:${closed}/common/v2.0/.well-known/openid-configuration`;
    // The shared JWT check (both hosts) gets the metadata url explicitly; botbuilder's own check reads the constants.
    app = await createMeldwijzer(config(), { logger, outbox: false, env: {}, openIdMetadataUrl: openId.url, agentsOutboundWithoutToken: true });
    url = await app.listen();
    AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl = `http://127.0.0.1:${closed}/v1/.well-known/openidconfiguration`;
    AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl = `http://127.0.0.1:${closed}/common/v2.0/.well-known/openid-configuration`;
    unreachableApp = await createMeldwijzer(config(), { logger, outbox: false, env: {}, openIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl, agentsOutboundWithoutToken: true });
    unreachableUrl = await unreachableApp.listen();
  });

  afterAll(async () => {
    AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl = saved.channel;
    AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl = saved.emulator;
    await app?.close();
    await unreachableApp?.close();
    await connector?.close();
    await openId?.close();
    errors.mockRestore();
    warns.mockRestore();
  });

  const claims = (over: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: ISSUER, aud: APP_ID, serviceurl: connector.url, nbf: now - 60, iat: now - 60, exp: now + 3600, ...over };
  };
  const sign = (over: Record<string, unknown> = {}, opts: { key?: crypto.KeyObject; kid?: string } = {}) =>
    jwt.sign(claims(over), opts.key ?? openId.key, { algorithm: 'RS256', keyid: opts.kid ?? openId.kid });
  /** RS256 by hand, for claim sets jsonwebtoken refuses to sign (no exp, exp not a number): keys set to undefined are left out. */
  const signRaw = (over: Record<string, unknown>) => {
    const payload = Object.fromEntries(Object.entries(claims(over)).filter(([, v]) => v !== undefined));
    const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid: openId.kid })}.${b64url(payload)}`;
    return `${input}.${crypto.sign('sha256', Buffer.from(input), openId.key).toString('base64url')}`;
  };

  async function post(base: string, authorization: string | undefined, partial: Record<string, unknown> = { type: 'typing' }) {
    const conv = new TeamsConversation({ botUrl: base, connector, headers: authorization === undefined ? {} : { authorization } });
    const r = await conv.send(partial);
    return { ...r, replies: r.replies };
  }

  test('positive control: a token signed with the trusted local key and the right claims is accepted', async () => {
    const r = await post(url, `Bearer ${sign()}`);
    expect(r.status).toBe(200);
    expect((await post(url, `Bearer ${signRaw({})}`)).status).toBe(200);
  });

  const rejected: Array<[string, () => string | undefined]> = [
    ['no Authorization header', () => undefined],
    ['empty Bearer', () => 'Bearer '],
    ['not a JWT', () => 'Bearer this-is-not-a-token'],
    ['wrong scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['unsigned (alg none)', () => `Bearer ${b64url({ alg: 'none', typ: 'JWT', kid: openId.kid })}.${b64url(claims())}.`],
    ['alg none with the signature of a valid token', () => {
      const valid = sign().split('.');
      return `Bearer ${b64url({ alg: 'none', typ: 'JWT', kid: openId.kid })}.${valid[1]}.${valid[2]}`;
    }],
    ['HS256 with the public key as secret (algorithm confusion)', () => `Bearer ${jwt.sign(claims(), openId.publicPem, { algorithm: 'HS256', keyid: openId.kid })}`],
    ['expired (beyond the 5 min clock tolerance)', () => `Bearer ${sign({ exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200, nbf: Math.floor(Date.now() / 1000) - 7200 })}`],
    ['not yet valid', () => `Bearer ${sign({ nbf: Math.floor(Date.now() / 1000) + 3600 })}`],
    ['no exp (a token that would never expire)', () => `Bearer ${signRaw({ exp: undefined })}`],
    ['exp not a number', () => `Bearer ${signRaw({ exp: 'never' })}`],
    ['wrong issuer', () => `Bearer ${sign({ iss: 'https://evil.example.com' })}`],
    ['emulator issuer (its metadata unreachable), signed with the local key', () => `Bearer ${sign({ iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', ver: '1.0', appid: APP_ID })}`],
    ['wrong audience', () => `Bearer ${sign({ aud: '00000000-0000-4000-8000-000000000000' })}`],
    ['no audience', () => `Bearer ${sign({ aud: undefined })}`],
    ['serviceurl claim does not match the activity', () => `Bearer ${sign({ serviceurl: 'https://smba.trafficmanager.net/emea/' })}`],
    ['skill token (appid + ver 2.0, azp), signed with the local key', () => `Bearer ${sign({ iss: 'https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0', ver: '2.0', azp: '11111111-2222-4333-8444-555555555555', aud: APP_ID })}`],
    ['signed with a key that is not in the JWKS (same kid)', () => `Bearer ${sign({}, { key: openId.other })}`],
    ['unknown kid', () => `Bearer ${sign({}, { kid: 'someone-elses-key' })}`],
    ['tampered payload (valid signature of other claims)', () => {
      const [h, , s] = sign().split('.');
      return `Bearer ${h}.${b64url(claims({ aud: APP_ID, extra: 'x' }))}.${s}`;
    }],
  ];

  test.each(rejected)('%s → 401, bot not run', async (_name, auth) => {
    const r = await post(url, auth(), { text: 'help' });
    expect(r.status).toBe(401);
    expect(r.replies).toHaveLength(0);
    expect(r.body).not.toMatch(/at .*\.js|stack/i);
  });

  test('401 bodies name no claim value (issuer, audience, app id, service url, kid)', async () => {
    const echoes = ['evil.example.com', '00000000-0000-4000-8000-000000000000', APP_ID, 'smba.trafficmanager.net', 'someone-elses-key', 'login.microsoftonline.com', 'sts.windows.net', '11111111-2222'];
    for (const [name, auth] of rejected) {
      const r = await post(url, auth(), { text: 'help' });
      expect(r.status).toBe(401);
      const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? '');
      for (const e of echoes) expect({ name, echoed: body.includes(e) ? e : null }).toEqual({ name, echoed: null });
    }
  });

  test.each([
    ['no Authorization header', () => undefined],
    ['a token signed with a local key', () => `Bearer ${sign()}`],
  ] as Array<[string, () => string | undefined]>)('OpenID metadata unreachable, %s → 401 (fails closed), bot not run', async (_name, auth) => {
    const r = await post(unreachableUrl, auth(), { text: 'help' });
    expect(r.status).toBe(401);
    expect(r.replies).toHaveLength(0);
  });
});
