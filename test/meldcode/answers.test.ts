/**
 * One parser per question, table-driven: every visible label and value of every card (nl and en), what people type
 * instead, and negative rows that must stay undefined (the flow then asks again; it never guesses).
 */
import nl from '../../policy/texts/nl.json';
import en from '../../policy/texts/en.json';
import { loadPolicy, parsePolicy } from '../../src/meldcode/policy';
import {
  ageBand,
  isDisclosure,
  isSkip,
  parseAcute,
  parseAge,
  parseDoelgroep,
  parseGemeente,
  parseNoteConfirm,
  parseSector,
  parseSignalen,
  parseStappen,
  parseYesNo,
} from '../../src/meldcode/answers';
import { normalise as normaliseFromNlu } from '../../src/meldcode/nlu';
import { editDistance, normalise, normaliseLoose, numberWord } from '../../src/meldcode/normalise';
import { DOELGROEPEN, LEEFTIJDSGROEPEN, SECTORS } from '../../src/meldcode/types';

const policy = loadPolicy();
const langs = [nl, en] as const;
const label = (key: keyof typeof nl) => langs.map((t) => t[key]);

describe('normalise', () => {
  test('nlu.ts re-exports the same normalise', () => {
    expect(normaliseFromNlu).toBe(normalise);
    expect(normalise('  Één   Cliënt! ')).toBe(' een client ');
  });
  test.each<[string, string]>([
    ['Stap 1 t/m 3', 'stap 1 tm 3'],
    ["'s-Hertogenbosch", 's hertogenbosch'],
    ['Olst-Wijhe', 'olst wijhe'],
    ['0-3', '0 - 3'],
    ['kind 0–3', 'kind 0 - 3'],
    ['2,5 jaar', '2.5 jaar'],
    ['1. Breng de signalen in kaart', '1 breng de signalen in kaart'],
    ['14-jarige', '14 jarige'],
    ['Weet ik niet.', 'weet ik niet'],
  ])('normaliseLoose(%j) = %j', (text, expected) => {
    expect(normaliseLoose(text)).toBe(expected);
  });
  test.each<[string, string, number]>([
    ['zwolle', 'zwolle', 0],
    ['zwole', 'zwolle', 1],
    ['tilbrug', 'tilburg', 1],
    ['deveter', 'deventer', 1],
    ['kampen', 'dalfsen', 4],
  ])('editDistance(%s, %s) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
  test('editDistance stops early above the budget', () => {
    expect(editDistance('amsterdam', 'zwartewaterland', 2)).toBe(3);
  });
  test.each<[string, number | undefined]>([
    ['8', 8],
    ['twaalf', 12],
    ['twelve', 12],
    ['vijfenzeventig', 75],
    ['tweeentachtig', 82],
    ['anderhalf', 1.5],
    ['2.5', 2.5],
    ['acht', 8],
    ['achtste', undefined],
    ['kind', undefined],
  ])('numberWord(%s) = %s', (w, n) => {
    expect(numberWord(w)).toBe(n);
  });
});

describe('parseYesNo', () => {
  test.each<[string, 'ja' | 'nee' | 'weet-niet']>([
    // card labels and values
    ...label('answer.ja').map((l) => [l, 'ja'] as [string, 'ja']),
    ...label('answer.nee').map((l) => [l, 'nee'] as [string, 'nee']),
    ...label('answer.weetniet').map((l) => [l, 'weet-niet'] as [string, 'weet-niet']),
    ['ja', 'ja'],
    ['nee', 'nee'],
    ['weetniet', 'weet-niet'],
    // typed
    ['Ja', 'ja'],
    ['JA!', 'ja'],
    ['jaa', 'ja'],
    ['jazeker', 'ja'],
    ['ja zeker', 'ja'],
    ['klopt', 'ja'],
    ['Dat klopt.', 'ja'],
    ['ja hoor', 'ja'],
    ['ja, dat is zo', 'ja'],
    ['inderdaad', 'ja'],
    ['yes', 'ja'],
    ['Yep', 'ja'],
    ['ja, hij heeft het zelf gezegd', 'ja'],
    ['denk het wel', 'ja'],
    ['nee', 'nee'],
    ['Nee.', 'nee'],
    ['neee', 'nee'],
    ['nee hoor', 'nee'],
    ['nee, dank je', 'nee'],
    ['nope', 'nee'],
    ['no', 'nee'],
    ['zeker niet', 'nee'],
    ['helemaal niet', 'nee'],
    ['nee, niemand', 'nee'],
    ['waarschijnlijk niet', 'nee'],
    ['niet dat ik weet', 'nee'],
    ['geen idee', 'weet-niet'],
    ['weet ik niet', 'weet-niet'],
    ['Weet ik niet.', 'weet-niet'],
    ['weet niet', 'weet-niet'],
    ['ik weet het niet', 'weet-niet'],
    ['misschien', 'weet-niet'],
    ['ik twijfel', 'weet-niet'],
    ['twijfel', 'weet-niet'],
    ['uhm, geen idee', 'weet-niet'],
    ['ja maar ik weet het niet zeker', 'weet-niet'],
    ['de hulp loopt nog', 'weet-niet'],
    ['ik weet het echt niet', 'weet-niet'],
    ['dat weet ik eigenlijk niet', 'weet-niet'],
    ['nee, zeker niet', 'nee'],
    ['neuh', 'nee'],
    ['ik denk het', 'ja'],
    ["I don't know", 'weet-niet'],
    ['not sure', 'weet-niet'],
    ['maybe', 'weet-niet'],
  ])('%j → %s', (text, expected) => {
    expect(parseYesNo(text)).toBe(expected);
  });
  test.each(['', '   ', 'hallo', 'jaloers', 'neef', 'ja nee', 'nee ja', '12', 'de kinderen', 'op school', 'kampen'])('%j → undefined', (text) => {
    expect(parseYesNo(text)).toBeUndefined();
  });
});

describe('parseAcute', () => {
  test.each<[string, 'ja' | 'nee' | 'twijfel']>([
    ...label('answer.ja').map((l) => [l, 'ja'] as [string, 'ja']),
    ...label('answer.nee').map((l) => [l, 'nee'] as [string, 'nee']),
    ...label('answer.weetniet').map((l) => [l, 'twijfel'] as [string, 'twijfel']),
    ['ja', 'ja'],
    ['jazeker', 'ja'],
    ['ja, nu', 'ja'],
    ['er is nu gevaar', 'ja'],
    ['yes', 'ja'],
    ['nee', 'nee'],
    ['nee hoor', 'nee'],
    ['niemand', 'nee'],
    ['nee, niet acuut', 'nee'],
    ['geen gevaar', 'nee'],
    ['er is niemand in gevaar', 'nee'],
    ['nu niet nee', 'nee'],
    ['nope', 'nee'],
    ['no', 'nee'],
    ['weet ik niet', 'twijfel'],
    ['weet niet', 'twijfel'],
    ['weetniet', 'twijfel'],
    ['misschien', 'twijfel'],
    ['ik twijfel', 'twijfel'],
    ['geen idee', 'twijfel'],
    ['denk het wel', 'twijfel'],
    ['ik denk het niet', 'twijfel'],
    ['waarschijnlijk', 'twijfel'],
    ['niet dat ik weet', 'twijfel'],
    ['nee, maar ik twijfel', 'twijfel'],
    ['not sure', 'twijfel'],
  ])('%j → %s', (text, expected) => {
    expect(parseAcute(text)).toBe(expected);
  });
  test.each(['', 'hallo', 'blauwe plekken', 'Zwolle', 'ja nee'])('%j → undefined', (text) => {
    expect(parseAcute(text)).toBeUndefined();
  });
});

describe('parseNoteConfirm', () => {
  test.each<[string, 'ja' | 'nee']>([
    ...label('notitie.keep').map((l) => [l, 'ja'] as [string, 'ja']),
    ...label('notitie.drop').map((l) => [l, 'nee'] as [string, 'nee']),
    ['ja', 'ja'],
    ['klopt', 'ja'],
    ['bewaren', 'ja'],
    ['prima', 'ja'],
    ['nee', 'nee'],
    ['laat maar weg', 'nee'],
    ['niet bewaren', 'nee'],
    ['verwijderen', 'nee'],
  ])('%j → %s', (text, expected) => {
    expect(parseNoteConfirm(text)).toBe(expected);
  });
  test.each(['weet ik niet', 'hallo', ''])('%j → undefined', (text) => {
    expect(parseNoteConfirm(text)).toBeUndefined();
  });
});

describe('isSkip', () => {
  test.each(['overslaan', 'Overslaan!', 'sla over', 'sla maar over', 'skip', 'volgende', 'n.v.t.', 'nvt', 'weet ik niet', 'geen idee', "I don't know"])('%j skips', (text) => {
    expect(isSkip(text)).toBe(true);
  });
  test.each(['ja', 'nee', 'Zwolle', 'overslag', 'skippy', ''])('%j does not skip', (text) => {
    expect(isSkip(text)).toBe(false);
  });
  test('"weet ik niet" does not skip when the question has its own "weet niet" answer', () => {
    expect(isSkip('weet ik niet', { dontKnow: false })).toBe(false);
    expect(isSkip('overslaan', { dontKnow: false })).toBe(true);
  });
});

describe('parseGemeente', () => {
  test.each(policy.gemeenten.map((g) => [g.naam, g.code]))('card label %s → %s', (naam, code) => {
    expect(parseGemeente(naam, policy)).toBe(code);
    expect(parseGemeente(naam.toUpperCase(), policy)).toBe(code);
    expect(parseGemeente(code, policy)).toBe(code);
  });
  test.each<[string, string]>([
    ['zwolle', 'GM0193'],
    ['Zwole', 'GM0193'],
    ['zwolle.', 'GM0193'],
    ['gemeente Zwolle', 'GM0193'],
    ['in de gemeente Deventer', 'GM0150'],
    ['Deveter', 'GM0150'],
    ['Tilbrug', 'GM0855'],
    ['tilburg', 'GM0855'],
    ['steenwijkerlnd', 'GM1708'],
    ['Steenwijkerland', 'GM1708'],
    ['Steenwijk', 'GM1708'],
    ['Giethoorn', 'GM1708'],
    ['olst wijhe', 'GM1773'],
    ['Olst', 'GM1773'],
    ['olstwijhe', 'GM1773'],
    ['Hardenbreg', 'GM0160'],
    ['Dedemsvaart', 'GM0160'],
    ['IJsselmuiden', 'GM0166'],
    ['heerde', 'GM0246'],
    ['Zwartewaterlnad', 'GM1896'],
    ['0246', 'GM0246'],
    ['gm0246', 'GM0246'],
    ['ik werk in Raalte', 'GM0177'],
  ])('%j → %s', (text, code) => {
    expect(parseGemeente(text, policy)).toBe(code);
  });
  test.each([...label('gemeente.other'), 'anders', 'andere gemeente', 'staat er niet bij', 'other', 'weet ik niet'])('%j → null (national contacts)', (text) => {
    expect(parseGemeente(text, policy)).toBeNull();
  });
  test.each(['', 'Amsterdam', 'Den Bosch', 'hallo', 'ja', 'Zwolle of Deventer', 'gm9999', 'ik maak me zorgen over een leerling die vaak met blauwe plekken op school komt'])('%j → undefined', (text) => {
    expect(parseGemeente(text, policy)).toBeUndefined();
  });
  test('aliases from the policy: "Den Bosch" → \'s-Hertogenbosch', () => {
    const raw = JSON.parse(JSON.stringify(policy)) as { gemeenten: Array<Record<string, unknown>> };
    raw.gemeenten.push({ code: 'GM0796', naam: "'s-Hertogenbosch", aliassen: ['Den Bosch', 'Rosmalen'], contacten: [] });
    const withBosch = parsePolicy(raw);
    expect(parseGemeente('Den Bosch', withBosch)).toBe('GM0796');
    expect(parseGemeente('den bosch', withBosch)).toBe('GM0796');
    expect(parseGemeente('Den Bosh', withBosch)).toBe('GM0796');
    expect(parseGemeente("'s-Hertogenbosch", withBosch)).toBe('GM0796');
    expect(parseGemeente('s hertogenbosch', withBosch)).toBe('GM0796');
    expect(parseGemeente('Rosmalen', withBosch)).toBe('GM0796');
  });
  test('the policy check refuses an alias that is another gemeente\'s name', () => {
    const raw = JSON.parse(JSON.stringify(policy)) as { gemeenten: Array<Record<string, unknown>> };
    raw.gemeenten[0].aliassen = ['Zwolle'];
    expect(() => parsePolicy(raw)).toThrow(/ongeldig/);
  });
});

describe('parseSector', () => {
  const labelled = SECTORS.flatMap((s) => [
    [s, s],
    [policy.sectoren[s].nl, s],
    [policy.sectoren[s].en, s],
    ...label(`sector.${s}` as keyof typeof nl).map((l) => [l, s]),
  ]);
  test.each(labelled)('card label/value %j → %s', (text, sector) => {
    expect(parseSector(text, policy)).toBe(sector);
  });
  test.each<[string, string]>([
    ['onderwijs', 'onderwijs'],
    ['ONDERWIJS', 'onderwijs'],
    ['onderwjis', 'onderwijs'],
    ['ik ben juf', 'onderwijs'],
    ['leerkracht basisschool', 'onderwijs'],
    ['school', 'onderwijs'],
    ['in het onderwijs', 'onderwijs'],
    ['bso', 'kinderopvang'],
    ['kinderdagverblijf', 'kinderopvang'],
    ['kinderopvnag', 'kinderopvang'],
    ['gastouder', 'kinderopvang'],
    ['wmo', 'wmo'],
    ['wijkteam', 'wmo'],
    ['sociaal werk', 'wmo'],
    ['social work', 'wmo'],
    ['huisarts', 'gezondheidszorg'],
    ['ik werk in het ziekenhuis', 'gezondheidszorg'],
    ['gezondheidzorg', 'gezondheidszorg'],
    ['ggz', 'gezondheidszorg'],
    ['jeugdzorg', 'jeugdhulp'],
    ['jeugdhupl', 'jeugdhulp'],
    ['reclassering', 'justitie'],
    ['politie', 'justitie'],
    ['opvang', 'kinderopvang'],
    ['de zorg', 'gezondheidszorg'],
    ['welzijn', 'wmo'],
    ['basisonderwijs', 'onderwijs'],
    ['VO', 'onderwijs'],
    ['jeugd', 'jeugdhulp'],
    ['iets anders', 'overig'],
    ['anders', 'overig'],
    ['other', 'overig'],
  ])('%j → %s', (text, sector) => {
    expect(parseSector(text, policy)).toBe(sector);
  });
  test.each(['', 'hallo', 'ja', 'Zwolle', '12', 'geen idee'])('%j → undefined', (text) => {
    expect(parseSector(text, policy)).toBeUndefined();
  });
});

describe('parseDoelgroep', () => {
  const labelled = DOELGROEPEN.flatMap((d) => [[d, d], ...label(`doelgroep.${d}` as keyof typeof nl).map((l) => [l, d])]);
  test.each(labelled)('card label/value %j → %s', (text, doelgroep) => {
    expect(parseDoelgroep(text)).toBe(doelgroep);
  });
  test.each<[string, string]>([
    ['kind', 'kind'],
    ['een kind van 2', 'kind'],
    ['leerling', 'kind'],
    ['een leerling van 14', 'kind'],
    ['baby', 'kind'],
    ['peuter', 'kind'],
    ['puber', 'kind'],
    ['mijn leerling', 'kind'],
    ['8 jaar', 'kind'],
    ['child', 'kind'],
    ['partner', 'partner'],
    ['partnergeweld', 'partner'],
    ['haar man', 'partner'],
    ['echtgenote', 'partner'],
    ['oudere', 'oudere'],
    ['een oudere vrouw', 'oudere'],
    ['oma', 'oudere'],
    ['elderly', 'oudere'],
    ['78 jaar', 'oudere'],
    ['volwassene', 'volwassene'],
    ['een cliënt', 'volwassene'],
    ['adult', 'volwassene'],
  ])('%j → %s', (text, doelgroep) => {
    expect(parseDoelgroep(text)).toBe(doelgroep);
  });
  test.each(['', 'hallo', 'ja', 'Zwolle', 'ouders', 'weet ik niet'])('%j → undefined', (text) => {
    expect(parseDoelgroep(text)).toBeUndefined();
  });
});

describe('parseAge', () => {
  const labelled = LEEFTIJDSGROEPEN.flatMap((b) => [[b, b], ...label(`leeftijd.${b}` as keyof typeof nl).filter(Boolean).map((l) => [l, b])]);
  test.each(labelled)('card label/value %j → %s', (text, band) => {
    expect(parseAge(text)).toBe(band);
  });
  test.each<[string, string]>([
    ['8', '4-11'],
    ['van 14', '12-17'],
    ['2 jaar', '0-3'],
    ['2 jr', '0-3'],
    ['2jaar', '0-3'],
    ['0-3', '0-3'],
    ['kind 0-3', '0-3'],
    ['0 tot 4 jaar', '0-3'],
    ['0 tot 4', '0-3'],
    ['4 t/m 11', '4-11'],
    ['4-12', '4-11'],
    ['12 tot 18 jaar', '12-17'],
    ['12 to 18 years', '12-17'],
    ['baby', '0-3'],
    ['een baby', '0-3'],
    ['peuter', '0-3'],
    ['kleuter', '4-11'],
    ['puber', '12-17'],
    ['tiener', '12-17'],
    ['een kind van 2', '0-3'],
    ['een meisje van 9', '4-11'],
    ['ze is 9', '4-11'],
    ['9 denk ik', '4-11'],
    ['8 of 9', '4-11'],
    ['twaalf', '12-17'],
    ['twaalf jaar', '12-17'],
    ['drie', '0-3'],
    ['een jaar', '0-3'],
    ['anderhalf jaar', '0-3'],
    ['2,5 jaar', '0-3'],
    ['18 maanden', '0-3'],
    ['6 weken', '0-3'],
    ['14-jarige', '12-17'],
    ['4', '4-11'],
    ['3', '0-3'],
    ['11', '4-11'],
    ['12', '12-17'],
    ['17', '12-17'],
    ['groep 7', '4-11'],
    ['brugklas', '12-17'],
    ['basisschool', '4-11'],
    ['middelbare school', '12-17'],
    ['toddler', '0-3'],
    ['teenager', '12-17'],
    ['jonger dan 4', '0-3'],
    ['onder de 12', '4-11'],
    ['ouder dan 12', '12-17'],
    ['tussen de 8 en 10', '4-11'],
    ['35', '18-64'],
    ['80 jaar', '65+'],
  ])('%j → %s', (text, band) => {
    expect(parseAge(text)).toBe(band);
  });
  test.each(['', 'hallo', 'ja', 'oud', '3 of 4', '1-4', '2 kinderen', 'groep', 'klas 2', '200', 'een', 'Zwolle', 'weet ik niet'])('%j → undefined', (text) => {
    expect(parseAge(text)).toBeUndefined();
  });
  test('strict (free text): only ages with a unit or "<kind> van N"', () => {
    expect(parseAge('een leerling van 14 met blauwe plekken', { strict: true })).toBe('12-17');
    expect(parseAge('een 14-jarige leerling', { strict: true })).toBe('12-17');
    expect(parseAge('ik maak me al 2 jaar zorgen', { strict: true })).toBeUndefined();
    expect(parseAge('2 jaar geleden', { strict: true })).toBeUndefined();
    expect(parseAge('ik heb 3 leerlingen in de klas', { strict: true })).toBeUndefined();
    expect(parseAge('om 8 uur', { strict: true })).toBeUndefined();
  });
  test.each<[number, string | undefined]>([
    [0, '0-3'],
    [3.9, '0-3'],
    [4, '4-11'],
    [17, '12-17'],
    [18, '18-64'],
    [65, '65+'],
    [-1, undefined],
    [200, undefined],
  ])('ageBand(%s) = %s', (age, band) => {
    expect(ageBand(age)).toBe(band);
  });
});

describe('parseStappen', () => {
  const stepLabels = ([1, 2, 3, 4] as const).flatMap((s) => [
    [`${s}. ${policy.stappen[String(s) as '1'].nl}`, [s]],
    [`${s}. ${policy.stappen[String(s) as '1'].en}`, [s]],
    [policy.stappen[String(s) as '1'].nl, [s]],
  ]);
  test.each(stepLabels)('card label %j → %j', (text, steps) => {
    expect(parseStappen(text as string, policy)).toEqual(steps);
  });
  test.each<[string, number[]]>([
    ...label('stappen.none').map((l) => [l, []] as [string, number[]]),
    ['1', [1]],
    ['1,2', [1, 2]],
    ['1,2,3', [1, 2, 3]],
    ['1 en 2', [1, 2]],
    ['1, 2 en 3', [1, 2, 3]],
    ['2 en 1', [1, 2]],
    ['stap 1 t/m 3', [1, 2, 3]],
    ['stap 1 tm 3', [1, 2, 3]],
    ['stappen 1 tot en met 3', [1, 2, 3]],
    ['1-3', [1, 2, 3]],
    ['1 tot 3', [1, 2, 3]],
    ['1 to 3', [1, 2, 3]],
    ['1 and 2', [1, 2]],
    ['steps 1-4', [1, 2, 3, 4]],
    ['alle drie', [1, 2, 3]],
    ['alle 3', [1, 2, 3]],
    ['alle drie de stappen', [1, 2, 3]],
    ['all three', [1, 2, 3]],
    ['allemaal', [1, 2, 3, 4]],
    ['de eerste twee', [1, 2]],
    ['alleen de eerste', [1]],
    ['eerste stap', [1]],
    ['alleen stap 2', [2]],
    ['twee en drie', [2, 3]],
    ['123', [1, 2, 3]],
    ['ik heb stap 1 en 2 gedaan', [1, 2]],
    ['nog geen', []],
    ['niks', []],
    ['niets', []],
    ['geen', []],
    ['nog niet', []],
    ['nog helemaal niks', []],
    ['ik heb eigenlijk nog geen enkele stap gezet', []],
    ['none', []],
    ['signalen in kaart gebracht en overlegd met een collega', [1, 2]],
  ])('%j → %j', (text, steps) => {
    expect(parseStappen(text, policy)).toEqual(steps);
  });
  test.each(['', 'hallo', 'ja', '6', 'stap 7', '1 t/m 6', 'ik heb 2 kinderen', 'Zwolle', '3-1'])('%j → undefined', (text) => {
    expect(parseStappen(text, policy)).toBeUndefined();
  });
});

describe('parseSignalen', () => {
  test.each(policy.signalen.flatMap((s) => [[s.label.nl, s.code], [s.label.en, s.code], [s.code, s.code]]))('card label %j → %s', (text, code) => {
    expect(parseSignalen(text, policy)?.signalen).toContain(code);
  });
  test.each(policy.vormen.flatMap((v) => [[v.label.nl, v.code], [v.label.en, v.code], [v.code, v.code]]))('form label %j → %s', (text, code) => {
    expect(parseSignalen(text, policy)?.vormen).toContain(code);
  });
  test.each(label('signalen.disclosure'))('disclosure toggle label %j', (text) => {
    expect(parseSignalen(text, policy)?.disclosure).toBe(true);
  });
  test.each<[string, string[], string[]]>([
    ['blauwe plekken', ['lichamelijk-letsel'], []],
    ['heeft een blauw oog', ['lichamelijk-letsel'], []],
    ['komt vaak hongerig op school', ['verwaarlozing'], []],
    ['erg stil en schrikt snel', ['gedrag-angstig'], []],
    ['spijbelt veel', ['schoolverzuim'], []],
    ['vader drinkt', ['signalen-ouders'], []],
    ['blauwe plekken en vaak afwezig', ['lichamelijk-letsel', 'schoolverzuim'], []],
    ['loverboy', [], ['mensenhandel']],
    ['ze moet trouwen', [], ['huwelijksdwang']],
    ['zijn gedrag is veranderd', ['gedrag-agressief'], []],
    ['bruises and hungry', ['lichamelijk-letsel', 'verwaarlozing'], []],
  ])('%j → %j / %j', (text, signalen, vormen) => {
    const r = parseSignalen(text, policy, 'kind');
    expect(r?.signalen).toEqual(signalen);
    expect(r?.vormen).toEqual(vormen);
  });
  test('only the signals of the doelgroep', () => {
    expect(parseSignalen('geld verdwijnt van de pinpas', policy, 'oudere')?.signalen).toEqual(['financiele-uitbuiting']);
    expect(parseSignalen('geld verdwijnt van de pinpas', policy, 'kind')).toBeUndefined();
  });
  test('"Financiële uitbuiting" is that signal, not the form "uitbuiting" — also where the signal is not on the card', () => {
    expect(parseSignalen('financiële uitbuiting', policy, 'oudere')).toEqual({ signalen: ['financiele-uitbuiting'], vormen: [], disclosure: false });
    expect(parseSignalen('financiële uitbuiting', policy, 'kind')).toBeUndefined();
    expect(parseSignalen('uitbuiting', policy, 'kind')?.vormen).toEqual(['mensenhandel']);
  });
  test.each([...label('signalen.none'), 'geen', 'niets', 'none'])('%j → empty answer', (text) => {
    expect(parseSignalen(text, policy, 'kind')).toEqual({ signalen: [], vormen: [], disclosure: false });
  });
  test.each(['', 'hallo', 'ja', 'Zwolle', 'weet ik niet', 'zegt dat papa boos was maar verder gaat het goed'])('%j → undefined or no signal of abuse', (text) => {
    const r = parseSignalen(text, policy, 'kind');
    expect(r?.disclosure ?? false).toBe(false);
    expect(r?.vormen ?? []).toEqual([]);
    if (text !== 'zegt dat papa boos was maar verder gaat het goed') expect(r).toBeUndefined();
  });
  test('a told-about violence is a disclosure', () => {
    expect(parseSignalen('hij vertelde dat vader hem slaat', policy, 'kind')?.disclosure).toBe(true);
  });
});

describe('isDisclosure', () => {
  test.each([
    'hij vertelde dat vader hem slaat',
    'ze vertelde me dat ze thuis geslagen wordt',
    'een meisje vertelde dat ze moet trouwen',
    'de leerling heeft verteld dat zijn stiefvader hem schopt',
    'zij gaf aan dat haar man haar mishandelt',
    'ze zei dat oom aan haar zit',
    'she told me her father hits her',
    'hij is door zijn vader geslagen, vertelde hij',
  ])('%j → disclosure', (text) => {
    expect(isDisclosure(text)).toBe(true);
  });
  test.each([
    'zegt dat papa boos was',
    'ze zegt dat het goed gaat thuis',
    'hij vertelde over zijn vakantie',
    'ik vertelde de moeder dat hij geslagen zou worden als het zo doorging',
    'blauwe plekken op zijn arm',
    'ze zei dat er geen geweld is thuis',
    'de buurvrouw vertelde dat ze hem hoorde slaan',
    'een collega zei dat vader hem slaat',
    'vader slaat moeder',
  ])('%j → no disclosure', (text) => {
    expect(isDisclosure(text)).toBe(false);
  });
});

describe('the typed examples the bot gives after a second miss are understood', () => {
  test('each example parses with its question\'s parser', () => {
    expect(parseAcute('nee')).toBe('nee');
    expect(parseGemeente('Heerde', policy)).toBe('GM0246');
    expect(parseSector('onderwijs', policy)).toBe('onderwijs');
    expect(parseDoelgroep('kind van 8')).toBe('kind');
    expect(parseAge('kind van 8')).toBe('4-11');
    expect(parseYesNo('nee')).toBe('nee');
    expect(parseSignalen('blauwe plekken', policy, 'kind')?.signalen).toEqual(['lichamelijk-letsel']);
    expect(parseNoteConfirm('ja')).toBe('ja');
    expect(parseStappen('1 en 2', policy)).toEqual([1, 2]);
    expect(parseYesNo('ja')).toBe('ja');
  });
});

describe('robustness', () => {
  const parsers: Array<[string, (text: string) => unknown]> = [
    ['parseYesNo', parseYesNo],
    ['parseAcute', parseAcute],
    ['parseNoteConfirm', parseNoteConfirm],
    ['isSkip', (x) => isSkip(x)],
    ['parseGemeente', (x) => parseGemeente(x, policy)],
    ['parseSector', (x) => parseSector(x, policy)],
    ['parseDoelgroep', parseDoelgroep],
    ['parseAge', (x) => parseAge(x)],
    ['parseStappen', (x) => parseStappen(x, policy)],
    ['parseSignalen', (x) => parseSignalen(x, policy, 'kind')],
    ['isDisclosure', isDisclosure],
  ];
  // Deterministic pseudo-random text: letters, digits, punctuation, accents, emoji, dashes, slashes.
  const alphabet = 'abcdefghijklmnopqrstuvwxyz  0123456789.,-–/+()\'"éëïçñ😀\u0301\t\n';
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const samples = Array.from({ length: 300 }, () => Array.from({ length: Math.floor(rnd() * 40) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
  test.each(parsers)('%s never throws on odd input', (_name, parse) => {
    for (const s of [...samples, '', ' ', '-', '--', '0-', '-3', 't/m', '1 t/m', 'tot en met', '.', '2,', ',5', '1-2-3', '\u0000']) expect(() => parse(s)).not.toThrow();
  });
  test.each(parsers)('%s stays fast on a 4000-character message', (_name, parse) => {
    const long = 'de leerling vertelde dat vader hem slaat, 14 jaar, stap 1 t/m 3, Zwolle, blauwe plekken. '.repeat(45).slice(0, 4000);
    const started = Date.now();
    for (let i = 0; i < 5; i++) parse(long);
    expect((Date.now() - started) / 5).toBeLessThan(50);
  });
});
