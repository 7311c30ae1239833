import { BotHarness, cardText, cardTitle, lastCard, texts, type Reply } from '../support/botHarness';

/** Walks the standard path up to the signals card for a Heerde teacher. */
async function toSignals(h: BotHarness) {
  let r = await h.say('ik heb een niet-pluisgevoel');
  expect(cardTitle(lastCard(r))).toBe('Is er nu iemand in acuut gevaar?');
  r = await h.press(lastCard(r), 'Nee');
  // One message: the privacy warning with the next question.
  expect(r).toHaveLength(1);
  expect(r[0]!.text).toContain('typ geen namen');
  expect(cardTitle(r[0]!.card)).toBe('In welke gemeente speelt dit?');
  r = await h.submit(lastCard(r), { gemeente: 'GM0246' });
  expect(cardTitle(lastCard(r))).toBe('In welke sector werkt u?');
  r = await h.submit(lastCard(r), { sector: 'onderwijs' });
  expect(cardTitle(lastCard(r))).toBe('Over wie maakt u zich zorgen?');
  r = await h.submit(lastCard(r), { doelgroep: 'kind', leeftijdsgroep: '4-11' });
  expect(cardTitle(lastCard(r))).toMatch(/medewerker of collega/);
  r = await h.press(lastCard(r), 'Nee');
  expect(cardTitle(lastCard(r))).toBe('Welke signalen ziet u? Kies alles wat past.');
  return r;
}

describe('consultation dialog', () => {
  test('acute danger is asked first; yes → 112 and Veilig Thuis in one message, nothing else asked', async () => {
    const h = new BotHarness();
    let r = await h.say('ik maak me zorgen over een leerling');
    expect(r).toHaveLength(1);
    expect(cardTitle(lastCard(r))).toBe('Is er nu iemand in acuut gevaar?');
    r = await h.press(lastCard(r), 'Ja');
    expect(r).toHaveLength(1);
    expect(r[0]!.text).toMatch(/^Bel nu 112\. Bel daarna Veilig Thuis: 0800-2000/);
    expect(h.sink.saved).toHaveLength(1);
    expect(h.sink.saved[0]!.advice.actie).toBe('112');
    r = await h.say('ja');
    expect(texts(r)).not.toMatch(/gemeente/);
  });

  test('full path to step 2 advice with local contacts, consultation number and the reminder that the professional decides', async () => {
    const h = new BotHarness();
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), { signalen: 'lichamelijk-letsel,gedrag-angstig', vormen: '', disclosure: 'false' });
    expect(cardTitle(lastCard(r))).toBe('Welke stappen van de meldcode heeft u al gezet?');
    r = await h.submit(lastCard(r), { stappen: '1' });
    const advice = lastCard(r);
    expect(cardTitle(advice)).toBe('Stap 2: Overleg met een collega en raadpleeg zo nodig Veilig Thuis');
    const body = cardText(advice);
    expect(body).toContain('Gezinscoach van de basisschool');
    expect(body).toContain('Aandachtsfunctionaris Jeugd (team STIP Heerde)');
    expect(body).toContain('0800-2000');
    expect(body).toContain('U beslist zelf als professional');
    expect(body).toContain('Consultatienummer: MW-TEST01');
    expect(advice!.version).toBe('1.5');
    expect(h.sink.saved[0]!.case).toMatchObject({ gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11', acuutGevaar: false, plegerIsMedewerker: false, signalen: ['lichamelijk-letsel', 'gedrag-angstig'], stappenGedaan: [1] });
  });

  test.each<[string, Array<'Ja' | 'Nee' | 'Weet ik niet'>, string, string | null]>([
    ['afweging 1 nee → afsluiten', ['Nee'], 'afsluiten', null],
    ['afweging 2 ja → melden', ['Ja', 'Ja'], 'melden', 'acuut-of-structureel'],
    ['afweging 3 nee → melden', ['Ja', 'Nee', 'Nee'], 'melden', 'onvoldoende-hulp'],
    ['afweging 4 nee → melden', ['Ja', 'Nee', 'Ja', 'Nee'], 'melden', 'hulp-niet-aanvaard'],
    ['afweging 5 nog onbekend → hulp organiseren', ['Ja', 'Nee', 'Ja', 'Ja', 'Weet ik niet'], 'hulp-organiseren', null],
    ['afweging 5 nee → opnieuw melden', ['Ja', 'Nee', 'Ja', 'Ja', 'Nee'], 'melden', 'geen-resultaat'],
    ['afweging 5 ja → afsluiten met afspraken', ['Ja', 'Nee', 'Ja', 'Ja', 'Ja'], 'afsluiten-met-afspraken', null],
    ['twijfel bij vraag 1 → wegen, Veilig Thuis raadplegen', ['Weet ik niet'], 'wegen', null],
  ])('%s', async (_name, answers, actie, meldnorm) => {
    const h = new BotHarness();
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), { signalen: 'verwaarlozing', vormen: '', disclosure: 'false' });
    r = await h.submit(lastCard(r), { stappen: '1,2,3' });
    expect(texts(r)).toContain('Nu de afwegingsvragen');
    for (const [i, a] of answers.entries()) {
      expect(cardTitle(lastCard(r))).toContain(`Afwegingsvraag ${i + 1}:`);
      r = await h.press(lastCard(r), a);
    }
    const saved = h.sink.saved[0]!;
    expect(saved.advice.actie).toBe(actie);
    expect(saved.advice.meldnorm).toBe(meldnorm);
    expect(cardTitle(lastCard(r))).toMatch(/^Stap [45]:/);
    if (meldnorm) expect(cardText(lastCard(r))).toMatch(/melden is de norm/i);
  });

  test('the first afwegingsvraag uses the official wording', async () => {
    const h = new BotHarness();
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), { signalen: '', vormen: '', disclosure: 'false' });
    r = await h.submit(lastCard(r), { stappen: '1,2,3' });
    expect(cardTitle(lastCard(r))).toBe(
      'Afwegingsvraag 1: Heb ik op basis van de stappen 1 tot en met 4 van de meldcode een vermoeden van (dreiging van) huiselijk geweld en/of kindermishandeling?',
    );
  });

  test('colleague as suspect in onderwijs → vertrouwensinspecteur route, no signals asked', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    r = await h.press(lastCard(r), 'Nee');
    r = await h.submit(lastCard(r), { gemeente: 'GM0855' });
    r = await h.submit(lastCard(r), { sector: 'kinderopvang' });
    r = await h.submit(lastCard(r), { doelgroep: 'kind', leeftijdsgroep: '0-3' });
    r = await h.press(lastCard(r), 'Ja');
    expect(cardText(lastCard(r))).toContain('0900-1113111');
    expect(h.sink.saved[0]!.advice.actie).toBe('meldplicht-medewerker');
  });

  test('eergerelateerd geweld → Veilig Thuis straight away, no afwegingsvragen', async () => {
    const h = new BotHarness();
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), { signalen: '', vormen: 'eergerelateerd', disclosure: 'false' });
    r = await h.submit(lastCard(r), { stappen: '1,2,3' });
    expect(texts(r)).not.toContain('afwegingsvragen');
    expect(h.sink.saved[0]!.advice.actie).toBe('veilig-thuis-direct');
  });

  test('Wmo-consulent about a partner gets the kindcheck and no employee question', async () => {
    const h = new BotHarness();
    let r = await h.say('ik ben wmo-consulent en maak me zorgen over partnergeweld');
    r = await h.press(lastCard(r), 'Nee');
    expect(cardTitle(lastCard(r))).toBe('In welke gemeente speelt dit?');
    r = await h.submit(lastCard(r), { gemeente: 'GM1708' });
    // sector and doelgroep came from the text
    expect(cardTitle(lastCard(r))).toBe('Welke signalen ziet u? Kies alles wat past.');
    r = await h.submit(lastCard(r), { signalen: 'isolatie', vormen: '', disclosure: 'false' });
    r = await h.submit(lastCard(r), { stappen: '' });
    const body = cardText(lastCard(r));
    expect(body).toContain('Doe de kindcheck');
    expect(body).toContain('Procescoördinator');
    expect(h.sink.saved[0]!.case).toMatchObject({ sector: 'wmo', doelgroep: 'partner', gemeente: 'GM1708' });
  });
});

describe('free text prefill', () => {
  test('"leerling" and "blauwe plekken" pre-fill kind, onderwijs and the injury signal; only missing questions are asked', async () => {
    const h = new BotHarness();
    let r = await h.say('Een leerling van groep 5 in Heerde heeft steeds blauwe plekken');
    r = await h.press(lastCard(r), 'Nee');
    expect(cardTitle(lastCard(r))).toMatch(/medewerker of collega/);
    r = await h.press(lastCard(r), 'Nee');
    const card = lastCard(r);
    expect(cardTitle(card)).toBe('Welke signalen ziet u? Kies alles wat past.');
    expect(card!.body.find((b: { id?: string }) => b.id === 'signalen').value).toBe('lichamelijk-letsel');
    r = await h.submit(card, { signalen: 'lichamelijk-letsel', vormen: '', disclosure: 'false' });
    r = await h.submit(lastCard(r), { stappen: '' });
    expect(h.sink.saved[0]!.case).toMatchObject({ gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11' });
    expect(h.sink.saved[0]!.advice.actie).toBe('signalen-in-kaart');
  });

  test('typed answers work as well as card clicks', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    r = await h.say('nee');
    r = await h.say('Tilburg');
    expect(cardTitle(lastCard(r))).toBe('In welke sector werkt u?');
    r = await h.say('onderwijs');
    r = await h.say('een kind op de basisschool');
    r = await h.say('nee');
    r = await h.say('geen');
    r = await h.say('1 t/m 2');
    expect(cardTitle(lastCard(r))).toBe('Stap 3: Ga in gesprek met de cliënt');
  });
});

describe('stop, opnieuw, help at every point', () => {
  const points = ['acuut', 'gemeente', 'sector', 'doelgroep', 'medewerker', 'signalen', 'stappen'];
  async function advanceTo(h: BotHarness, n: number): Promise<Reply[]> {
    let r = await h.say('start');
    const steps: Array<(c: Record<string, any> | undefined) => Promise<Reply[]>> = [
      (c) => h.press(c, 'Nee'),
      (c) => h.submit(c, { gemeente: 'GM0246' }),
      (c) => h.submit(c, { sector: 'onderwijs' }),
      (c) => h.submit(c, { doelgroep: 'kind', leeftijdsgroep: '12-17' }),
      (c) => h.press(c, 'Nee'),
      (c) => h.submit(c, { signalen: '', vormen: '', disclosure: 'false' }),
    ];
    for (let i = 0; i < n; i++) r = await steps[i]!(lastCard(r));
    return r;
  }

  test.each(points.map((p, i) => [p, i] as const))('stop at %s ends the consultation and saves nothing', async (_p, n) => {
    const h = new BotHarness();
    await advanceTo(h, n);
    const r = await h.say('stop');
    expect(texts(r)).toContain('Gestopt');
    expect(h.sink.saved).toHaveLength(0);
    const after = await h.say('ja');
    expect(texts(after)).toContain('Dat begreep ik niet');
  });

  test.each(points.map((p, i) => [p, i] as const))('opnieuw at %s starts again with the acute question', async (_p, n) => {
    const h = new BotHarness();
    await advanceTo(h, n);
    const r = await h.say('opnieuw');
    expect(texts(r)).toContain('We beginnen opnieuw');
    expect(cardTitle(lastCard(r))).toBe('Is er nu iemand in acuut gevaar?');
  });

  test('help in the middle explains and repeats the open question', async () => {
    const h = new BotHarness();
    await advanceTo(h, 2);
    const r = await h.say('help');
    expect(cardTitle(r[0]!.card)).toBe('Zo werkt Meldwijzer');
    expect(cardTitle(lastCard(r))).toBe('In welke sector werkt u?');
  });

  test('stop with nothing running says so', async () => {
    const h = new BotHarness();
    expect(texts(await h.say('stop'))).toContain('Er loopt geen consultatie');
  });
});

describe('bad input gets a friendly re-prompt, never a crash', () => {
  test.each<[string, unknown]>([
    ['unknown gemeente code', { gemeente: 'GM9999' }],
    ['gemeente not a string', { gemeente: { $ne: 1 } }],
    ['missing field', {}],
    ['huge value', { gemeente: 'x'.repeat(10_000) }],
  ])('gemeente card: %s', async (_n, inputs) => {
    const h = new BotHarness();
    let r = await h.say('start');
    r = await h.press(lastCard(r), 'Nee');
    r = await h.submit(lastCard(r), inputs as Record<string, unknown>);
    expect(texts(r)).toMatch(/Die gemeente ken ik niet|kon ik niet verwerken/);
    expect(cardTitle(lastCard(r))).toBe('In welke gemeente speelt dit?');
  });

  test.each<[string, Record<string, unknown>]>([
    ['signal from another target group', { signalen: 'financiele-uitbuiting' }],
    ['invented signal', { signalen: 'drop table' }],
    ['invented vorm', { vormen: 'iets' }],
    ['disclosure not a boolean string', { disclosure: 'misschien' }],
    ['array instead of string', { signalen: ['lichamelijk-letsel'] }],
  ])('signals card: %s', async (_n, inputs) => {
    const h = new BotHarness();
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), inputs);
    expect(texts(r)).toContain('horen niet bij deze lijst');
    expect(cardTitle(lastCard(r))).toBe('Welke signalen ziet u? Kies alles wat past.');
  });

  test('out-of-range step numbers and a doelgroep kind without age are re-asked', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    r = await h.press(lastCard(r), 'Nee');
    r = await h.submit(lastCard(r), { gemeente: 'GM0246' });
    r = await h.submit(lastCard(r), { sector: 'onderwijs' });
    r = await h.submit(lastCard(r), { doelgroep: 'kind' });
    expect(texts(r)).toContain('hoe oud het kind');
    r = await h.submit(lastCard(r), { doelgroep: 'kind', leeftijdsgroep: '4-11' });
    r = await h.press(lastCard(r), 'Nee');
    r = await h.submit(lastCard(r), { signalen: '' });
    r = await h.submit(lastCard(r), { stappen: '1,7' });
    expect(texts(r)).toContain('kon ik niet verwerken');
    expect(cardTitle(lastCard(r))).toBe('Welke stappen van de meldcode heeft u al gezet?');
  });

  test('nonsense text gets a re-prompt; after two tries it also points at stop and help', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    r = await h.say('blablabla');
    expect(texts(r)).toContain('Kies Ja of Nee');
    r = await h.say('qwerty');
    expect(texts(r)).toContain('Typ "stop"');
    expect(cardTitle(lastCard(r))).toBe('Is er nu iemand in acuut gevaar?');
  });

  test('a stale card click (earlier question) is recognised and not applied', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    const acuteCard = lastCard(r);
    r = await h.press(acuteCard, 'Nee');
    r = await h.press(acuteCard, 'Ja');
    expect(texts(r)).toContain('hoort bij een eerdere vraag');
    expect(texts(r)).not.toContain('112');
    expect(cardTitle(lastCard(r))).toBe('In welke gemeente speelt dit?');
  });

  test('a card from an earlier run after "opnieuw" is stale too', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    const oldCard = lastCard(r);
    r = await h.say('opnieuw');
    r = await h.press(oldCard, 'Ja');
    expect(texts(r)).toContain('hoort bij een eerdere vraag');
    expect(h.sink.saved).toHaveLength(0);
  });

  test('a card click when no consultation runs is answered politely', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    const card = lastCard(r);
    await h.say('stop');
    r = await h.press(card, 'Ja');
    expect(texts(r)).toContain('hoort bij een eerdere vraag of een afgeronde consultatie');
  });

  test.each<[string, unknown]>([
    ['array value', [1, 2, 3]],
    ['string value', 'ja'],
    ['number value', 42],
  ])('odd activity.value (%s) is handled', async (_n, value) => {
    const h = new BotHarness();
    await h.say('start');
    const r = await h.sendValue(value);
    expect(r.length).toBeGreaterThan(0);
    expect(texts(r)).not.toMatch(/Error|stack/i);
  });

  test('an over-long message is refused kindly', async () => {
    const h = new BotHarness();
    const r = await h.say('a'.repeat(5000));
    expect(texts(r)).toContain('te lang');
  });

  test('when saving fails the advice is still shown, with a clear note', async () => {
    const h = new BotHarness();
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), { signalen: '' });
    h.sink.failNext = true;
    r = await h.submit(lastCard(r), { stappen: '' });
    expect(texts(r)).toContain('kon niet worden opgeslagen');
    expect(cardTitle(lastCard(r))).toMatch(/^Stap 1/);
    expect(cardText(lastCard(r))).not.toContain('Consultatienummer');
  });
});

describe('English', () => {
  test('en-US locale gets English texts', async () => {
    const h = new BotHarness({ locale: 'en-US' });
    let r = await h.say('start');
    expect(cardTitle(lastCard(r))).toBe('Is anyone in acute danger right now?');
    r = await h.press(lastCard(r), 'Yes');
    expect(r[0]!.text).toMatch(/^Call 112 now/);
  });
});

describe('advice card actions after the consultation', () => {
  test('"Opnieuw" on the advice card starts a new consultation', async () => {
    const h = new BotHarness();
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), { signalen: '' });
    r = await h.submit(lastCard(r), { stappen: '' });
    r = await h.press(lastCard(r), 'Opnieuw');
    expect(cardTitle(lastCard(r))).toBe('Is er nu iemand in acuut gevaar?');
  });
});

describe('optional explanation: anonymised and shown before it is stored', () => {
  const typed = 'Moeder Fatima el Amrani belde vanaf 06-12345678 en zei dat Daan thuis geslagen wordt';
  test('the professional sees the redacted version and keeps it; only the redacted text is saved', async () => {
    const h = new BotHarness();
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), { signalen: 'uitspraken', vormen: '', disclosure: 'false', toelichting: typed });
    const confirm = lastCard(r);
    expect(cardTitle(confirm)).toMatch(/^Zo bewaar ik uw toelichting/);
    const shown = cardText(confirm);
    expect(shown).toContain('[TELEFOON]');
    expect(shown).toContain('[NAAM]');
    expect(shown).not.toContain('06-12345678');
    expect(shown).not.toContain('Fatima');
    r = await h.press(confirm, 'Zo bewaren');
    expect(cardTitle(lastCard(r))).toBe('Welke stappen van de meldcode heeft u al gezet?');
    r = await h.submit(lastCard(r), { stappen: '' });
    const note = (h.sink.saved[0] as unknown as { note: string }).note;
    expect(note).toContain('[TELEFOON]');
    expect(note).not.toMatch(/Fatima|Amrani|12345678|Daan/);
  });

  test('after the choice the confirmation card (which quoted the note) is replaced by a neutral line', async () => {
    const h = new BotHarness();
    const updated: Array<Record<string, unknown>> = [];
    jest.spyOn(h.adapter, 'updateActivity').mockImplementation(async (_ctx, activity) => void updated.push({ ...activity }));
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), { signalen: '', toelichting: typed });
    const data = lastCard(r)!.actions[0].data;
    await h.turn({ value: data, replyToId: 'confirm-card-1' });
    expect(updated).toEqual([expect.objectContaining({ id: 'confirm-card-1', text: 'Toelichting bewaard (geanonimiseerd).', attachments: [] })]);
  });

  test('without an explanation no card is replaced', async () => {
    const h = new BotHarness();
    const updated: unknown[] = [];
    jest.spyOn(h.adapter, 'updateActivity').mockImplementation(async (_ctx, activity) => void updated.push(activity));
    const r = await toSignals(h);
    await h.turn({ value: { ...lastCard(r)!.actions[0].data, signalen: '' }, replyToId: 'signals-card-1' });
    expect(updated).toEqual([]);
  });

  test('"Weglaten" stores no note at all', async () => {
    const h = new BotHarness();
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), { signalen: '', toelichting: typed });
    r = await h.press(lastCard(r), 'Weglaten');
    r = await h.submit(lastCard(r), { stappen: '' });
    expect((h.sink.saved[0] as unknown as { note: string | null }).note).toBeNull();
  });

  test('an explanation over 500 characters is re-asked', async () => {
    const h = new BotHarness();
    let r = await toSignals(h);
    r = await h.submit(lastCard(r), { signalen: '', toelichting: 'x'.repeat(501) });
    expect(texts(r)).toContain('te lang');
    expect(cardTitle(lastCard(r))).toBe('Welke signalen ziet u? Kies alles wat past.');
  });
});
