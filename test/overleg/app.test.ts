/**
 * The wiring in src/app.ts, end to end over HTTP: the product (createMeldwijzer without feature overrides) asks
 * for the overleg, notifies the Heerde aandachtsfunctionaris proactively (its own worker, its own CloudAdapter),
 * answers the Action.Execute invoke with the updated card and tells the requester.
 */
import type { Meldwijzer } from '../../src/app';
import { startTestApp, type TestApp } from '../support/testApp';
import { factsOf, personalChatOf, postAs, startMockConnector, until } from '../support/overlegHarness';

let t: TestApp;
let app: Meldwijzer;
let url: string;
let connector: Awaited<ReturnType<typeof startMockConnector>>;

beforeAll(async () => {
  t = await startTestApp({ overrides: { tabAuth: { devAuth: true, devSecret: 'app-test-dev-secret-0123456789' } } });
  ({ app, url } = t);
  connector = await startMockConnector();
});

afterAll(async () => {
  await t?.close();
  await connector?.close();
});

const AF = { id: '29:af-jeugd', aadObjectId: 'dev-af-jeugd-heerde', name: 'AF Jeugd' };
const REQ = { id: '29:leerkracht', aadObjectId: 'aad-leerkracht', name: 'Leerkracht' };
const convOf = personalChatOf;

const post = (from: typeof AF, extra: Record<string, unknown>) => postAs(url, connector.url, from, extra);

const lastCardTo = (u: { id: string }) => {
  const posts = connector.to(convOf(u)).filter((r) => r.body?.attachments?.length);
  return posts[posts.length - 1]?.body.attachments[0].content as Record<string, any>;
};


test('typed overleg request over HTTP → proactive card to the aandachtsfunctionaris → pick-up invoke → requester told', async () => {
  expect((await post(AF, { text: 'help' })).status).toBe(200); // stores the contact's conversation reference
  await post(REQ, { text: 'ik wil de aandachtsfunctionaris spreken' });
  const submit = async (inputs: Record<string, unknown>) => post(REQ, { value: { ...lastCardTo(REQ).actions[0].data, ...inputs } });
  await submit({ answer: 'nee' }); // the acute question comes first on every path
  await submit({ gemeente: 'GM0246' });
  await submit({ doelgroep: 'kind', leeftijdsgroep: '4-11' });
  await submit({ urgentie: 'vandaag' });
  await submit({ bereikbaarheid: 'teams-chat' });
  const confirmation = lastCardTo(REQ);
  const nummer = factsOf(confirmation).Consultatienummer!;
  expect(nummer).toMatch(/^MW-/);

  const card = await until(() => connector.to(convOf(AF)).find((r) => r.body?.attachments?.[0]?.content?.refresh)?.body.attachments[0].content as Record<string, any> | undefined);
  expect(factsOf(card)).toMatchObject({ Consultatienummer: nummer, Doelgroep: 'Een kind', Urgentie: 'Vandaag' });
  const oppakken = card.actions.find((a: any) => a.title === 'Oppakken');

  const r = await post(AF, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: oppakken.verb, data: oppakken.data }, trigger: 'manual' } });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(factsOf(r.body.value).Status).toBe('Opgepakt door AF Jeugd');

  await until(() => connector.to(convOf(REQ)).find((x) => x.body?.text === `Uw verzoek om overleg ${nummer} is opgepakt door AF Jeugd.`));
  expect(await app.repo.get(nummer)).toMatchObject({ status: 'in-behandeling', assigneeId: 'dev-af-jeugd-heerde', overlegGevraagd: true, contactRol: 'aandachtsfunctionaris-jeugd' });
});

test('the product wiring: Oppakken and Afronden in the tab reach the requester in the chat, once each (issue #9)', async () => {
  const WMO = { id: '29:wmo', aadObjectId: 'aad-wmo-zwolle', name: 'Wmo-consulent' };
  await post(WMO, { text: 'ik wil de aandachtsfunctionaris spreken' });
  const submit = async (inputs: Record<string, unknown>) => post(WMO, { value: { ...lastCardTo(WMO).actions[0].data, ...inputs } });
  await submit({ answer: 'nee' }); // the acute question comes first on every path
  await submit({ gemeente: 'GM0193' });
  await submit({ doelgroep: 'oudere' });
  await submit({ urgentie: 'deze-week' });
  await submit({ bereikbaarheid: 'telefoon' });
  const nummer = factsOf(lastCardTo(WMO)).Consultatienummer!;
  expect(nummer).toMatch(/^MW-/);

  // Zwolle has no named contact in the shipped policy: its coordinator (policy/access.json) handles it in the tab.
  const login = await fetch(`${url}/api/tab/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'dev-procescoordinator-zwolle' }) });
  const { token } = (await login.json()) as { token: string };
  const tab = async (status: string) => {
    const cur = (await (await fetch(`${url}/api/tab/consultations/${nummer}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    if (!cur.item) throw new Error(JSON.stringify(cur));
    return fetch(`${url}/api/tab/consultations/${nummer}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status, version: cur.item.version }),
    });
  };
  expect((await tab('in-behandeling')).status).toBe(200);
  const statusTexts = () => connector.to(convOf(WMO)).map((x) => x.body?.text as string | undefined).filter((x) => x && x.includes(nummer) && /opgepakt door|afgerond door/.test(x));
  await until(() => statusTexts().length === 1 || undefined);
  expect((await tab('afgerond')).status).toBe(200);
  await until(() => statusTexts().length === 2 || undefined);
  await new Promise((r) => setTimeout(r, 300));
  expect(statusTexts()).toEqual([
    `Uw verzoek om overleg ${nummer} is opgepakt door Procescoördinator Zwolle (ontwikkelaccount).`,
    `Uw verzoek om overleg ${nummer} is afgerond door Procescoördinator Zwolle (ontwikkelaccount).`,
  ]);
});
