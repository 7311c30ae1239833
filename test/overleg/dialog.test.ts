import { cardTitle, lastCard, texts } from '../support/botHarness';
import { OverlegHarness, USERS, buttonsOf, factsOf, fakeTransport, openStore } from '../support/overlegHarness';
import { NUMMER_PATTERN } from '../../src/consultation/repository';
import { notificationsOf } from '../../src/overleg/outbox';
import { loadPolicy } from '../../src/meldcode/policy';

async function setup() {
  const store = await openStore();
  const transport = fakeTransport();
  const h = new OverlegHarness(store, undefined, { transport });
  return { h, store, transport };
}

/** Walks the consultation dialog for a Heerde Wmo-consulent worried about an older person, up to the advice card. */
async function adviceFor(h: OverlegHarness) {
  const u = USERS.consulent;
  let r = await h.say(u, 'ik maak me zorgen over een oudere client');
  r = await h.press(u, lastCard(r), 'Nee');
  r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, gemeente: 'GM0246' });
  if (cardTitle(lastCard(r)).includes('sector')) r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, sector: 'wmo' });
  if (cardTitle(lastCard(r)).includes('Over wie')) r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, doelgroep: 'oudere' });
  r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, signalen: '', vormen: '', disclosure: 'false' });
  r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, stappen: '1' });
  const advice = lastCard(r)!;
  expect(cardTitle(advice)).toMatch(/^Stap 2/);
  return advice;
}

describe('overleg request dialog', () => {
  test('typed: asks gemeente, doelgroep, urgency and reachability; creates a consultation and confirms with a refreshable card', async () => {
    const { h, store } = await setup();
    const u = USERS.leerkracht;
    let r = await h.say(u, 'ik wil de aandachtsfunctionaris spreken');
    expect(texts(r)).toContain('Ik vraag overleg aan');
    // Every path asks the acute question first.
    expect(cardTitle(lastCard(r))).toBe('Is er nu iemand in acuut gevaar?');
    r = await h.press(u, lastCard(r), 'Nee');
    expect(cardTitle(lastCard(r))).toBe('In welke gemeente speelt dit?');
    r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, gemeente: 'GM0246' });
    expect(cardTitle(lastCard(r))).toBe('Over wie maakt u zich zorgen?');
    r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, doelgroep: 'kind', leeftijdsgroep: '4-11' });
    expect(cardTitle(lastCard(r))).toBe('Hoe snel wilt u overleggen?');
    expect(buttonsOf(lastCard(r))).toEqual(['Vandaag', 'Deze week', 'Geen haast']);
    r = await h.press(u, lastCard(r), 'Vandaag');
    expect(cardTitle(lastCard(r))).toBe('Hoe wilt u bereikt worden?');
    expect(buttonsOf(lastCard(r))).toEqual(['Teams-chat', 'Teams-bellen', 'Telefoon']);
    r = await h.press(u, lastCard(r), 'Teams-bellen');

    expect(texts(r)).toMatch(/Uw verzoek om overleg \(MW-[A-Z0-9]{6}\) is aangevraagd bij: Aandachtsfunctionaris Jeugd \(team STIP Heerde\)\. U hoort het hier zodra het is bezorgd/);
    const card = lastCard(r)!;
    expect(card.version).toBe('1.5');
    expect(card.refresh.action).toMatchObject({ type: 'Action.Execute', verb: 'mw.refresh' });
    expect(buttonsOf(card)).toEqual(['Intrekken']);
    const nummer = factsOf(card)['Consultatienummer']!;
    expect(nummer).toMatch(NUMMER_PATTERN);

    const c = (await store.repo.get(nummer))!;
    expect(c).toMatchObject({
      status: 'open',
      overlegGevraagd: true,
      urgentie: 'vandaag',
      bereikbaarheid: 'teams-bellen',
      contactRol: 'aandachtsfunctionaris-jeugd',
      requesterId: 'aad-leerkracht',
      case: { gemeente: 'GM0246', doelgroep: 'kind', leeftijdsgroep: '4-11' },
    });
    // Minimal case: nothing but what routing needs.
    expect(Object.keys(c.case).sort()).toEqual(['doelgroep', 'gemeente', 'leeftijdsgroep']);
    expect((await notificationsOf(store.db, nummer)).map((n) => n.kind)).toEqual(['request']);
    // The municipal record was enqueued by the repository.
    const outbox = await store.db.query<{ kind: string }>('SELECT kind FROM outbox');
    expect(outbox.map((o) => o.kind)).toEqual(['create']);
  });

  test('typed text that names gemeente and doelgroep skips those questions; typed answers work', async () => {
    const { h, store } = await setup();
    const u = USERS.consulent;
    let r = await h.say(u, 'overleg aanvragen over een oudere in Steenwijkerland');
    r = await h.say(u, 'nee');
    expect(cardTitle(lastCard(r))).toBe('Hoe snel wilt u overleggen?');
    r = await h.say(u, 'deze week');
    expect(cardTitle(lastCard(r))).toBe('Hoe wilt u bereikt worden?');
    r = await h.say(u, 'telefoon');
    const nummer = factsOf(lastCard(r))['Consultatienummer']!;
    expect(await store.repo.get(nummer)).toMatchObject({ urgentie: 'deze-week', bereikbaarheid: 'telefoon', contactRol: 'procescoordinator' });
  });

  test('bad card values and unknown text are re-prompted with the same question; a stale card is recognised', async () => {
    const { h, store } = await setup();
    const u = USERS.leerkracht;
    let r = await h.say(u, 'ik wil de aandachtsfunctionaris spreken');
    r = await h.press(u, lastCard(r), 'Nee');
    const gemeenteCard = lastCard(r)!;
    r = await h.sendValue(u, { ...gemeenteCard.actions[0].data, gemeente: 'GM9999' });
    expect(texts(r)).toContain('Die gemeente ken ik niet');
    expect(cardTitle(lastCard(r))).toBe('In welke gemeente speelt dit?');
    r = await h.sendValue(u, { ...gemeenteCard.actions[0].data, gemeente: 'GM0855' });
    r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, doelgroep: 'partner' });
    const urgCard = lastCard(r)!;
    r = await h.sendValue(u, { ...urgCard.actions[0].data, urgentie: 'morgen' });
    expect(texts(r)).toContain('Kies hoe snel u wilt overleggen');
    expect(cardTitle(lastCard(r))).toBe('Hoe snel wilt u overleggen?');
    r = await h.sendValue(u, { ...urgCard.actions[0].data, urgentie: ['vandaag'] });
    expect(texts(r)).toContain('Kies hoe snel u wilt overleggen');
    r = await h.say(u, 'ergens volgend jaar misschien');
    expect(texts(r)).toContain('Kies hoe snel');
    expect(texts(r)).toContain('Typ "stop"');
    // A click on the earlier gemeente card is stale, not applied.
    r = await h.sendValue(u, { ...gemeenteCard.actions[0].data, gemeente: 'GM0246' });
    expect(texts(r)).toContain('Die kaart hoort bij een eerdere vraag');
    r = await h.press(u, urgCard, 'Geen haast');
    r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, bereikbaarheid: 'postduif' });
    expect(texts(r)).toContain('Kies hoe u bereikt wilt worden');
    r = await h.press(u, lastCard(r), 'Teams-chat');
    const nummer = factsOf(lastCard(r))['Consultatienummer']!;
    expect(await store.repo.get(nummer)).toMatchObject({ urgentie: 'geen-haast', bereikbaarheid: 'teams-chat', contactRol: 'toegang', case: { gemeente: 'GM0855', doelgroep: 'partner' } });
  });

  test('"stop" during the request leaves nothing behind', async () => {
    const { h, store } = await setup();
    const u = USERS.leerkracht;
    await h.say(u, 'ik wil de aandachtsfunctionaris spreken');
    const r = await h.say(u, 'stop');
    expect(texts(r)).toContain('Gestopt');
    expect((await store.repo.list({})).items).toHaveLength(0);
  });

  test('from the advice card: the existing consultation is updated (compare-and-set), only urgency and reachability are asked', async () => {
    const { h, store } = await setup();
    const u = USERS.consulent;
    const advice = await adviceFor(h);
    expect(buttonsOf(advice)).toContain('Overleg aanvragen');
    const before = (await store.repo.list({})).items[0]!;
    expect(before.overlegGevraagd).toBe(false);
    let r = await h.press(u, advice, 'Overleg aanvragen');
    expect(cardTitle(lastCard(r))).toBe('Hoe snel wilt u overleggen?');
    r = await h.press(u, lastCard(r), 'Vandaag');
    r = await h.press(u, lastCard(r), 'Teams-chat');
    expect(texts(r)).toContain(`(${before.nummer}) is aangevraagd bij: Aandachtsfunctionaris Volwassenen en Ouderen`);
    const after = (await store.repo.get(before.nummer))!;
    expect(after).toMatchObject({ overlegGevraagd: true, urgentie: 'vandaag', bereikbaarheid: 'teams-chat', contactRol: 'aandachtsfunctionaris-volwassenen-ouderen', status: 'open', version: before.version + 1 });
    expect((await store.repo.list({})).items).toHaveLength(1);
    const audit = await store.repo.audit(before.nummer);
    expect(audit.map((a) => a.action)).toEqual(['aangemaakt', 'overleg.aangevraagd']);
    // A second click on the same advice card does not ask again.
    r = await h.press(u, advice, 'Overleg aanvragen');
    expect(texts(r)).toContain('is al overleg aangevraagd');
  });

  test('the advice-card button of someone else\'s consultation, or a forged value, changes nothing', async () => {
    const { h, store } = await setup();
    const advice = await adviceFor(h);
    const nummer = advice.actions[0].data.nummer as string;
    let r = await h.press(USERS.buitenstaander, advice, 'Overleg aanvragen');
    expect(texts(r)).toContain('Alleen wie de consultatie is begonnen');
    r = await h.sendValue(USERS.consulent, { mw: 'advies', actie: 'overleg', nummer: 'DROP TABLE' });
    expect(texts(r)).toContain('niet (meer) beschikbaar');
    expect((await store.repo.get(nummer))!.overlegGevraagd).toBe(false);
  });

  test('a contact without Teams configuration: the requester is told to get in touch and to call Veilig Thuis when in doubt', async () => {
    const store = await openStore();
    const h = new OverlegHarness(store, loadPolicy(), { transport: fakeTransport() });
    const u = USERS.leerkracht;
    let r = await h.say(u, 'ik wil de aandachtsfunctionaris spreken');
    r = await h.press(u, lastCard(r), 'Nee');
    r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, gemeente: 'anders' });
    r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, doelgroep: 'kind', leeftijdsgroep: '12-17' });
    r = await h.press(u, lastCard(r), 'Vandaag');
    r = await h.press(u, lastCard(r), 'Telefoon');
    expect(texts(r)).toContain('De aandachtsfunctionaris van uw organisatie is niet via Teams bereikbaar');
    expect(texts(r)).toContain('0800-2000');
    const nummer = factsOf(lastCard(r))['Consultatienummer']!;
    expect(await store.repo.get(nummer)).toMatchObject({ contactRol: 'aandachtsfunctionaris', overlegGevraagd: true });
    expect(await notificationsOf(store.db, nummer)).toHaveLength(0);
  });
});
