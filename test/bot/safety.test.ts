/**
 * Safety first (issue #9): danger described in words at any point gets the 112 / Veilig Thuis message at once,
 * before anything else, with a way to continue; doubt at the acute question is danger; past tense is not an
 * emergency; every path (also the overleg request) asks the acute question first.
 */
import { BotHarness, cardTitle, lastCard, texts, type Reply } from '../support/botHarness';
import { OverlegHarness, USERS, fakeTransport, openStore } from '../support/overlegHarness';

const DANGER = 'help, het kind wordt nu in elkaar geslagen in de klas door vader';
const ACUTE = 'Is er nu iemand in acuut gevaar?';
const marker = (replies: Reply[]) => (lastCard(replies)?.actions?.[0]?.data?.mw as string | undefined) ?? null;

/** Clicks through the consultation up to the question with this marker. */
async function advanceTo(h: BotHarness, target: string): Promise<Reply[]> {
  let r = await h.say('start');
  const answers: Record<string, (card: Record<string, any> | undefined) => Promise<Reply[]>> = {
    acuut: (c) => h.press(c, 'Nee'),
    gemeente: (c) => h.submit(c, { gemeente: 'GM0246' }),
    sector: (c) => h.submit(c, { sector: 'onderwijs' }),
    doelgroep: (c) => h.submit(c, { doelgroep: 'kind', leeftijdsgroep: '4-11' }),
    medewerker: (c) => h.press(c, 'Nee'),
    signalen: (c) => h.submit(c, { signalen: 'verwaarlozing', vormen: '', disclosure: 'false' }),
    stappen: (c) => h.submit(c, { stappen: '1,2,3' }),
  };
  for (let i = 0; i < 10 && marker(r) !== target; i++) r = await answers[marker(r)!]!(lastCard(r));
  expect(marker(r)).toBe(target);
  return r;
}

describe('danger in words, at every point', () => {
  test('as the first message: the 112 message at once, then "verder" starts the consultation', async () => {
    const h = new BotHarness();
    let r = await h.say(DANGER);
    expect(r[0]!.text).toMatch(/Bel nu 112\. Bel daarna Veilig Thuis: 0800-2000/);
    expect(texts(r)).not.toMatch(/gemeente/);
    // Said once: the card under the message carries only the way on, not the same words again.
    expect(JSON.stringify(lastCard(r))).not.toMatch(/112/);
    expect(JSON.stringify(lastCard(r))).toMatch(/verder/i);
    r = await h.say('verder');
    expect(cardTitle(lastCard(r))).toBe(ACUTE);
  });

  test('after the 112 message any typed answer goes on: "nee" answers the acute question, other text asks it', async () => {
    const h = new BotHarness();
    await h.say(DANGER);
    let r = await h.say('nee');
    expect(texts(r)).not.toMatch(/begreep/i);
    expect(cardTitle(lastCard(r))).not.toBe(ACUTE);
    expect(marker(r)).not.toBeNull();

    const h2 = new BotHarness();
    await h2.say(DANGER);
    r = await h2.say('ik heb gebeld, wat nu');
    expect(texts(r)).not.toMatch(/begreep/i);
    expect(cardTitle(lastCard(r))).toBe(ACUTE);
  });

  test.each(['gemeente', 'sector', 'doelgroep', 'medewerker', 'signalen', 'stappen', 'afweging:vermoeden'])(
    'at the %s question: 112 first, nothing applied; "Verder" shows the same question again',
    async (point) => {
      const h = new BotHarness();
      const before = await advanceTo(h, point);
      const title = cardTitle(lastCard(before));
      let r = await h.say('hij heeft een mes en dreigt haar nu dood te steken');
      expect(r[0]!.text).toMatch(/112/);
      expect(texts(r)).not.toMatch(/begreep ik niet|kon ik niet verwerken/);
      const verder = lastCard(r)!.actions.find((a: { title: string }) => a.title === 'Verder');
      expect(verder).toBeDefined();
      r = await h.press(lastCard(r), 'Verder');
      expect(cardTitle(lastCard(r))).toBe(title);
      expect(h.sink.saved).toHaveLength(0);
    },
  );

  test('no loop: the same danger description again right after the message gets 112 again and counts as the answer', async () => {
    const h = new BotHarness();
    await advanceTo(h, 'signalen');
    const signals = 'hij slaat haar nu met een riem, ze heeft blauwe plekken';
    let r = await h.say(signals);
    expect(r[0]!.text).toMatch(/112/);
    expect(marker(r)).toBe('danger');
    r = await h.say(signals);
    expect(r[0]!.text).toMatch(/112/);
    expect(marker(r)).toBe('stappen');
  });

  test('at the acute question a description of danger is a yes: 112 advice, stored, nothing else asked', async () => {
    const h = new BotHarness();
    await h.say('start');
    const r = await h.say('ik hoor de buurvrouw gillen, hij heeft een mes');
    expect(r[0]!.text).toMatch(/^Bel nu 112/);
    expect(h.sink.saved[0]!.advice.actie).toBe('112');
    expect(texts(await h.say('nee'))).not.toMatch(/gemeente/);
  });

  test('when idle (after a finished consultation) too', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    r = await h.press(lastCard(r), 'Ja');
    r = await h.say('hij slaat haar nu met een stoel');
    expect(r[0]!.text).toMatch(/112/);
  });

  test('past tense is not an emergency: the consultation starts with the acute question', async () => {
    const h = new BotHarness();
    const r = await h.say('vorige week sloeg hij zijn dochter, ik maak me zorgen');
    expect(texts(r)).not.toMatch(/Bel nu 112/);
    expect(cardTitle(lastCard(r))).toBe(ACUTE);
  });
});

describe('doubt at the acute question is danger', () => {
  test('the card has a "Weet ik niet" button; pressing it explains and gives 112', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    expect(lastCard(r)!.actions.map((a: { title: string }) => a.title)).toEqual(['Ja', 'Nee', 'Weet ik niet']);
    r = await h.press(lastCard(r), 'Weet ik niet');
    expect(texts(r)).toContain('Bij twijfel gaan we uit van gevaar');
    expect(texts(r)).toContain('Bel nu 112');
    expect(h.sink.saved[0]!.advice.actie).toBe('112');
  });

  test.each(['weet ik niet', 'misschien', 'ik twijfel', 'geen idee'])('typed "%s"', async (typed) => {
    const h = new BotHarness();
    await h.say('start');
    const r = await h.say(typed);
    expect(texts(r)).toContain('Bij twijfel gaan we uit van gevaar');
    expect(h.sink.saved[0]!.case.acuutGevaar).toBe(true);
  });
});

describe('the first "start" and restarting', () => {
  test('the very first "start" does not say "We beginnen opnieuw"', async () => {
    const h = new BotHarness();
    const r = await h.say('start');
    expect(texts(r)).not.toContain('We beginnen opnieuw');
    expect(cardTitle(lastCard(r))).toBe(ACUTE);
  });
  test('"opnieuw" with nothing running starts without "opnieuw" either', async () => {
    const h = new BotHarness();
    const r = await h.say('opnieuw');
    expect(texts(r)).not.toContain('We beginnen opnieuw');
    expect(cardTitle(lastCard(r))).toBe(ACUTE);
  });
});

describe('employee as suspect: "weet ik niet"', () => {
  test('is stored as unknown (null), not as no', async () => {
    const h = new BotHarness();
    let r = await advanceTo(h, 'medewerker');
    r = await h.say('weet ik niet');
    expect(cardTitle(lastCard(r))).toBe('Welke signalen ziet u? Kies alles wat past.');
    r = await h.submit(lastCard(r), { signalen: '' });
    r = await h.submit(lastCard(r), { stappen: '' });
    expect(h.sink.saved[0]!.case.plegerIsMedewerker).toBeNull();
  });
});

describe('overleg asks the acute question first', () => {
  async function setup() {
    const store = await openStore();
    return new OverlegHarness(store, undefined, { transport: fakeTransport() });
  }

  test('typed "ik wil de aandachtsfunctionaris spreken" → acute question before gemeente', async () => {
    const h = await setup();
    const u = USERS.leerkracht;
    let r = await h.say(u, 'ik wil de aandachtsfunctionaris spreken');
    expect(cardTitle(lastCard(r))).toBe(ACUTE);
    r = await h.say(u, 'ja');
    expect(texts(r)).toMatch(/Bel nu 112/);
  });

  test('danger in words during the overleg request gets 112 at once', async () => {
    const h = await setup();
    const u = USERS.leerkracht;
    let r = await h.say(u, 'ik wil de aandachtsfunctionaris spreken');
    r = await h.say(u, 'nee');
    expect(cardTitle(lastCard(r))).toBe('In welke gemeente speelt dit?');
    r = await h.say(u, 'de vader slaat het kind nu in elkaar');
    expect(r[0]!.text).toMatch(/112/);
  });

  test('not asked twice: after a consultation in this conversation the typed request goes straight on', async () => {
    const h = await setup();
    const u = USERS.consulent;
    let r = await h.say(u, 'start');
    r = await h.say(u, 'nee');
    r = await h.say(u, 'stop');
    r = await h.say(u, 'ik wil de aandachtsfunctionaris spreken');
    expect(cardTitle(lastCard(r))).toBe('In welke gemeente speelt dit?');
  });
});
