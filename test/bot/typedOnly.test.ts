/**
 * Every question of every path, answered by typing only (no card submits), reaches the same advice and the same
 * stored case as clicking, in no more turns. Each path is a list of (question on the card, click, typed answer).
 */
import { BotHarness, lastCard, texts, type Reply } from '../support/botHarness';

type Click = { button: string } | { inputs: Record<string, unknown> };
interface Step {
  /** The question the card asks (its `mw` marker). */
  q: string;
  click: Click;
  typed: string;
}
const press = (button: string): Click => ({ button });
const inputs = (x: Record<string, unknown>): Click => ({ inputs: x });
const marker = (replies: Reply[]) => (lastCard(replies)?.actions?.[0]?.data?.mw as string | undefined) ?? null;

const heerdeSchool = (age: string, typedAge: string): Step[] => [
  { q: 'acuut', click: press('Nee'), typed: 'nee hoor' },
  { q: 'gemeente', click: inputs({ gemeente: 'GM0246' }), typed: 'heerde' },
  { q: 'sector', click: inputs({ sector: 'onderwijs' }), typed: 'ik ben juf' },
  { q: 'doelgroep', click: inputs({ doelgroep: 'kind', leeftijdsgroep: age }), typed: typedAge },
];
const afwegingPath = (answers: Array<['Ja' | 'Nee' | 'Weet ik niet', string]>): Step[] => [
  ...heerdeSchool('4-11', 'een kind van 8'),
  { q: 'medewerker', click: press('Nee'), typed: 'nee' },
  { q: 'signalen', click: inputs({ signalen: 'verwaarlozing', vormen: '', disclosure: 'false' }), typed: 'komt vaak hongerig op school' },
  { q: 'stappen', click: inputs({ stappen: '1,2,3' }), typed: 'stap 1 t/m 3' },
  ...answers.map(([button, typed], i): Step => ({ q: `afweging:${['vermoeden', 'onveilig', 'zelfHulp', 'hulpAanvaard', 'resultaat'][i]}`, click: press(button), typed })),
];

const PATHS: Array<[string, Step[], { actie: string; stap?: number }]> = [
  ['acute danger yes', [{ q: 'acuut', click: press('Ja'), typed: 'ja, nu' }], { actie: '112' }],
  ['acute danger doubt', [{ q: 'acuut', click: press('Weet ik niet'), typed: 'ik twijfel' }], { actie: '112' }],
  [
    'employee as suspect (kinderopvang, baby)',
    [
      { q: 'acuut', click: press('Nee'), typed: 'nee' },
      { q: 'gemeente', click: inputs({ gemeente: 'GM0855' }), typed: 'Tilburg' },
      { q: 'sector', click: inputs({ sector: 'kinderopvang' }), typed: 'kinderopvang' },
      { q: 'doelgroep', click: inputs({ doelgroep: 'kind', leeftijdsgroep: '0-3' }), typed: 'een kind van 2' },
      { q: 'medewerker', click: press('Ja'), typed: 'jazeker' },
    ],
    { actie: 'meldplicht-medewerker' },
  ],
  [
    'standard path to step 2 (age typed as the card label)',
    [
      ...heerdeSchool('0-3', '0 tot 4 jaar'),
      { q: 'medewerker', click: press('Nee'), typed: 'nee' },
      { q: 'signalen', click: inputs({ signalen: 'lichamelijk-letsel,gedrag-angstig', vormen: '', disclosure: 'false' }), typed: 'blauwe plekken en angstig' },
      { q: 'stappen', click: inputs({ stappen: '1' }), typed: '1' },
    ],
    { actie: 'collega-raadplegen', stap: 2 },
  ],
  [
    'employee unknown (weet ik niet), teenager',
    [
      ...heerdeSchool('12-17', 'van 14'),
      { q: 'medewerker', click: press('Weet ik niet'), typed: 'geen idee' },
      { q: 'signalen', click: inputs({ signalen: '', vormen: '', disclosure: 'false' }), typed: 'geen' },
      { q: 'stappen', click: inputs({ stappen: '' }), typed: 'nog geen' },
    ],
    { actie: 'signalen-in-kaart', stap: 1 },
  ],
  ['afweging 1 nee → afsluiten', afwegingPath([['Nee', 'nee']]), { actie: 'afsluiten' }],
  ['afweging 2 ja → melden', afwegingPath([['Ja', 'ja'], ['Ja', 'klopt']]), { actie: 'melden' }],
  ['afweging 3 nee → melden', afwegingPath([['Ja', 'ja'], ['Nee', 'nee'], ['Nee', 'nee hoor']]), { actie: 'melden' }],
  ['afweging 4 nee → melden', afwegingPath([['Ja', 'ja'], ['Nee', 'nee'], ['Ja', 'ja'], ['Nee', 'nee']]), { actie: 'melden' }],
  ['afweging 5 weet niet → hulp organiseren', afwegingPath([['Ja', 'ja'], ['Nee', 'nee'], ['Ja', 'ja'], ['Ja', 'ja'], ['Weet ik niet', 'weet ik niet']]), { actie: 'hulp-organiseren' }],
  ['afweging 5 ja → afsluiten met afspraken', afwegingPath([['Ja', 'ja'], ['Nee', 'nee'], ['Ja', 'ja'], ['Ja', 'ja'], ['Ja', 'ja']]), { actie: 'afsluiten-met-afspraken' }],
  ['afweging 1 twijfel → wegen', afwegingPath([['Weet ik niet', 'misschien']]), { actie: 'wegen' }],
  [
    'eergerelateerd geweld → Veilig Thuis direct',
    [
      ...heerdeSchool('12-17', 'puber'),
      { q: 'medewerker', click: press('Nee'), typed: 'nee' },
      { q: 'signalen', click: inputs({ signalen: '', vormen: 'eergerelateerd', disclosure: 'false' }), typed: 'eergerelateerd geweld' },
      { q: 'stappen', click: inputs({ stappen: '1,2,3' }), typed: 'alle drie' },
    ],
    { actie: 'veilig-thuis-direct' },
  ],
  [
    'Wmo partner: kindcheck, no employee question',
    [
      { q: 'acuut', click: press('Nee'), typed: 'nee' },
      { q: 'gemeente', click: inputs({ gemeente: 'GM1708' }), typed: 'steenwijk' },
      { q: 'sector', click: inputs({ sector: 'wmo' }), typed: 'wmo' },
      { q: 'doelgroep', click: inputs({ doelgroep: 'partner' }), typed: 'een partner' },
      { q: 'signalen', click: inputs({ signalen: 'isolatie', vormen: '', disclosure: 'false' }), typed: 'isolatie' },
      { q: 'stappen', click: inputs({ stappen: '' }), typed: 'geen stappen' },
    ],
    { actie: 'signalen-in-kaart', stap: 1 },
  ],
  [
    'oudere in another gemeente, disclosure',
    [
      { q: 'acuut', click: press('Nee'), typed: 'nee' },
      { q: 'gemeente', click: inputs({ gemeente: 'anders' }), typed: 'andere gemeente' },
      { q: 'sector', click: inputs({ sector: 'gezondheidszorg' }), typed: 'huisarts' },
      { q: 'doelgroep', click: inputs({ doelgroep: 'oudere' }), typed: 'een oudere' },
      { q: 'signalen', click: inputs({ signalen: '', vormen: '', disclosure: 'true' }), typed: 'het slachtoffer heeft het zelf verteld' },
      { q: 'stappen', click: inputs({ stappen: '1' }), typed: 'stap 1' },
    ],
    { actie: 'melden' },
  ],
];

async function drive(steps: Step[], mode: 'click' | 'typed') {
  const h = new BotHarness();
  let r = await h.say('start');
  let turns = 1;
  for (const step of steps) {
    expect(marker(r)).toBe(step.q);
    const card = lastCard(r);
    if (mode === 'typed') r = await h.say(step.typed);
    else if ('button' in step.click) r = await h.press(card, step.click.button);
    else r = await h.submit(card, step.click.inputs);
    turns++;
  }
  return { h, r, turns };
}

describe('typed only reaches the same advice as clicking, in no more turns', () => {
  test.each(PATHS)('%s', async (_name, steps, expected) => {
    const clicked = await drive(steps, 'click');
    const typed = await drive(steps, 'typed');
    expect(typed.h.sink.saved).toHaveLength(1);
    expect(clicked.h.sink.saved).toHaveLength(1);
    const a = typed.h.sink.saved[0]!;
    const b = clicked.h.sink.saved[0]!;
    expect(a.advice.actie).toBe(expected.actie);
    if (expected.stap) expect(a.advice.stap).toBe(expected.stap);
    expect(a.advice).toEqual(b.advice);
    expect(a.case).toEqual(b.case);
    expect(typed.turns).toBeLessThanOrEqual(clicked.turns);
    expect(texts(typed.r)).not.toMatch(/begreep ik niet|kon ik niet verwerken/);
  });

  test('a first message that says a lot needs fewer typed turns than clicking through', async () => {
    const h = new BotHarness();
    let r = await h.say('een leerling van 14 in Heerde heeft steeds blauwe plekken');
    expect(marker(r)).toBe('acuut');
    r = await h.say('nee');
    // Gemeente, sector, doelgroep and age came from the message and are shown, changeable.
    expect(texts(r)).toContain('Ik heb uit uw bericht overgenomen');
    expect(texts(r)).toContain('12 tot 18 jaar');
    expect(marker(r)).toBe('medewerker');
    r = await h.say('nee');
    r = await h.say('blauwe plekken');
    r = await h.say('nog geen');
    expect(h.sink.saved[0]!.case).toMatchObject({ gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '12-17', signalen: ['lichamelijk-letsel'] });
    expect(h.sink.saved[0]!.advice.actie).toBe('signalen-in-kaart');
  });
});
