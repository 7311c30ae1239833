/**
 * Reusable headless Chromium for browser tests: Debian chromium (/usr/bin/chromium) driven by playwright-core, with
 * the flags from docs/toolchain.md and a fresh temporary user-data-dir per launch. Never downloads a browser.
 *
 *   const describeBrowser = browserDescribe();          // describe, or describe.skip with a visible message
 *   describeBrowser('…', () => { const b = await launchChromium(); … await b.close(); });
 *
 * When chromium is missing: skipped (with a message) locally, a failure in CI (`CI` set).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.MEL_CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` when chromium is there; otherwise `describe.skip` plus a visible warning — or, in CI, a describe whose
 * single test fails, so a missing browser never passes silently.
 */
export function browserDescribe(): jest.Describe | ((name: string, fn: () => void) => void) {
  if (chromiumAvailable()) return describe;
  if (process.env.CI) {
    return (name: string) =>
      describe(name, () => {
        test('chromium is installed', () => {
          throw new Error(`${CHROMIUM_PATH} not found: browser tests cannot run in CI without Debian chromium (apt-get install -y chromium)`);
        });
      });
  }
  process.stderr.write(`\n⚠ browser tests SKIPPED: ${CHROMIUM_PATH} not found (apt-get install -y chromium). In CI this fails.\n\n`);
  return describe.skip;
}

export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  userDataDir: string;
  close(): Promise<void>;
}

/** Launches chromium with a fresh temporary profile; close() also removes the profile. Loopback only. */
export async function launchChromium(opts: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<LaunchedChromium> {
  if (!chromiumAvailable()) throw new Error(`${CHROMIUM_PATH} not found`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meldwijzer-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    locale: opts.locale ?? 'nl-NL',
    timeout: 30_000,
  });
  // Keep tests on loopback: anything else is aborted.
  await context.route(/^https?:\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    userDataDir,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export { decodePng, pngStats } from './png';
