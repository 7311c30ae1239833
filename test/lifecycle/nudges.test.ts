/**
 * Issue #13: follow-up nudges with a fake clock, through the product wiring (conversation reference store and
 * notification outbox): after 10 working days without movement one proactive message (number and step only) with
 * Verder / Afsluiten / Later; at most one per week; never for the 112 route or closed ones; the buttons work.
 */
import type { Meldwijzer } from '../../src/app';
import { workingDaysBefore } from '../../src/consultation/nudges';
import { startTestApp, type TestApp } from '../support/testApp';
import { personalChatOf, postAs, startMockConnector, until } from '../support/overlegHarness';
import { newConsultation, sampleAdvice, sampleCase } from '../support/fixtures';

let t: TestApp;
let app: Meldwijzer;
let connector: Awaited<ReturnType<typeof startMockConnector>>;
// Monday.
let clock = new Date('2026-03-02T09:00:00Z');

const REQ = { id: '29:wijkcoach', aadObjectId: 'aad-wijkcoach', name: 'Wijkcoach' };
const convOf = personalChatOf;

beforeAll(async () => {
  connector = await startMockConnector();
  t = await startTestApp({ overrides: { now: () => clock, nudgeIntervalMs: 0 } });
  app = t.app;
});
afterAll(async () => {
  await t?.close();
  await connector?.close();
});

async function post(extra: Record<string, unknown>): Promise<void> {
  expect((await postAs(t.url, connector.url, REQ, extra)).status).toBe(200);
}

const nudgesFor = (nummer: string) =>
  connector.to(convOf(REQ)).filter((r) => typeof r.body?.text === 'string' && r.body.text.includes(nummer) && r.body.text.includes('staat al een tijd stil'));

const at = (iso: string) => {
  clock = new Date(iso);
};

test('working days skip the weekend', () => {
  expect(workingDaysBefore(new Date('2026-03-16T09:00:00Z'), 10).toISOString()).toBe('2026-03-02T09:00:00.000Z');
  expect(workingDaysBefore(new Date('2026-03-09T09:00:00Z'), 1).toISOString()).toBe('2026-03-06T09:00:00.000Z');
});

test('one nudge after 10 working days, at most one a week, never for 112 or closed ones; Later and Afsluiten work', async () => {
  await post({ text: 'help' }); // stores the conversation reference
  const requesterId = REQ.aadObjectId;
  const a = await app.repo.create(newConsultation({ requesterId, overlegGevraagd: false, urgentie: null }));
  const acute = await app.repo.create(newConsultation({ requesterId, case: { ...sampleCase, acuutGevaar: true }, advice: { ...sampleAdvice, stap: 1, actie: '112' } }));
  const closed = await app.repo.create(newConsultation({ requesterId, overlegGevraagd: false }));
  await app.repo.update(closed.nummer, closed.version, { status: 'afgerond', uitkomst: 'afgesloten-zonder-zorgen' }, { userId: requesterId }, 'afsluiten');

  at('2026-03-13T09:00:00Z'); // 9 working days
  expect(await app.nudges.runOnce()).toBe(0);
  at('2026-03-16T09:00:01Z'); // 10 working days (two weekends)
  expect(await app.nudges.runOnce()).toBe(1);
  const [nudge] = await until(() => nudgesFor(a.nummer).length === 1 && nudgesFor(a.nummer));
  expect(nudge!.body.text).toBe(`Consultatie ${a.nummer} (stap 2) staat al een tijd stil. Wilt u verder, afsluiten, of later?`);
  const card = nudge!.body.attachments[0].content;
  expect(card.actions.map((x: any) => x.title)).toEqual(['Verder', 'Afsluiten', 'Later']);
  // Number and step only: nothing about the case.
  expect(JSON.stringify(nudge!.body)).not.toMatch(/GM0246|kind|blauwe|onderwijs|4-11/);

  // At most one per week.
  expect(await app.nudges.runOnce()).toBe(0);
  at('2026-03-20T09:00:00Z');
  expect(await app.nudges.runOnce()).toBe(0);
  at('2026-03-23T09:00:02Z');
  expect(await app.nudges.runOnce()).toBe(1);
  await until(() => nudgesFor(a.nummer).length === 2);
  expect(nudgesFor(acute.nummer)).toHaveLength(0);
  expect(nudgesFor(closed.nummer)).toHaveLength(0);

  // The buttons: Later answers politely; Afsluiten asks the stap 5 outcome.
  const later = card.actions.find((x: any) => x.title === 'Later');
  await post({ value: later.data });
  await until(() => connector.to(convOf(REQ)).some((r) => r.body?.text === `Prima. Over ${a.nummer} hoort u op zijn vroegst over een week weer van mij.`));
  const afsluiten = card.actions.find((x: any) => x.title === 'Afsluiten');
  await post({ value: afsluiten.data });
  await post({ text: 'hulp georganiseerd' });
  expect(await app.repo.get(a.nummer)).toMatchObject({ status: 'afgerond', uitkomst: 'hulp-georganiseerd' });
  at('2026-04-13T09:00:00Z');
  expect(await app.nudges.runOnce()).toBe(0);
}, 60_000);
