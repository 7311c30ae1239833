import { OverlegHarness, USERS, buttonsOf, factsOf, fakeTransport, noticeOf, openStore, requestTyped } from '../support/overlegHarness';
import { notificationsOf } from '../../src/overleg/outbox';
import { lastCard, texts } from '../support/botHarness';

async function setup() {
  const store = await openStore();
  const transport = fakeTransport();
  const h = new OverlegHarness(store, undefined, { transport });
  const drain = () => h.feature.worker!.drain({ timeoutMs: 5000 });
  return { h, store, transport, drain };
}

describe('overleg lifecycle: notify, pick up, close, withdraw', () => {
  test('the routed contact gets the card; pick-up and close are audited and the requester is told, by name', async () => {
    const { h, store, transport, drain } = await setup();
    const { nummer } = await requestTyped(h, USERS.leerkracht, { gemeente: 'GM0246', doelgroep: 'kind' });
    await drain();
    const toAf = transport.sent.filter((s) => s.to === 'dev-af-jeugd-heerde');
    expect(toAf).toHaveLength(1);
    const card = toAf[0]!.message.card as Record<string, any>;
    expect(card.version).toBe('1.5');
    expect(factsOf(card)).toMatchObject({ Consultatienummer: nummer, Doelgroep: 'Een kind', Urgentie: 'Vandaag', 'Bereikbaar via': 'Teams-chat', Status: 'Open: nog niet opgepakt' });
    expect(factsOf(card)['Geadviseerde stap']).toMatch(/^Stap \d: /);
    expect(buttonsOf(card)).toEqual(['Oppakken', 'Chat met aanvrager']);
    expect(card.actions.find((a: any) => a.type === 'Action.OpenUrl').url).toBe('https://teams.microsoft.com/l/chat/0/0?users=aad-leerkracht');
    // Refresh for the routed user, the deputy and the requester (MRI from the stored reference when known).
    expect(card.refresh.userIds).toEqual(['dev-af-jeugd-heerde', 'dev-af-volwassenen-heerde', '29:leerkracht']);
    expect(transport.sent.filter((s) => s.to === 'dev-af-volwassenen-heerde')).toHaveLength(0);

    let r = await h.click(USERS.afJeugd, card, 'Oppakken');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(factsOf(r.card).Status).toBe('Opgepakt door AF Jeugd');
    expect(noticeOf(r.card)).toContain('U heeft dit verzoek opgepakt');
    expect(buttonsOf(r.card)).toEqual(['Afronden', 'Chat met aanvrager']);
    await drain();
    // First "bezorgd" (delivery is known only now), then the pick-up, each once.
    expect(transport.textsTo('aad-leerkracht')).toEqual([`Uw verzoek om overleg ${nummer} is bezorgd bij: Aandachtsfunctionaris Jeugd (team STIP Heerde). U hoort het hier zodra het is opgepakt.`, `Uw verzoek om overleg ${nummer} is opgepakt door AF Jeugd.`]);

    // The requester's card refreshes to the same state, with only "Intrekken".
    const mine = await h.invoke(USERS.leerkracht, 'mw.refresh', { mw: 'overleg', nummer }, 'automatic');
    expect(factsOf(mine.card).Status).toBe('Opgepakt door AF Jeugd');
    expect(buttonsOf(mine.card)).toEqual(['Intrekken']);

    r = await h.click(USERS.afJeugd, r.card, 'Afronden');
    expect(factsOf(r.card).Status).toBe('Afgerond');
    expect(buttonsOf(r.card)).toEqual([]);
    await drain();
    expect(transport.textsTo('aad-leerkracht')[2]).toBe(`Uw verzoek om overleg ${nummer} is afgerond door AF Jeugd.`);

    const c = (await store.repo.get(nummer))!;
    expect(c).toMatchObject({ status: 'afgerond', assigneeId: 'dev-af-jeugd-heerde', assigneeName: 'AF Jeugd' });
    const audit = await store.repo.audit(nummer);
    expect(audit.map((a) => [a.actorId, a.action, a.from, a.to])).toEqual([
      ['aad-leerkracht', 'aangemaakt', null, 'open'],
      ['dev-af-jeugd-heerde', 'overleg.opgepakt', 'open', 'in-behandeling'],
      ['dev-af-jeugd-heerde', 'overleg.afgerond', 'in-behandeling', 'afgerond'],
    ]);
    // The municipal status updates were enqueued by the repository.
    const outbox = await store.db.query<{ kind: string; payload: string }>('SELECT kind, payload FROM outbox ORDER BY seq');
    expect(outbox.map((o) => (o.kind === 'status' ? JSON.parse(o.payload).status : o.kind))).toEqual(['create', 'in-behandeling', 'afgerond']);
  });

  test('two people pick up at the same moment: exactly one wins, the other gets "Al opgepakt door …" and a polite message', async () => {
    const { h, store, drain } = await setup();
    const { nummer } = await requestTyped(h, USERS.consulent, { gemeente: 'GM0246', doelgroep: 'oudere' });
    await drain();
    const data = { mw: 'overleg', nummer };
    const [a, b] = await Promise.all([h.invoke(USERS.afVolwassenen, 'mw.oppakken', data), h.invoke(USERS.afJeugd, 'mw.oppakken', data)]);
    const statuses = [factsOf(a.card).Status, factsOf(b.card).Status];
    const c = (await store.repo.get(nummer))!;
    expect(c.status).toBe('in-behandeling');
    const winner = c.assigneeName!;
    expect(['AF Volwassenen', 'AF Jeugd']).toContain(winner);
    expect(statuses).toEqual([`Opgepakt door ${winner}`, `Opgepakt door ${winner}`]);
    const loser = c.assigneeName === 'AF Jeugd' ? a : b;
    expect(noticeOf(loser.card)).toBe(`Al opgepakt door ${winner}. Dank u wel voor uw reactie; u hoeft niets meer te doen.`);
    expect((await store.repo.audit(nummer)).filter((x) => x.action === 'overleg.opgepakt')).toHaveLength(1);
  });

  test('many simultaneous pick-ups on the service: exactly one changes the consultation', async () => {
    const { h, store } = await setup();
    const { nummer } = await requestTyped(h, USERS.consulent, { gemeente: 'GM0246', doelgroep: 'kind' });
    const actors = Array.from({ length: 8 }, (_, i) => (i % 2 ? { userId: 'dev-af-jeugd-heerde', name: `Jeugd ${i}` } : { userId: 'dev-af-volwassenen-heerde', name: `Volw ${i}` }));
    const results = await Promise.all(actors.map((a) => h.feature.service.act('mw.oppakken', nummer, a, 'nl')));
    expect(results.filter((r) => r!.changed)).toHaveLength(1);
    const c = (await store.repo.get(nummer))!;
    expect(c.version).toBe(2);
    expect(results.filter((r) => !r!.changed).every((r) => factsOf(r!.card).Status === `Opgepakt door ${c.assigneeName}`)).toBe(true);
  });

  test('an unauthorised click is refused politely and changes nothing', async () => {
    const { h, store, drain, transport } = await setup();
    const { nummer } = await requestTyped(h, USERS.leerkracht, { gemeente: 'GM0246', doelgroep: 'kind' });
    await drain();
    const before = (await store.repo.get(nummer))!;
    const auditBefore = await store.repo.audit(nummer);
    const data = { mw: 'overleg', nummer };
    for (const [user, verb] of [
      [USERS.buitenstaander, 'mw.oppakken'],
      [USERS.toegang, 'mw.oppakken'], // a contact, but for another gemeente
      [USERS.leerkracht, 'mw.oppakken'], // the requester cannot pick up their own request
      [USERS.buitenstaander, 'mw.afronden'],
    ] as const) {
      const r = await h.invoke(user, verb, data);
      expect(r.status).toBe(200);
      expect(noticeOf(r.card)).toContain('Dit verzoek is voor een andere contactpersoon');
      expect(noticeOf(r.card)).toContain('Er is niets gewijzigd');
      expect(buttonsOf(r.card)).not.toContain('Oppakken');
    }
    for (const user of [USERS.afJeugd, USERS.buitenstaander]) {
      const r = await h.invoke(user, 'mw.intrekken', data);
      expect(noticeOf(r.card)).toBe('Alleen de aanvrager kan dit verzoek intrekken. Er is niets gewijzigd.');
    }
    expect(await store.repo.get(nummer)).toEqual(before);
    expect(await store.repo.audit(nummer)).toEqual(auditBefore);
    await drain();
    expect(transport.textsTo('aad-leerkracht')).toEqual([`Uw verzoek om overleg ${nummer} is bezorgd bij: Aandachtsfunctionaris Jeugd (team STIP Heerde). U hoort het hier zodra het is opgepakt.`]); // delivered, nothing picked up
    // Forged or unknown data: a message, never an exception.
    expect((await h.invoke(USERS.afJeugd, 'mw.oppakken', { nummer: "x'; DROP TABLE consultations" })).text).toBe('Deze actie is niet (meer) beschikbaar.');
    expect((await h.invoke(USERS.afJeugd, 'mw.oppakken', { nummer: 'MW-ZZZZZZ' })).text).toBe('Consultatie MW-ZZZZZZ kan ik niet vinden.');
  });

  test('closing before picking up is not possible; picking up twice is idempotent for the same person', async () => {
    const { h, store } = await setup();
    const { nummer } = await requestTyped(h, USERS.leerkracht, { gemeente: 'GM0855', doelgroep: 'kind' });
    const data = { mw: 'overleg', nummer };
    let r = await h.invoke(USERS.toegang, 'mw.afronden', data);
    expect(noticeOf(r.card)).toBe('Pak het verzoek eerst op voordat u het afrondt.');
    r = await h.invoke(USERS.toegang, 'mw.oppakken', data);
    r = await h.invoke(USERS.toegang, 'mw.oppakken', data);
    expect(noticeOf(r.card)).toContain('U heeft dit verzoek opgepakt');
    expect((await store.repo.get(nummer))!.version).toBe(2);
  });

  test('the requester withdraws with the card button; the card then offers nothing more and the assignee is told', async () => {
    const { h, store, transport, drain } = await setup();
    const { nummer, card } = await requestTyped(h, USERS.leerkracht, { gemeente: 'GM0246', doelgroep: 'kind' });
    await h.invoke(USERS.afVolwassenen, 'mw.oppakken', { mw: 'overleg', nummer }); // the deputy picks it up
    const r = await h.click(USERS.leerkracht, card, 'Intrekken');
    expect(factsOf(r.card).Status).toBe('Ingetrokken door de aanvrager');
    expect(noticeOf(r.card)).toBe('U heeft het verzoek ingetrokken.');
    expect(buttonsOf(r.card)).toEqual([]);
    await drain();
    expect(transport.textsTo('dev-af-volwassenen-heerde')).toContain(`De aanvrager heeft het verzoek om overleg ${nummer} ingetrokken.`);
    const again = await h.click(USERS.leerkracht, card, 'Intrekken');
    expect(noticeOf(again.card)).toContain('Dit verzoek is al ingetrokken door de aanvrager');
    expect((await store.repo.audit(nummer)).map((a) => a.action)).toEqual(['aangemaakt', 'overleg.opgepakt', 'overleg.ingetrokken']);
  });

  test('typing "intrekken MW-…" withdraws; others cannot, and a withdrawn request is no longer delivered', async () => {
    const { h, store, transport, drain } = await setup();
    const { nummer } = await requestTyped(h, USERS.leerkracht, { gemeente: 'GM0246', doelgroep: 'kind' });
    let r = await h.say(USERS.buitenstaander, `intrekken ${nummer}`);
    expect(texts(r)).toContain('Alleen wie de consultatie is begonnen');
    expect((await store.repo.get(nummer))!.status).toBe('open');
    r = await h.say(USERS.leerkracht, `intrekken ${nummer.toLowerCase()}`);
    expect(texts(r)).toBe(`Uw verzoek om overleg ${nummer} is ingetrokken.`);
    expect((await store.repo.get(nummer))!.status).toBe('ingetrokken');
    r = await h.say(USERS.leerkracht, `intrekken ${nummer}`);
    expect(texts(r)).toContain('is niet meer open');
    r = await h.say(USERS.leerkracht, 'intrekken MW-ZZZZZZ');
    expect(texts(r)).toBe('Consultatie MW-ZZZZZZ kan ik niet vinden.');
    await drain();
    expect(transport.sent).toHaveLength(0);
    const [n] = await notificationsOf(store.db, nummer);
    expect(n!.status).toBe('delivered');
    expect(JSON.parse(n!.result!)).toMatchObject({ resolution: 'vervallen', status: 'ingetrokken' });
  });

  test('the Teams card never contains case details (no signal codes or labels, no forms, no free text)', async () => {
    const { h, store, transport, drain } = await setup();
    const u = USERS.leerkracht;
    // A full consultation with signals and a special form, then "Overleg aanvragen" from the advice card.
    let r = await h.say(u, 'ik maak me zorgen over een leerling van de basisschool in Heerde');
    r = await h.press(u, lastCard(r), 'Nee');
    const pick = async (inputs: Record<string, unknown>) => (r = await h.sendValue(u, { ...lastCard(r)!.actions[0].data, ...inputs }));
    if (JSON.stringify(lastCard(r)).includes('"gemeente"')) await pick({ gemeente: 'GM0246' });
    if (JSON.stringify(lastCard(r)).includes('"sector"')) await pick({ sector: 'onderwijs' });
    if (JSON.stringify(lastCard(r)).includes('"doelgroep"')) await pick({ doelgroep: 'kind', leeftijdsgroep: '4-11' });
    if (JSON.stringify(lastCard(r)).includes('medewerker')) r = await h.press(u, lastCard(r), 'Nee');
    await pick({ signalen: 'lichamelijk-letsel,gedrag-angstig', vormen: 'seksueel', disclosure: 'false' });
    await pick({ stappen: '1' });
    const advice = lastCard(r)!;
    r = await h.press(u, advice, 'Overleg aanvragen');
    r = await h.press(u, lastCard(r), 'Vandaag');
    r = await h.press(u, lastCard(r), 'Teams-chat');
    const nummer = factsOf(lastCard(r))['Consultatienummer']!;
    const c = (await store.repo.get(nummer))!;
    expect(c.case.signalen).toEqual(['lichamelijk-letsel', 'gedrag-angstig']);
    await drain();
    const cards = [lastCard(r), ...transport.sent.map((s) => s.message.card).filter(Boolean)];
    const actions = ['mw.refresh', 'mw.oppakken', 'mw.intrekken'];
    for (const [user, verb] of [[USERS.afJeugd, actions[1]], [u, actions[0]]] as const) cards.push((await h.invoke(user, verb!, { mw: 'overleg', nummer })).card);
    const policy = h.policy;
    const forbidden = [
      ...policy.signalen.flatMap((s) => [s.code, s.label.nl, s.label.en]),
      ...policy.vormen.flatMap((v) => [v.code, v.label.nl, v.label.en]),
      'disclosure', 'signalen', 'vormen', 'stappenGedaan', 'afweging', 'seksueel',
    ];
    expect(cards.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    for (const card of cards) {
      const json = JSON.stringify(card).toLowerCase();
      for (const f of forbidden) expect({ f, found: json.includes(f.toLowerCase()) }).toEqual({ f, found: false });
    }
  });
});
