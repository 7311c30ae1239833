import { createAuthenticator, formatTokens, hashToken, parseTokens } from '../../src/api/auth';

describe('token configuration', () => {
  const h = hashToken('s3cret');

  it('parses name:sha256:scopes entries', () => {
    const tokens = parseTokens(`write:${h}:consultations:write; read:${h.toUpperCase()}:consultations:read,consultations:write`);
    expect(tokens).toEqual([
      { name: 'write', sha256: h, scopes: ['consultations:write'] },
      { name: 'read', sha256: h, scopes: ['consultations:read', 'consultations:write'] },
    ]);
    expect(parseTokens(formatTokens(tokens))).toEqual(tokens);
    expect(parseTokens('')).toEqual([]);
    expect(parseTokens(undefined)).toEqual([]);
  });

  it('refuses plain tokens, unknown scopes and duplicates', () => {
    expect(() => parseTokens('bot:s3cret:consultations:write')).toThrow(/SHA-256/);
    expect(() => parseTokens(`bot:${h}:consultations:delete`)).toThrow(/unknown scope/);
    expect(() => parseTokens(`bot:${h}`)).toThrow();
    expect(() => parseTokens(`bot:${h}:consultations:read;bot:${h}:consultations:read`)).toThrow(/duplicate/);
  });

  it('authenticates bearer tokens by hash', () => {
    const auth = createAuthenticator(parseTokens(`bot:${h}:consultations:write`));
    expect(auth('Bearer s3cret')).toEqual({ name: 'bot', scopes: ['consultations:write'] });
    expect(auth('bearer s3cret')).not.toBeNull();
    expect(auth('Bearer s3cret2')).toBeNull();
    expect(auth(`Bearer ${h}`)).toBeNull();
    expect(auth('s3cret')).toBeNull();
    expect(auth(undefined)).toBeNull();
  });
});
