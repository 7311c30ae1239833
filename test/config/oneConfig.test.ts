/**
 * One config module: every environment variable is read in src/config.ts, one prefix (MELDWIJZER_) with the old MEL_
 * names accepted for one release (and named in a warning), and the domain core reads no environment at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deprecationWarnings, loadConfig, loadTabAuthConfig, accessPolicyPathFromEnv, policyPathFromEnv } from '../../src/config';
import { defaultPolicyPath, usePolicyFile } from '../../src/meldcode/policy';

const SRC = path.join(__dirname, '..', '..', 'src');
const dev = { NODE_ENV: 'development' } as const;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : /\.ts$/.test(d.name) ? [p] : [];
  });
}

test('no file in src/ but src/config.ts reads an environment variable', () => {
  const readers = filesUnder(SRC)
    .filter((f) => path.relative(SRC, f) !== 'config.ts')
    .filter((f) => /process\.env(\.|\[)/.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(SRC, f));
  expect(readers).toEqual([]);
});

test('the domain core does not touch process.env', () => {
  const core = ['meldcode', 'privacy'].map((d) => path.join(SRC, d)).filter((d) => fs.existsSync(d));
  const touching = core.flatMap(filesUnder).filter((f) => fs.readFileSync(f, 'utf8').includes('process.env'));
  expect(touching.map((f) => path.relative(SRC, f))).toEqual([]);
});

test('an old MEL_ name still works, and is reported as deprecated', () => {
  const c = loadConfig({ ...dev, MEL_DEV_AUTH: 'true', MEL_ACCESS_POLICY: 'policy/other.json' });
  expect(c.deprecatedNames.sort()).toEqual(['MEL_ACCESS_POLICY', 'MEL_DEV_AUTH']);
  expect(c.accessPolicyPath).toBe('policy/other.json');
  expect(deprecationWarnings(c.deprecatedNames).join('\n')).toMatch(/MEL_DEV_AUTH .*MELDWIJZER_DEV_AUTH/);
  expect(loadTabAuthConfig({ ...dev, MEL_DEV_AUTH: 'true' }).devAuth).toBe(true);
});

test('the MELDWIJZER_ name wins over the old one; none set means no warning', () => {
  expect(accessPolicyPathFromEnv({ MELDWIJZER_ACCESS_POLICY: 'new.json', MEL_ACCESS_POLICY: 'old.json' })).toBe('new.json');
  expect(loadTabAuthConfig({ ...dev, MELDWIJZER_DEV_AUTH: 'false', MEL_DEV_AUTH: 'true' }).devAuth).toBe(false);
  expect(loadConfig({ ...dev, MELDWIJZER_DEV_AUTH: 'true' }).deprecatedNames).toEqual([]);
});

test('dev sign-in under the new name is refused in production, like the old one', () => {
  expect(() => loadTabAuthConfig({ NODE_ENV: 'production', MELDWIJZER_DEV_AUTH: 'true' })).toThrow(/production/);
  expect(() => loadConfig({ ...dev, HOST: '0.0.0.0', MicrosoftAppId: 'x', MELDWIJZER_DEV_AUTH: 'true' })).toThrow(/loopback/);
});

test('the policy file comes from the configuration, passed in by the host', () => {
  const file = path.join(__dirname, 'some-policy.json');
  expect(policyPathFromEnv({ MELDWIJZER_POLICY: file })).toBe(file);
  try {
    usePolicyFile(file);
    expect(defaultPolicyPath()).toBe(file);
  } finally {
    usePolicyFile(undefined);
  }
  expect(defaultPolicyPath()).toMatch(/policy[\\/]meldwijzer\.json$/);
});
