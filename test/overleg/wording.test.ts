/**
 * Issue #9, local wording in the overleg flow: the chat names the gemeente's routed contact (Tilburg → de Toegang),
 * says "aangevraagd" until delivery is known and "bezorgd" after it, never "doorgestuurd" before; when Teams cannot
 * deliver, the requester gets a phone number (the contact's, or Veilig Thuis 0800-2000), never only "neem zelf
 * contact op".
 */
import { loadPolicy } from '../../src/meldcode/policy';
import { OverlegHarness, USERS, fakeTransport, openStore, type User } from '../support/overlegHarness';
import type { Reply } from '../support/botHarness';

async function setup() {
  const store = await openStore();
  const transport = fakeTransport();
  const h = new OverlegHarness(store, loadPolicy(), { transport });
  const drain = () => h.feature.worker!.drain({ timeoutMs: 5000 });
  return { store, transport, h, drain };
}

/** The typed overleg dialog, keeping every text the requester saw. */
async function typedRequest(h: OverlegHarness, user: User, gemeente: string, doelgroep: 'kind' | 'partner') {
  const all: string[] = [];
  const last = (r: Reply[]) => [...r].reverse().find((x) => x.card)?.card;
  const keep = (r: Reply[]) => {
    for (const x of r) all.push(x.text ?? '', JSON.stringify(x.card ?? ''));
    return r;
  };
  let r = keep(await h.say(user, 'ik wil de aandachtsfunctionaris spreken'));
  // Every path asks the acute question first.
  r = keep(await h.sendValue(user, { ...last(r)!.actions[0].data, answer: 'nee' }));
  r = keep(await h.sendValue(user, { ...last(r)!.actions[0].data, gemeente }));
  r = keep(await h.sendValue(user, { ...last(r)!.actions[0].data, doelgroep, leeftijdsgroep: doelgroep === 'kind' ? '4-11' : '' }));
  r = keep(await h.sendValue(user, { ...last(r)!.actions[0].data, urgentie: 'vandaag' }));
  keep(await h.sendValue(user, { ...last(r)!.actions[0].data, bereikbaarheid: 'teams-chat' }));
  const nummer = /MW-[A-Z0-9]{6}/.exec(all.join(' '))?.[0];
  if (!nummer) throw new Error('no consultation number');
  return { text: all.join('\n'), nummer };
}

test('Tilburg: the chat names de Toegang, never "de aandachtsfunctionaris" as the addressee; "aangevraagd", then "bezorgd"', async () => {
  const { h, store, transport, drain } = await setup();
  const { text, nummer } = await typedRequest(h, USERS.consulent, 'GM0855', 'partner');
  expect(text).toContain(`is aangevraagd bij: De Toegang Tilburg`);
  expect(text).not.toMatch(/overleg aan met de aandachtsfunctionaris/i);
  expect(text).not.toMatch(/doorgestuurd/i);
  expect(transport.textsTo('aad-consulent')).toEqual([]); // nothing claims delivery before it happened
  await drain();
  expect(transport.sent.filter((s) => s.to === 'dev-toegang-tilburg')).toHaveLength(1);
  expect(transport.textsTo('aad-consulent')).toEqual([`Uw verzoek om overleg ${nummer} is bezorgd bij: De Toegang Tilburg (GGD, IMW, MEE): eerste aanspreekpunt. U hoort het hier zodra het is opgepakt.`]);
  await store.db.close();
});

test('Heerde: the routed aandachtsfunctionaris Jeugd is named', async () => {
  const { h, store } = await setup();
  const { text } = await typedRequest(h, USERS.leerkracht, 'GM0246', 'kind');
  expect(text).toContain('is aangevraagd bij: Aandachtsfunctionaris Jeugd (team STIP Heerde)');
  await store.db.close();
});

test('no Teams contact in the policy (Zwolle): the requester gets Veilig Thuis 0800-2000 with the contact', async () => {
  const { h, store } = await setup();
  const { text } = await typedRequest(h, USERS.consulent, 'GM0193', 'kind');
  expect(text).toContain('De aandachtsfunctionaris van uw organisatie is niet via Teams bereikbaar');
  expect(text).toMatch(/of bel Veilig Thuis: 0800-2000/);
  await store.db.close();
});

test('delivery failed (Tilburg has no deputy or channel): the fallback carries a phone number, Veilig Thuis 0800-2000', async () => {
  const { h, store, transport, drain } = await setup();
  transport.set('dev-toegang-tilburg', { ok: false, kind: 'gone', httpStatus: 403, reason: 'bot blocked' });
  const { nummer } = await typedRequest(h, USERS.consulent, 'GM0855', 'partner');
  await drain();
  const [msg, ...rest] = transport.textsTo('aad-consulent');
  expect(rest).toEqual([]);
  expect(msg).toContain(`kon via Teams niet worden bereikt voor uw verzoek ${nummer}`);
  expect(msg).toMatch(/Neem contact op met De Toegang Tilburg .*, of bel Veilig Thuis: 0800-2000/);
  expect(msg).not.toMatch(/bezorgd/);
  await store.db.close();
});
