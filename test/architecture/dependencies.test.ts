/**
 * The dependency rule of docs/architecture.md, enforced with dependency-cruiser (.dependency-cruiser.js): the domain
 * core imports nothing outside the domain core, features never import the host, shared machinery knows no feature,
 * the SDK stays in the host layer and the features' conversations, no cycles.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const depcruise = path.join(root, 'node_modules', '.bin', 'depcruise');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function cruise(cwd: string, config: string): { violations: Violation[]; modules: number } {
  const r = spawnSync(depcruise, ['src', 'dialogs', 'cards', '--config', config, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (!r.stdout) throw new Error(`depcruise failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: out.summary.violations, modules: out.summary.totalCruised };
}

test('the code base follows the dependency rule', () => {
  const { violations, modules } = cruise(root, path.join(root, '.dependency-cruiser.js'));
  expect(modules).toBeGreaterThan(50);
  expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
});

test('the rule catches a domain module that imports the host or the SDK, a feature or shared module that imports the host, shared machinery that imports a feature, and a cycle between features', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-arch-'));
  try {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true }, include: ['src', 'dialogs', 'cards'] }));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    write('src/meldcode/engine.ts', "import { t } from '../bot/texts';\nimport 'botbuilder';\nexport const x = t;\n");
    write('src/bot/texts.ts', 'export const t = 1;\n');
    write('src/overleg/a.ts', "import { b } from '../coordinator/b';\nexport const a = b;\n");
    write('src/coordinator/b.ts', "import { a } from '../overleg/a';\nexport const b = () => a;\n");
    write('src/bot/bot.ts', 'export interface BotFeature { flows?: unknown[] }\n');
    write('src/records/outbox.ts', "import type { BotFeature } from '../bot/bot';\nexport const f: BotFeature = {};\n");
    write('src/consultation/dialog.ts', "import { t } from '../bot/texts';\nexport const d = t;\n");
    write('dialogs/flow.ts', "import { d } from '../src/consultation/dialog';\nexport const flow = d;\n");
    write('cards/render.ts', "import { b } from '../src/coordinator/b';\nexport const r = b;\n");
    const { violations } = cruise(dir, path.join(root, '.dependency-cruiser.js'));
    const names = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to.replace(/^.*node_modules\/([^/]+)\/.*/, '$1')}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'domain-core-is-pure: src/meldcode/engine.ts → src/bot/texts.ts',
        'domain-core-is-pure: src/meldcode/engine.ts → botbuilder',
        'no-sdk-outside-hosts-and-adapters: src/meldcode/engine.ts → botbuilder',
        'features-never-import-the-host: src/records/outbox.ts → src/bot/bot.ts',
        'features-never-import-the-host: src/consultation/dialog.ts → src/bot/texts.ts',
        'shared-knows-no-feature: dialogs/flow.ts → src/consultation/dialog.ts',
        'shared-knows-no-feature: cards/render.ts → src/coordinator/b.ts',
      ]),
    );
    expect(names.filter((n) => n.startsWith('no-circular: src/'))).not.toHaveLength(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
