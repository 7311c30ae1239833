/**
 * Issue #13 in chat, over HTTP against the product (createMeldwijzer on SQLite files): a consultation is stored, the
 * bot restarts, 14 simulated days pass, the professional lists their consultations, resumes one ("verder met"), gets
 * the next advice on the same number, closes it with the stap 5 outcome (button and typed), reopens it within 30 days
 * and not after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Meldwijzer } from '../../src/app';
import { startTestApp } from '../support/testApp';
import { personalChatOf, postAs, startMockConnector } from '../support/overlegHarness';

let dir: string;
let connector: Awaited<ReturnType<typeof startMockConnector>>;
let app: Meldwijzer;
let url: string;
let clock = new Date('2026-03-02T09:00:00Z');

/** The product on the same database files each time (a restart keeps everything). */
async function start(): Promise<void> {
  ({ app, url } = await startTestApp({ dir, overrides: { now: () => clock } }));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-lifecycle-'));
  connector = await startMockConnector();
  await start();
});
afterAll(async () => {
  await app?.close();
  await connector?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const REQ = { id: '29:mentor', aadObjectId: 'aad-mentor', name: 'Mentor' };
const OTHER = { id: '29:other', aadObjectId: 'aad-other', name: 'Ander' };
const convOf = personalChatOf;

async function post(from: typeof REQ, extra: Record<string, unknown>): Promise<void> {
  expect((await postAs(url, connector.url, from, extra)).status).toBe(200);
}
const say = (text: string, u = REQ) => post(u, { text });
const replies = (u = REQ) => connector.to(convOf(u)).map((r) => r.body);
const last = (u = REQ) => replies(u)[replies(u).length - 1];
const lastCard = (u = REQ) => [...replies(u)].reverse().find((b) => b?.attachments?.length)?.attachments[0].content as Record<string, any>;
const lastText = (u = REQ) => [...replies(u)].reverse().find((b) => b?.text)?.text as string;

/** Answers whatever question card is shown (buttons where the card has buttons), until the advice card comes. */
async function answerUntilAdvice(answers: Record<string, Record<string, unknown>>): Promise<Record<string, any>> {
  for (let i = 0; i < 15; i++) {
    const card = lastCard();
    const data = card.actions?.[0]?.data as Record<string, unknown> | undefined;
    const mw = String(data?.mw ?? '');
    if (!mw || !data?.run) return card;
    const key = mw.startsWith('afweging:') ? 'afweging' : mw;
    const a = answers[key];
    if (!a) throw new Error(`no answer for ${mw}`);
    await post(REQ, { value: { ...data, ...a } });
  }
  throw new Error('no advice');
}

const nummerOf = (card: Record<string, any>) => /MW-[23456789A-Z]{6}/.exec(JSON.stringify(card))?.[0];

test('resumed after a restart and 14 days; closed with an outcome; reopened within 30 days and not after', async () => {
  await say('ik maak me zorgen over een leerling');
  const advice = await answerUntilAdvice({
    acuut: { answer: 'nee' },
    gemeente: { gemeente: 'GM0246' },
    sector: { sector: 'onderwijs' },
    doelgroep: { doelgroep: 'kind', leeftijdsgroep: '4-11' },
    medewerker: { answer: 'nee' },
    signalen: { signalen: 'lichamelijk-letsel,gedrag-angstig', vormen: '', disclosure: 'false' },
    notitie: { keep: 'false' },
    stappen: { stappen: '1' },
  });
  const nummer = nummerOf(advice)!;
  expect(nummer).toBeDefined();
  expect((await app.repo.get(nummer))!.advice.stap).toBe(2);

  // Restart, 14 days later.
  await app.close();
  clock = new Date('2026-03-16T09:00:00Z');
  await start();

  for (const words of ['mijn consultaties', 'lijst', 'Overzicht', 'mijn aanvragen']) {
    await say(words);
    const list = JSON.stringify(lastCard());
    expect(list).toContain(nummer);
    expect(list).toContain('Stap 2');
  }
  // Number, step and status only: no case details on the card.
  expect(JSON.stringify(lastCard())).not.toMatch(/blauwe|leerling|GM0246|Heerde/i);
  // Someone else never sees it, and cannot act on it.
  await say('mijn consultaties', OTHER);
  expect(JSON.stringify(lastCard(OTHER))).not.toContain(nummer);
  await say(`afsluiten ${nummer} gemeld`, OTHER);
  expect(lastText(OTHER)).toContain('Ik vind geen consultatie');

  // Typed resume: what happened since (steps), then the afwegingsvragen, then the next advice on the same number.
  await say(`verder met ${nummer.toLowerCase()}`);
  expect(lastText()).toContain(`Verder met ${nummer}`);
  const next = await answerUntilAdvice({
    acuut: { answer: 'nee' },
    stappen: { stappen: '1,2,3' },
    afweging: { answer: 'ja' },
  });
  expect(nummerOf(next)).toBe(nummer);
  const resumed = (await app.repo.get(nummer))!;
  expect(resumed.version).toBe(2);
  expect(resumed.case.stappenGedaan).toEqual([1, 2, 3]);
  const history = await app.repo.history(nummer);
  expect(history).toContainEqual({ at: '2026-03-16T09:00:00.000Z', version: 2, event: 'stap-gezet:3' });
  expect(history.some((h) => h.event.startsWith('afweging:vermoeden'))).toBe(true);

  // Close with the button from the list, the outcome typed.
  await say('mijn consultaties');
  const close = lastCard().body.flatMap((b: any) => b.items ?? []).flatMap((i: any) => i.actions ?? []).find((a: any) => a.data?.actie === 'afsluiten' && a.data?.nummer === nummer);
  await post(REQ, { value: close.data });
  expect(lastCard().body[0].text).toBeDefined();
  expect(JSON.stringify(lastCard())).toContain('Gemeld bij Veilig Thuis');
  // Not an outcome: the same question again (no guess, no loop), still open.
  const before = replies().length;
  await say('weet niet');
  expect(replies().length).toBe(before + 1);
  expect(JSON.stringify(lastCard())).toContain('Stap 5: wat is de uitkomst?');
  expect((await app.repo.get(nummer))!.status).toBe('open');
  await say('2');
  expect(lastText()).toContain(`${nummer} is afgesloten: Hulp georganiseerd`);
  expect(await app.repo.get(nummer)).toMatchObject({ status: 'afgerond', uitkomst: 'hulp-georganiseerd' });

  // Closed ones leave the open list (they can be reopened from it).
  await say('mijn consultaties');
  expect(JSON.stringify(lastCard())).toContain('U heeft geen open consultaties');
  const reopen = lastCard().body.flatMap((b: any) => b.items ?? []).flatMap((i: any) => i.actions ?? []).find((a: any) => a.data?.actie === 'heropen');
  expect(reopen.data.nummer).toBe(nummer);

  // Reopen by button, close in one typed line, then 31 days later reopening is refused.
  clock = new Date('2026-03-20T09:00:00Z');
  await post(REQ, { value: reopen.data });
  expect(lastText()).toContain(`${nummer} is weer open`);
  await say(`afsluiten ${nummer} doorverwezen`);
  expect(await app.repo.get(nummer)).toMatchObject({ status: 'afgerond', uitkomst: 'doorverwezen' });
  clock = new Date('2026-04-21T09:00:00Z');
  await say(`heropen ${nummer}`);
  expect(lastText()).toContain('kan niet meer worden heropend');
  expect((await app.repo.get(nummer))!.status).toBe('afgerond');
  // Resuming a closed one says how to reopen, and never loops.
  await say(`verder met ${nummer}`);
  expect(lastText()).toContain('is afgerond');
  expect(last()).toBeDefined();
}, 60_000);
