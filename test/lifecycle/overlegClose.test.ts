/**
 * Issue #13: the aandachtsfunctionaris closes from the overleg card with the stap 5 outcome (the card's choice goes
 * with the Action.Execute); the consultation leaves the open list and the municipal record gets the outcome.
 */
import type { Meldwijzer } from '../../src/app';
import { startTestApp, type TestApp } from '../support/testApp';
import { factsOf, personalChatOf, postAs, startMockConnector, until } from '../support/overlegHarness';

let t: TestApp;
let app: Meldwijzer;
let connector: Awaited<ReturnType<typeof startMockConnector>>;

beforeAll(async () => {
  t = await startTestApp();
  app = t.app;
  connector = await startMockConnector();
});
afterAll(async () => {
  await t?.close();
  await connector?.close();
});

const AF = { id: '29:af-jeugd', aadObjectId: 'dev-af-jeugd-heerde', name: 'AF Jeugd' };
const REQ = { id: '29:leerkracht', aadObjectId: 'aad-leerkracht', name: 'Leerkracht' };
const convOf = personalChatOf;

const post = (from: typeof AF, extra: Record<string, unknown>) => postAs(t.url, connector.url, from, extra);
const lastCardTo = (u: { id: string }) => {
  const posts = connector.to(convOf(u)).filter((r) => r.body?.attachments?.length);
  return posts[posts.length - 1]?.body.attachments[0].content as Record<string, any>;
};
const invoke = (from: typeof AF, verb: string, data: Record<string, unknown>) =>
  post(from, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });

test('Afronden on the overleg card carries the stap 5 outcome; the consultation leaves the open list; the record follows', async () => {
  await post(AF, { text: 'help' });
  await post(REQ, { text: 'ik wil de aandachtsfunctionaris spreken' });
  const submit = async (inputs: Record<string, unknown>) => post(REQ, { value: { ...lastCardTo(REQ).actions[0].data, ...inputs } });
  await submit({ answer: 'nee' });
  await submit({ gemeente: 'GM0246' });
  await submit({ doelgroep: 'kind', leeftijdsgroep: '4-11' });
  await submit({ urgentie: 'vandaag' });
  await submit({ bereikbaarheid: 'teams-chat' });
  const nummer = factsOf(lastCardTo(REQ)).Consultatienummer!;

  const card = await until(() => connector.to(convOf(AF)).find((r) => r.body?.attachments?.[0]?.content?.refresh)?.body.attachments[0].content as Record<string, any> | undefined);
  const oppakken = card.actions.find((a: any) => a.title === 'Oppakken');
  const picked = await invoke(AF, oppakken.verb, oppakken.data);
  // The picked-up card asks the outcome beside Afronden.
  const choice = picked.body.value.body.find((b: any) => b.type === 'Input.ChoiceSet' && b.id === 'uitkomst');
  expect(choice.choices.map((c: any) => c.title)).toEqual(['Gemeld bij Veilig Thuis', 'Hulp georganiseerd', 'Afgesloten zonder zorgen', 'Doorverwezen']);
  const afronden = picked.body.value.actions.find((a: any) => a.title === 'Afronden');
  const done = await invoke(AF, afronden.verb, { ...afronden.data, uitkomst: 'gemeld-veilig-thuis' });
  expect(done.body.value.body.some((b: any) => b.type === 'Input.ChoiceSet')).toBe(false);
  expect(await app.repo.get(nummer)).toMatchObject({ status: 'afgerond', uitkomst: 'gemeld-veilig-thuis' });

  // Gone from the requester's open list.
  await post(REQ, { text: 'mijn consultaties' });
  const list = JSON.stringify(lastCardTo(REQ));
  expect(list).toContain('U heeft geen open consultaties');

  // The coordinator's list counts by state, closed ones with their outcome.
  const COORD = { id: '29:coord', aadObjectId: '00000000-0000-0000-0000-000000000246', name: 'Coördinator Heerde' };
  await post(COORD, { text: 'open consultaties' });
  const coordinatorList = JSON.stringify(lastCardTo(COORD));
  expect(coordinatorList).toContain('afgerond: 1 (Gemeld bij Veilig Thuis 1)');
  expect(coordinatorList).not.toContain(nummer);

  // The municipal record carries the outcome and the month of closing.
  const recordId = (await (app.repo as any).recordIdOf(nummer)) as string;
  await app.worker!.drain();
  const [row] = await app.municipalApi!.db.query<{ doc: string }>('SELECT doc FROM municipal_consultations WHERE record_id = $1', [recordId]);
  expect(JSON.parse(row!.doc)).toMatchObject({ status: 'afgerond', uitkomst: 'gemeld-veilig-thuis', afgerondMaand: new Date().toISOString().slice(0, 7) });
}, 60_000);
