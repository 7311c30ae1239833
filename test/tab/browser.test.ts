jest.mock('jose', () => require('../support/joseShim'));

/**
 * The coordinator tab in a real browser (Debian chromium + playwright-core) against the real server and the real
 * SQLite repository on 127.0.0.1, signed in through the dev sign-in (outside Teams app.initialize() rejects).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserDescribe, launchChromium, pngStats, type LaunchedChromium } from '../support/browser';
import type { TabRepo } from './fixtures';
import { CLIENT_ID, TENANT, startLocalEntra, type LocalEntra } from '../support/entra';
import { COORD_HEERDE, ENTRA_COORD, PROF, realRepo, seedStandard, startTab, type RunningTab, type SeedKey } from './harness';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');
const describeBrowser = browserDescribe();

describeBrowser('coordinator tab in Chromium (dev sign-in)', () => {
  let tab: RunningTab;
  let repo: TabRepo;
  let closeRepo: () => Promise<void>;
  let N: Record<SeedKey, string>;
  let browser: LaunchedChromium;
  let page: Page;
  const problems: string[] = [];

  jest.setTimeout(60_000);

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const real = await realRepo();
    repo = real.repo;
    closeRepo = real.close;
    N = await seedStandard(repo, real.clock);
    tab = await startTab({ repo, auth: { devAuth: true }, env: { NODE_ENV: 'development' } });
    browser = await launchChromium();
    page = browser.page;
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await tab?.close();
    await closeRepo?.();
  });

  const row = (nummer: string) => page.locator(`#consultations tbody tr[data-nummer="${nummer}"]`);
  const rowNummers = async () => (await page.locator('#consultations tbody tr[data-nummer]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-nummer')))).sort();

  test('outside Teams: dev sign-in with the visible banner, then the list loads', async () => {
    await page.goto(`${tab.baseUrl}/tab/`);
    await page.locator('#signin').waitFor({ state: 'visible' });
    await expectVisibleText('#dev-banner', 'Ontwikkelmodus — niet voor productie');
    await page.selectOption('#signin-user', COORD_HEERDE);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.locator('#consultations tbody tr[data-nummer]').first().waitFor();
    // Default filter: open and in behandeling, own gemeente only.
    expect(await rowNummers()).toEqual([N.H1, N.H2, N.H4].sort());
    await expectVisibleText('#whoami', 'AF Heerde (test)');
    await expectVisibleText('#dev-banner', 'Ontwikkelmodus');
    expect(await page.locator('#list-status').textContent()).toBe('3 consultaties getoond');
  });

  test('filters work', async () => {
    await page.selectOption('#f-doelgroep', 'kind');
    await poll(rowNummers).toEqual([N.H1]);
    await page.selectOption('#f-status', '');
    await poll(rowNummers).toEqual([N.H1, N.H3].sort());
    await page.selectOption('#f-doelgroep', '');
    await page.selectOption('#f-urgentie', 'deze-week');
    await poll(rowNummers).toEqual([N.H2]);
    await page.selectOption('#f-urgentie', '');
    await poll(rowNummers).toEqual([N.H1, N.H2, N.H3, N.H4].sort());
  });

  test('sortable columns', async () => {
    await page.locator('th[data-sort="urgentie"] button').click();
    await poll(() => page.locator('th[data-sort="urgentie"]').getAttribute('aria-sort')).toBe('ascending');
    await poll(() => page.locator('#consultations tbody tr td.urgentie').first().textContent()).toBe('Vandaag');
    const first = await page.locator('#consultations tbody tr').first().getAttribute('data-nummer');
    expect(first).toBe(N.H1);
    await page.locator('th[data-sort="urgentie"] button').click();
    await poll(() => page.locator('th[data-sort="urgentie"]').getAttribute('aria-sort')).toBe('descending');
    await poll(() => page.locator('#consultations tbody tr').last().getAttribute('data-nummer')).toBe(N.H1);
  });

  test('the gemeente is shown by name, not by CBS code', async () => {
    expect(await row(N.H1).locator('td.gemeente').textContent()).toBe('Heerde');
  });

  test('status change: Oppakken then Afronden update the row and the repository', async () => {
    await row(N.H1).getByRole('button', { name: `Oppakken ${N.H1}` }).click();
    await poll(() => row(N.H1).locator('td.status').textContent()).toBe('In behandeling');
    expect(await row(N.H1).locator('td.assignee').textContent()).toBe('AF Heerde (test)');
    expect((await repo.get(N.H1))!.status).toBe('in-behandeling');
    expect(await page.locator('#live').textContent()).toContain('');
    // Afronden needs the stap 5 outcome (issue 13): without it the tab says so and nothing changes.
    await row(N.H1).getByRole('button', { name: `Afronden ${N.H1}` }).click();
    await poll(() => page.locator('#error').textContent()).toContain('Kies eerst de uitkomst');
    expect((await repo.get(N.H1))!.status).toBe('in-behandeling');
    await row(N.H1).getByRole('combobox', { name: `Uitkomst (stap 5) ${N.H1}` }).selectOption('hulp-georganiseerd');
    await row(N.H1).getByRole('button', { name: `Afronden ${N.H1}` }).click();
    await poll(() => row(N.H1).locator('td.status').textContent()).toBe('Afgerond · Hulp georganiseerd');
    expect(await repo.get(N.H1)).toMatchObject({ status: 'afgerond', uitkomst: 'hulp-georganiseerd' });
    expect(await row(N.H1).locator('td.acties button').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'tab-list.png'), fullPage: true });
  });

  test('a conflicting change shows the current state', async () => {
    // Someone else picks up H4 behind the page's back.
    const c = (await repo.get(N.H4))!;
    await repo.update(N.H4, c.version, { status: 'in-behandeling', assigneeId: 'other', assigneeName: 'Collega' }, { userId: 'other' }, 'test');
    await row(N.H4).getByRole('button', { name: `Oppakken ${N.H4}` }).click();
    await poll(() => page.locator('#error').textContent()).toContain('Iemand anders heeft');
    await poll(() => row(N.H4).locator('td.status').textContent()).toBe('In behandeling');
    expect(await row(N.H4).locator('td.assignee').textContent()).toBe('Collega');
  });

  test('monitoring: charts render as SVG with real bars; screenshot is not blank', async () => {
    await page.getByRole('button', { name: 'Monitoring' }).click();
    await page.selectOption('#s-periode', '');
    await poll(() => page.locator('#stats-total').textContent()).toContain('4 consultaties');
    // The outcome of the consultation closed above, per half year and gemeente (issue 13).
    await poll(() => page.locator('#chart-afsluiting').textContent()).toContain('Heerde · Hulp georganiseerd');
    for (const id of ['chart-maand', 'chart-halfjaar', 'chart-doelgroep', 'chart-stap', 'chart-melden', 'chart-afsluiting']) {
      const bars = await page.locator(`#${id} svg rect.bar`).evaluateAll((rects) =>
        rects.map((r) => {
          const b = (r as SVGGraphicsElement).getBoundingClientRect();
          return { w: b.width, h: b.height, v: Number(r.getAttribute('data-value')) };
        }),
      );
      expect(bars.length).toBeGreaterThan(0);
      const nonZero = bars.filter((b) => b.v > 0);
      expect(nonZero.length).toBeGreaterThan(0);
      for (const b of nonZero) {
        expect(b.w).toBeGreaterThan(0);
        expect(b.h).toBeGreaterThan(0);
      }
    }
    // Bars are proportional: the doelgroep "kind" (2) is twice as long as "partner" (1).
    const widths = await page.locator('#chart-doelgroep rect.bar').evaluateAll((rs) => rs.map((r) => (r as SVGGraphicsElement).getBoundingClientRect().width));
    expect(widths[0]! / widths[1]!).toBeCloseTo(2, 1);
    expect(await page.locator('#chart-maand svg').getAttribute('role')).toBe('img');
    const shot = await page.locator('#charts').screenshot({ path: path.join(ARTIFACTS, 'tab-monitoring.png') });
    await page.screenshot({ path: path.join(ARTIFACTS, 'tab-monitoring-page.png'), fullPage: true });
    const stats = pngStats(shot);
    expect(stats.width).toBeGreaterThan(300);
    expect(stats.distinctColours).toBeGreaterThan(8);
    expect(stats.nonBackgroundRatio).toBeGreaterThan(0.02);
  });

  test('Download CSV gives the aggregated figures', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^meldwijzer-monitoring.*\.csv$/);
    const file = path.join(ARTIFACTS, 'tab-monitoring.csv');
    await download.saveAs(file);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('halfjaar;maand;gemeente;doelgroep;stap;actie;uitkomst;status;aantal');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('\n')).not.toMatch(/dev-|requester/);
  });

  test('a professional sees only their own requests, no actions, no monitoring', async () => {
    await page.evaluate(() => window.sessionStorage.clear());
    await page.goto(`${tab.baseUrl}/tab/`);
    await page.locator('#signin').waitFor({ state: 'visible' });
    await page.selectOption('#signin-user', PROF);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.locator('#list-status').filter({ hasText: 'getoond' }).waitFor();
    await page.selectOption('#f-status', '');
    await poll(rowNummers).toEqual([N.H1, N.Z1, N.N1].sort());
    expect(await page.locator('#consultations td.acties button').count()).toBe(0);
    expect(await page.locator('#nav-monitoring').isVisible()).toBe(false);
    expect(await page.locator('#list-title').textContent()).toBe('Mijn consultaties');
  });

  test('English with ?lang=en', async () => {
    await page.goto(`${tab.baseUrl}/tab/?lang=en`);
    await page.locator('#list-status').filter({ hasText: 'shown' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expectVisibleText('#dev-banner', 'Development mode — not for production');
    expect(await page.locator('#list-title').textContent()).toBe('My consultations');
  });

  test('no CSP violations or page errors', () => {
    expect(problems).toEqual([]);
  });

  /** Retries an assertion until it holds (the page updates asynchronously), like Playwright's expect.poll. */
  function poll<T>(fn: () => Promise<T>, timeoutMs = 10_000) {
    const run = async (check: (v: T) => void) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        try {
          check(v);
          return;
        } catch (e) {
          if (Date.now() > end) throw e;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    return {
      toEqual: (x: unknown) => run((v) => expect(v).toEqual(x)),
      toBe: (x: unknown) => run((v) => expect(v).toBe(x)),
      toContain: (x: string) => run((v) => expect(v).toContain(x)),
    };
  }

  async function expectVisibleText(selector: string, text: string) {
    const loc = page.locator(selector);
    await loc.waitFor({ state: 'visible' });
    expect(await loc.textContent()).toContain(text);
  }
});

describeBrowser('coordinator tab in Chromium (Teams SSO path, stand-in teams-js)', () => {
  let entra: LocalEntra;
  let tab: RunningTab;
  let closeRepo: () => Promise<void>;
  let N: Record<SeedKey, string>;
  let browser: LaunchedChromium;
  jest.setTimeout(60_000);

  beforeAll(async () => {
    entra = await startLocalEntra();
    const real = await realRepo();
    closeRepo = real.close;
    N = await seedStandard(real.repo, real.clock);
    // Production-like: no dev auth at all, Entra SSO only.
    tab = await startTab({
      repo: real.repo,
      auth: { devAuth: false, clientId: CLIENT_ID, tenantIds: [TENANT], jwksUri: entra.jwksUri },
      env: { NODE_ENV: 'production' },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await tab?.close();
    await closeRepo?.();
    await entra?.close();
  });

  test('inside "Teams": initialize resolves, the SSO token is sent, no dev banner, no sign-in', async () => {
    const token = entra.token(ENTRA_COORD, { name: 'Beleidsadviseur Heerde' });
    const seen: string[] = [];
    // Stand-in for the Teams host: app.initialize() resolves and getAuthToken() returns an Entra token signed by the
    // local JWKS. Everything else in the page and the server is the real code.
    await browser.context.route(`${tab.baseUrl}/tab/teams-js.js`, (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `window.microsoftTeams = {
          app: { initialize: () => Promise.resolve(), getContext: () => Promise.resolve({ app: { theme: 'dark' } }),
                 registerOnThemeChangeHandler: () => {}, notifySuccess: () => {} },
          authentication: { getAuthToken: () => Promise.resolve(${JSON.stringify(token)}) }
        };`,
      }),
    );
    const page = browser.page;
    page.on('request', (r) => {
      if (r.url().includes('/api/tab/')) seen.push(`${r.url().replace(tab.baseUrl, '')} ${r.headers().authorization ? 'bearer' : 'none'}`);
    });
    await page.goto(`${tab.baseUrl}/tab/`);
    await page.locator('#consultations tbody tr[data-nummer]').first().waitFor();
    expect(await page.locator('#dev-banner').isVisible()).toBe(false);
    expect(await page.locator('#signin').isVisible()).toBe(false);
    expect(await page.locator('#whoami').textContent()).toContain('Beleidsadviseur Heerde');
    expect(await page.evaluate(() => document.body.classList.contains('theme-dark'))).toBe(true);
    const rows = await page.locator('#consultations tbody tr[data-nummer]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-nummer')));
    expect(rows.sort()).toEqual([N.H1, N.H2, N.H4].sort());
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.endsWith('bearer'))).toBe(true);
    expect(seen.some((s) => s.startsWith('/api/tab/config'))).toBe(false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'tab-teams-dark.png'), fullPage: true });
  });

  test.each([
    ['getAuthToken() rejects', 'Promise.reject(new Error("consent_required"))'],
    ['token from a tenant that is not allowed', 'Promise.resolve(OTHER)'],
  ])('SSO failure (%s) shows a clear message', async (_name, result) => {
    const other = entra.token(ENTRA_COORD, { tid: '99999999-8888-4777-8666-555555555555', iss: 'https://login.microsoftonline.com/99999999-8888-4777-8666-555555555555/v2.0' });
    await browser.context.unrouteAll();
    await browser.context.route(/^https?:\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort());
    await browser.context.route(`${tab.baseUrl}/tab/teams-js.js`, (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `var OTHER = ${JSON.stringify(other)}; window.microsoftTeams = {
          app: { initialize: () => Promise.resolve(), getContext: () => Promise.resolve({ app: { theme: 'default' } }),
                 registerOnThemeChangeHandler: () => {}, notifySuccess: () => {} },
          authentication: { getAuthToken: () => ${result} }
        };`,
      }),
    );
    const page = await browser.context.newPage();
    await page.goto(`${tab.baseUrl}/tab/`);
    await page.locator('#error').waitFor({ state: 'visible' });
    expect(await page.locator('#error').textContent()).toContain('Aanmelden via Microsoft Teams is niet gelukt');
    expect(await page.locator('#loading').isVisible()).toBe(false);
    expect(await page.locator('#consultations tbody tr').count()).toBe(0);
    await page.close();
  });

  test('outside Teams without dev auth: a notice, never a sign-in form', async () => {
    await browser.context.unrouteAll();
    // Re-add the loopback-only guard that unrouteAll removed.
    await browser.context.route(/^https?:\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort());
    const page = await browser.context.newPage();
    await page.goto(`${tab.baseUrl}/tab/`);
    await page.locator('#notice').waitFor({ state: 'visible' });
    expect(await page.locator('#notice h2').textContent()).toBe('Open deze pagina in Microsoft Teams');
    expect(await page.locator('#signin').isVisible()).toBe(false);
    expect(await page.locator('#dev-banner').isVisible()).toBe(false);
    await page.close();
  });
});
