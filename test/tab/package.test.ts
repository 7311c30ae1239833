/** Teams app package: icons, manifest substitution/validation and the zip written by scripts/package-app.js. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodePng } from '../support/png';
import { readZip } from '../support/unzip';

const root = path.resolve(__dirname, '..', '..');
const BOT = '11111111-1111-4111-8111-111111111111';
const AAD = '22222222-2222-4222-8222-222222222222';
const DOMAIN = 'meldwijzer.example.nl';
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meldwijzer-pkg-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(script: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(root, 'scripts', script), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
}

function pkg(env: Record<string, string>, dotenv = '') {
  const envFile = path.join(tmp, `env-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(envFile, dotenv);
  const out = path.join(tmp, `out-${Math.random().toString(36).slice(2)}`, 'meldwijzer.zip');
  return { out, r: run('package-app.js', ['--env', envFile, '--out', out], env) };
}

describe('icons', () => {
  test('color.png is 192×192 and colourful; outline.png is 32×32 white on transparent', () => {
    const color = decodePng(fs.readFileSync(path.join(root, 'appPackage', 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(fs.readFileSync(path.join(root, 'appPackage', 'outline.png')));
    expect([outline.width, outline.height, outline.channels]).toEqual([32, 32, 4]);
    let opaque = 0;
    let transparent = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      if (a! > 0) expect([r, g, b]).toEqual([255, 255, 255]);
      if (a === 255) opaque++;
      if (a === 0) transparent++;
    }
    expect(opaque).toBeGreaterThan(100);
    expect(transparent).toBeGreaterThan(300);
  });
});

describe('scripts/package-app.js', () => {
  test('writes a zip with manifest.json and both icons at the root; placeholders substituted', () => {
    const { out, r } = pkg({ MICROSOFT_APP_ID: BOT, AAD_APP_CLIENT_ID: AAD, BOT_DOMAIN: DOMAIN });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const entries = readZip(fs.readFileSync(out));
    expect(entries.map((e) => e.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const text = entries[0]!.data.toString('utf8');
    expect(text).not.toContain('${{');
    const m = JSON.parse(text);
    expect(Number(m.manifestVersion)).toBeGreaterThanOrEqual(1.17);
    expect(m.$schema).toContain(`/v${m.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(m.id).toBe(BOT);
    expect(m.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(m.bots).toHaveLength(1);
    expect(m.bots[0]).toMatchObject({ botId: BOT, scopes: ['personal', 'team'] });
    expect(m.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(['start', 'help', 'open consultaties']);
    const tab = m.staticTabs.find((t: { entityId: string }) => t.entityId === 'coordinator');
    expect(tab).toMatchObject({ contentUrl: `https://${DOMAIN}/tab/`, scopes: ['personal'] });
    expect(m.webApplicationInfo).toEqual({ id: AAD, resource: `api://${DOMAIN}/${AAD}` });
    expect(m.validDomains).toEqual([DOMAIN]);
    expect(m.developer.privacyUrl).toBe(`https://${DOMAIN}/tab/over.html#privacy`);
    expect(decodePng(entries[1]!.data).width).toBe(192);
    expect(decodePng(entries[2]!.data).width).toBe(32);
  });

  test('the zip passes `unzip -t` when unzip is installed', () => {
    const { out, r } = pkg({ MICROSOFT_APP_ID: BOT, AAD_APP_CLIENT_ID: AAD, BOT_DOMAIN: DOMAIN });
    expect(r.status).toBe(0);
    const u = spawnSync('unzip', ['-t', out], { encoding: 'utf8' });
    if (u.error) {
      console.warn('unzip not installed: skipped the cross-check with unzip -t');
      return;
    }
    expect(u.status).toBe(0);
    expect(u.stdout).toContain('No errors detected');
  });

  test('reads .env; the environment wins; TEAMS_APP_ID and APP_VERSION are optional overrides', () => {
    const teamsId = '33333333-3333-4333-8333-333333333333';
    const { out, r } = pkg(
      { BOT_DOMAIN: 'tab.example.org', APP_VERSION: '2.3.4' },
      `# comment\nMICROSOFT_APP_ID=${BOT}\nexport AAD_APP_CLIENT_ID="${AAD}"\nBOT_DOMAIN=ignored.example.nl\nTEAMS_APP_ID='${teamsId}'\n`,
    );
    expect(r.status).toBe(0);
    const m = JSON.parse(readZip(fs.readFileSync(out))[0]!.data.toString('utf8'));
    expect(m.id).toBe(teamsId);
    expect(m.version).toBe('2.3.4');
    expect(m.validDomains).toEqual(['tab.example.org']);
    expect(m.webApplicationInfo.resource).toBe(`api://tab.example.org/${AAD}`);
  });

  test('a missing variable is a clear error (exit 2) and writes nothing', () => {
    const { out, r } = pkg({ MICROSOFT_APP_ID: BOT });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing variable\(s\): AAD_APP_CLIENT_ID, BOT_DOMAIN/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('the manifest is checked against the official Teams schema (offline): an invalid field is refused with its path', () => {
    const dir = path.join(tmp, `app-${Math.random().toString(36).slice(2)}`);
    fs.cpSync(path.join(root, 'appPackage'), dir, { recursive: true, filter: (f) => !f.includes(`${path.sep}build`) });
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    m.name.short = 'Meldwijzer voor alle professionals in Nederland';
    m.accentColor = 'paars';
    m.unknownField = true;
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    const out = path.join(tmp, `bad-${Math.random().toString(36).slice(2)}`, 'meldwijzer.zip');
    const r = run('package-app.js', ['--env', '/nonexistent', '--out', out, '--dir', dir], { MICROSOFT_APP_ID: BOT, AAD_APP_CLIENT_ID: AAD, BOT_DOMAIN: DOMAIN });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/schema: \/name\/short must NOT have more than 30 characters/);
    expect(r.stderr).toMatch(/schema: \/accentColor must match pattern/);
    expect(r.stderr).toMatch(/additionalProperty.*unknownField/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('an icon of the wrong size is refused', () => {
    const dir = path.join(tmp, `app-${Math.random().toString(36).slice(2)}`);
    fs.cpSync(path.join(root, 'appPackage'), dir, { recursive: true, filter: (f) => !f.includes(`${path.sep}build`) });
    fs.copyFileSync(path.join(dir, 'outline.png'), path.join(dir, 'color.png'));
    const out = path.join(tmp, `bad-${Math.random().toString(36).slice(2)}`, 'meldwijzer.zip');
    const r = run('package-app.js', ['--env', '/nonexistent', '--out', out, '--dir', dir], { MICROSOFT_APP_ID: BOT, AAD_APP_CLIENT_ID: AAD, BOT_DOMAIN: DOMAIN });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/icons\.color must be 192×192, is 32×32/);
  });

  test('invalid values are refused with the reason', () => {
    const { r } = pkg({ MICROSOFT_APP_ID: 'not-a-guid', AAD_APP_CLIENT_ID: AAD, BOT_DOMAIN: 'https://meldwijzer.example.nl/' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/MICROSOFT_APP_ID must be a GUID/);
    expect(r.stderr).toMatch(/BOT_DOMAIN must be a host name/);
  });

  test('package.json has `npm run package`', () => {
    const p = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(p.scripts.package).toBe('node scripts/package-app.js');
  });
});
