/**
 * Typed answers per question (what people type on a phone), and the conversation rules around them: no loop
 * (the second answer not understood gets the expected answer with a typed example), "overslaan" on optional
 * questions, never asked again once answered, pre-filled answers shown and changeable, the note editable.
 */
import { QUESTIONS, parseAnswer, type QuestionContext } from '../../src/consultation/questions';
import { loadPolicy } from '../../src/meldcode/policy';
import { BotHarness, cardText, cardTitle, lastCard, texts, type Reply } from '../support/botHarness';

const policy = loadPolicy();
const ctx = (over: Partial<QuestionContext> = {}): QuestionContext => ({ policy, lang: 'nl', runId: 'r1', case: {}, ...over });
const typed = (id: keyof typeof QUESTIONS, text: string, over: Partial<QuestionContext> = {}) => parseAnswer(QUESTIONS[id], { text }, ctx(over));
const marker = (replies: Reply[]) => (lastCard(replies)?.actions?.[0]?.data?.mw as string | undefined) ?? null;

describe('one parser per question, typed', () => {
  test.each<[keyof typeof QUESTIONS, string, unknown]>([
    ['acuut', 'nee', 'nee'],
    ['acuut', 'nee hoor', 'nee'],
    ['acuut', 'ja, nu', 'ja'],
    ['acuut', 'weet ik niet', 'weetniet'],
    ['acuut', 'misschien', 'weetniet'],
    ['gemeente', 'Heerde', 'GM0246'],
    ['gemeente', 'heerd', 'GM0246'],
    ['gemeente', 'Giethoorn', 'GM1708'],
    ['gemeente', 'andere gemeente', null],
    ['sector', 'onderwijs', 'onderwijs'],
    ['sector', 'Wmo / sociaal werk / wijkteam', 'wmo'],
    ['sector', 'ik ben huisarts', 'gezondheidszorg'],
    ['doelgroep', 'een kind van 2', { doelgroep: 'kind', leeftijdsgroep: '0-3' }],
    ['doelgroep', '2 jaar', { doelgroep: 'kind', leeftijdsgroep: '0-3' }],
    ['doelgroep', 'kind 0-3', { doelgroep: 'kind', leeftijdsgroep: '0-3' }],
    ['doelgroep', '0 tot 4 jaar', { doelgroep: 'kind', leeftijdsgroep: '0-3' }],
    ['doelgroep', 'leerling van 14', { doelgroep: 'kind', leeftijdsgroep: '12-17' }],
    ['doelgroep', 'puber', { doelgroep: 'kind', leeftijdsgroep: '12-17' }],
    ['doelgroep', 'Een oudere', { doelgroep: 'oudere', leeftijdsgroep: '65+' }],
    ['doelgroep', 'partner', { doelgroep: 'partner', leeftijdsgroep: undefined }],
    ['medewerker', 'jazeker', 'ja'],
    ['medewerker', 'geen idee', 'weetniet'],
    ['signalen', 'blauwe plekken', { signalen: ['lichamelijk-letsel'], vormen: [], disclosure: false }],
    ['signalen', 'geen', { signalen: [], vormen: [], disclosure: false }],
    ['stappen', '1 en 2', [1, 2]],
    ['stappen', 'stap 1 t/m 3', [1, 2, 3]],
    ['stappen', 'alle drie', [1, 2, 3]],
    ['stappen', 'nog geen', []],
    ['stappen', 'niks', []],
    ['notitie', 'zo bewaren', { keep: true }],
    ['notitie', 'weglaten', { keep: false }],
    ['notitie', 'komt vaak zonder ontbijt', { keep: true, edited: 'komt vaak zonder ontbijt' }],
  ])('%s: "%s"', (id, text, expected) => {
    const r = typed(id, text, { note: 'x' });
    expect(r).toEqual({ ok: true, value: expected });
  });

  test('typed signals keep the disclosure the card showed as taken from the first message', () => {
    expect(typed('signalen', 'blauwe plekken', { case: { doelgroep: 'kind', disclosure: true } })).toEqual({
      ok: true,
      value: { signalen: ['lichamelijk-letsel'], vormen: [], disclosure: true },
    });
  });

  test('the age is asked again when only "kind" is typed; the age alone then completes it', () => {
    expect(typed('doelgroep', 'een kind')).toMatchObject({ ok: false, message: 'reprompt.leeftijd' });
    expect(typed('doelgroep', '8', { case: { doelgroep: 'kind' } })).toEqual({ ok: true, value: { doelgroep: 'kind', leeftijdsgroep: '4-11' } });
  });
});

describe('no loop, ever', () => {
  test('the second answer not understood gets what is expected with one typed example (and the way to skip)', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    r = await h.say('nee');
    r = await h.say('qwerty');
    expect(texts(r)).toContain('Die gemeente ken ik niet');
    expect(texts(r)).not.toContain('Typ bijvoorbeeld');
    r = await h.say('asdf');
    expect(texts(r)).toContain('Typ bijvoorbeeld: Heerde');
    expect(texts(r)).toContain('overslaan');
    r = await h.say('overslaan');
    expect(cardTitle(lastCard(r))).toBe('In welke sector werkt u?');
  });

  test('the acute question cannot be skipped, but also explains itself with an example', async () => {
    const h = new BotHarness();
    await h.say('start');
    let r = await h.say('overslaan');
    r = await h.say('blabla');
    expect(texts(r)).toContain('Typ bijvoorbeeld: nee');
    expect(texts(r)).not.toContain('overslaan');
    expect(cardTitle(lastCard(r))).toBe('Is er nu iemand in acuut gevaar?');
  });

  test('every optional question can be skipped, and is never asked again', async () => {
    const h = new BotHarness();
    let r = await h.say('start');
    r = await h.say('nee');
    const asked: string[] = [];
    for (let i = 0; i < 12 && marker(r) !== 'advies'; i++) {
      const m = marker(r)!;
      expect(asked).not.toContain(m);
      asked.push(m);
      r = await h.say('overslaan');
    }
    expect(asked).toEqual(['gemeente', 'sector', 'doelgroep', 'signalen', 'stappen']);
    expect(h.sink.saved[0]!.advice.actie).toBe('signalen-in-kaart');
  });
});

describe('pre-filled answers are shown and changeable before the advice', () => {
  test('"wijzig leeftijd" asks the age again; the other answers stay', async () => {
    const h = new BotHarness();
    let r = await h.say('een leerling van 14 in Heerde heeft blauwe plekken');
    r = await h.say('nee');
    expect(texts(r)).toContain('Ik heb uit uw bericht overgenomen');
    expect(texts(r)).toMatch(/gemeente: Heerde.*sector: Onderwijs.*leeftijd: 12 tot 18 jaar/s);
    r = await h.say('wijzig leeftijd');
    expect(marker(r)).toBe('doelgroep');
    r = await h.say('8');
    expect(marker(r)).toBe('medewerker');
    r = await h.say('nee');
    r = await h.say('blauwe plekken');
    r = await h.say('wijzig gemeente');
    expect(marker(r)).toBe('gemeente');
    r = await h.say('Tilburg');
    expect(marker(r)).toBe('stappen');
    r = await h.say('1');
    expect(h.sink.saved[0]!.case).toMatchObject({ gemeente: 'GM0855', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11' });
  });

  test('an unknown field says what can be changed', async () => {
    const h = new BotHarness();
    await h.say('start');
    await h.say('nee');
    expect(texts(await h.say('wijzig kleur'))).toContain('Wat wilt u wijzigen?');
  });
});

describe('the note: shown anonymised, editable, anonymised again', () => {
  const note = 'Moeder Fatima belde vanaf 06-12345678';
  async function toNote(h: BotHarness) {
    let r = await h.say('start');
    r = await h.press(lastCard(r), 'Nee');
    r = await h.submit(lastCard(r), { gemeente: 'GM1708' });
    r = await h.submit(lastCard(r), { sector: 'wmo' });
    r = await h.submit(lastCard(r), { doelgroep: 'oudere' });
    r = await h.submit(lastCard(r), { signalen: 'isolatie', toelichting: note });
    expect(marker(r)).toBe('notitie');
    return r;
  }

  test('the card offers the anonymised note in an editable field', async () => {
    const h = new BotHarness();
    const r = await toNote(h);
    const field = lastCard(r)!.body.find((b: { id?: string }) => b.id === 'toelichting');
    expect(field.type).toBe('Input.Text');
    expect(field.value).toContain('[TELEFOON]');
    expect(field.value).not.toContain('12345678');
  });

  test('an edited note (from the card) is anonymised again and shown again before it is kept', async () => {
    const h = new BotHarness();
    let r = await toNote(h);
    r = await h.press(lastCard(r), 'Zo bewaren', { toelichting: 'Buurman Piet de Vries belt 0612345678, zij mag niemand zien' });
    expect(texts(r)).toContain('opnieuw geanonimiseerd');
    expect(marker(r)).toBe('notitie');
    expect(cardText(lastCard(r))).not.toContain('0612345678');
    r = await h.press(lastCard(r), 'Zo bewaren');
    r = await h.submit(lastCard(r), { stappen: '' });
    const saved = (h.sink.saved[0] as unknown as { note: string }).note;
    expect(saved).toContain('zij mag niemand zien');
    expect(saved).not.toContain('0612345678');
  });

  test('a typed edit works the same way', async () => {
    const h = new BotHarness();
    let r = await toNote(h);
    r = await h.say('ze belde vanaf 06-87654321 en huilde');
    expect(marker(r)).toBe('notitie');
    r = await h.say('ja');
    r = await h.say('nog geen');
    const saved = (h.sink.saved[0] as unknown as { note: string }).note;
    expect(saved).toContain('huilde');
    expect(saved).not.toContain('87654321');
  });
});
