/**
 * The consultation through Microsoft's Agents Playground (the local Teams client) in Debian chromium:
 * the real bot server on loopback, the Playground as a child process, a person typing and clicking.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMeldwijzer, type Meldwijzer } from '../../src/app';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/records/logger';
import { browserDescribe, launchChromium, type LaunchedChromium } from '../support/browser';
import { freePorts } from '../support/ports';
import { HOST_ENV } from '../support/host';

jest.setTimeout(120_000);
const describeBrowser = browserDescribe();

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`timeout waiting for ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describeBrowser('Agents Playground', () => {
  let app: Meldwijzer;
  let playground: ChildProcess;
  let browser: LaunchedChromium;
  let dir: string;
  let pgPort: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-e2e-'));
    const [botPort, port] = await freePorts(2);
    pgPort = port!;
    const config = loadConfig({
      ...HOST_ENV,
      NODE_ENV: 'test',
      PORT: String(botPort),
      MELDWIJZER_DB_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      MUNICIPAL_DB_URL: `sqlite:${path.join(dir, 'municipal.db')}`,
      MUNICIPAL_API_PORT: '0',
      MELDWIJZER_LANGUAGE: 'nl',
      LOG_LEVEL: 'silent',
    });
    app = await createMeldwijzer(config, { logger: silentLogger, env: { NODE_ENV: 'test' } });
    const botUrl = await app.listen();
    const cli = path.join(__dirname, '..', '..', 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
    playground = spawn(process.execPath, [cli, '-e', `${botUrl}/api/messages`, '-c', 'msteams', '-p', String(pgPort), '--dt'], {
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
      stdio: 'ignore',
    });
    await waitFor(`http://127.0.0.1:${pgPort}`, 60_000);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    playground?.kill('SIGTERM');
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a teacher types a worry, answers the cards and gets step 2 with the local contacts', async () => {
    const page = browser.page;
    await page.goto(`http://127.0.0.1:${pgPort}`, { waitUntil: 'domcontentloaded' });
    const editor = page.locator('[data-lexical-editor="true"]');
    await editor.waitFor({ timeout: 30_000 });
    await editor.click();
    await page.keyboard.type('Een leerling van groep 5 in Heerde heeft steeds blauwe plekken');
    await page.keyboard.press('Enter');

    await page.getByText('Is er nu iemand in acuut gevaar?').last().waitFor();
    await page.getByRole('button', { name: 'Nee', exact: true }).last().click();
    await page.getByText('typ geen namen').last().waitFor();
    await page.getByText('medewerker of collega').last().waitFor();
    await page.getByRole('button', { name: 'Nee', exact: true }).last().click();
    await page.getByText('Welke signalen ziet u?').last().waitFor();
    await page.getByRole('button', { name: 'Verder', exact: true }).last().click();
    await page.getByText('Welke stappen van de meldcode').last().waitFor();
    await page.getByText('1. Breng de signalen in kaart').last().click();
    await page.getByRole('button', { name: 'Verder', exact: true }).last().click();

    const title = page.getByText('Stap 2: Overleg met een collega en raadpleeg zo nodig Veilig Thuis').last();
    await title.waitFor({ timeout: 15_000 });
    await page.getByText('Aandachtsfunctionaris Jeugd (team STIP Heerde)').last().waitFor();
    await page.getByText('U beslist zelf als professional').last().waitFor();
    fs.mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: path.join('test-artifacts', 'playground-advice.png') });

    const nummer = /MW-[A-Z0-9]{6}/.exec(await page.getByText(/Consultatienummer: MW-/).last().innerText())![0];
    const stored = await app.repo.get(nummer);
    expect(stored?.case).toMatchObject({ gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', signalen: ['lichamelijk-letsel'], stappenGedaan: [1] });
    expect(stored?.advice.stap).toBe(2);
  });

  test('"stop" in the Playground ends the consultation', async () => {
    const page = browser.page;
    const editor = page.locator('[data-lexical-editor="true"]');
    await editor.click();
    await page.keyboard.type('start');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Ja', exact: true }).last().waitFor();
    await editor.click();
    await page.keyboard.type('stop');
    await page.keyboard.press('Enter');
    await page.getByText('Gestopt. Er is niets opgeslagen').last().waitFor();
  });
});
