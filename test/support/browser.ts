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

/** Decodes an 8-bit RGB/RGBA PNG (as Chromium writes screenshots) and reports whether it has more than one colour. */
export function pngStats(png: Buffer): { width: number; height: number; distinctColours: number; nonBackgroundRatio: number } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const zlib = require('node:zlib') as typeof import('node:zlib');
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colourType = 0;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('ascii', off + 4, off + 8);
    const data = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8]!;
      colourType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (bitDepth !== 8 || (colourType !== 2 && colourType !== 6)) throw new Error(`unsupported PNG (depth ${bitDepth}, colour type ${colourType})`);
  const bpp = colourType === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[y * stride + x - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 0xff;
    }
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < out.length; i += bpp) {
    const key = (out[i]! << 16) | (out[i + 1]! << 8) | out[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const background = Math.max(...counts.values());
  const total = width * height;
  return { width, height, distinctColours: counts.size, nonBackgroundRatio: (total - background) / total };
}
