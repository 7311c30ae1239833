import { advise, nextAfwegingsvraag, routeOverleg } from '../../src/meldcode';
import type { CaseInput } from '../../src/meldcode';
import { loadPolicy } from '../../src/meldcode/policy';

const policy = loadPolicy();
const base: CaseInput = { gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11', signalen: ['lichamelijk-letsel'] };
const allSteps: CaseInput = { ...base, stappenGedaan: [1, 2, 3] };
const roles = (c: CaseInput) => advise(c, policy).contacten.map((x) => x.rol);

describe('precedence', () => {
  test.each<[string, CaseInput, string, number, string | null]>([
    ['acute danger beats everything', { ...allSteps, acuutGevaar: true, plegerIsMedewerker: true, vormen: ['eergerelateerd'], disclosure: true }, '112', 4, 'acuut-of-structureel'],
    ['employee route beats forms and disclosure', { ...base, plegerIsMedewerker: true, vormen: ['huwelijksdwang'], disclosure: true }, 'meldplicht-medewerker', 1, null],
    ['employee route also in kinderopvang', { ...base, sector: 'kinderopvang', plegerIsMedewerker: true }, 'meldplicht-medewerker', 1, null],
    ['employee route not in wmo: meldcode applies', { ...base, sector: 'wmo', plegerIsMedewerker: true }, 'signalen-in-kaart', 1, null],
    ['eergerelateerd → Veilig Thuis direct', { ...base, vormen: ['eergerelateerd'] }, 'veilig-thuis-direct', 2, null],
    ['huwelijksdwang → Veilig Thuis direct', { ...base, vormen: ['huwelijksdwang'], afweging: { vermoeden: false } }, 'veilig-thuis-direct', 2, null],
    ['vgv → Veilig Thuis direct', { ...base, vormen: ['vgv'] }, 'veilig-thuis-direct', 2, null],
    ['vgv with disclosure carries the meldnorm', { ...base, vormen: ['vgv'], disclosure: true }, 'veilig-thuis-direct', 2, 'acuut-of-structureel'],
    ['seksueel geweld is acute onveiligheid: Veilig Thuis first, meldnorm applies', { ...base, vormen: ['seksueel'] }, 'veilig-thuis-direct', 2, 'acuut-of-structureel'],
    ['mensenhandel is not listed as acute: the meldcode steps', { ...base, vormen: ['mensenhandel'] }, 'signalen-in-kaart', 1, null],
    ['disclosure counts as acute: melden', { ...base, disclosure: true, afweging: { vermoeden: false } }, 'melden', 5, 'acuut-of-structureel'],
    ['answered afweging beats open steps', { ...base, stappenGedaan: [1], afweging: { vermoeden: true, onveilig: true } }, 'melden', 5, 'acuut-of-structureel'],
  ])('%s', (_name, input, actie, stap, meldnorm) => {
    const a = advise(input, policy);
    expect(a.actie).toBe(actie);
    expect(a.stap).toBe(stap);
    expect(a.meldnorm).toBe(meldnorm);
  });
});

describe('afwegingsvragen, every path', () => {
  test.each<[string, CaseInput['afweging'], string, string | null, string | null]>([
    ['1 nee → afsluiten', { vermoeden: false }, 'afsluiten', null, null],
    ['1 ja, 2 open → wegen', { vermoeden: true }, 'wegen', null, 'onveilig'],
    ['2 ja → melden (acuut/structureel)', { vermoeden: true, onveilig: true }, 'melden', 'acuut-of-structureel', null],
    ['3 nee → melden (onvoldoende hulp)', { vermoeden: true, onveilig: false, zelfHulp: false }, 'melden', 'onvoldoende-hulp', null],
    ['3 open → wegen', { vermoeden: true, onveilig: false }, 'wegen', null, 'zelfHulp'],
    ['4 nee → melden (niet aanvaard)', { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: false }, 'melden', 'hulp-niet-aanvaard', null],
    ['4 ja → hulp organiseren, 5 still to ask', { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: true }, 'hulp-organiseren', null, 'resultaat'],
    ['4 ja, 5 null → hulp organiseren', { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: true, resultaat: null }, 'hulp-organiseren', null, 'resultaat'],
    ['5 nee → opnieuw melden', { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: true, resultaat: false }, 'melden', 'geen-resultaat', null],
    ['5 ja → afsluiten met afspraken', { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: true, resultaat: true }, 'afsluiten-met-afspraken', null, null],
    ['nothing answered → wegen, ask 1', {}, 'wegen', null, 'vermoeden'],
  ])('%s', (_name, afweging, actie, meldnorm, next) => {
    const input = { ...allSteps, afweging };
    const a = advise(input, policy);
    expect(a.actie).toBe(actie);
    expect(a.meldnorm).toBe(meldnorm);
    expect(nextAfwegingsvraag(input)).toBe(next);
    if (actie === 'wegen') expect(a.stap).toBe(4);
    else if (actie === 'afsluiten') expect(a.stap).toBe(4);
    else expect(a.stap).toBe(5);
  });
});

describe('first open step', () => {
  test.each<[number[], number, string]>([
    [[], 1, 'signalen-in-kaart'],
    [[1], 2, 'collega-raadplegen'],
    [[1, 2], 3, 'gesprek'],
    [[2, 1], 3, 'gesprek'],
    [[1, 3], 2, 'collega-raadplegen'],
    [[1, 2, 3], 4, 'wegen'],
    [[1, 2, 3, 4], 5, 'wegen'],
  ])('steps done %j → stap %i (%s)', (done, stap, actie) => {
    const a = advise({ ...base, stappenGedaan: done as CaseInput['stappenGedaan'] }, policy);
    expect(a.stap).toBe(stap);
    expect(a.actie).toBe(actie);
  });
});

describe('kindcheck', () => {
  test.each<[Partial<CaseInput>, boolean]>([
    [{ sector: 'wmo', doelgroep: 'partner' }, true],
    [{ sector: 'gezondheidszorg', doelgroep: 'volwassene' }, true],
    [{ sector: 'wmo', doelgroep: 'kind' }, false],
    [{ sector: 'onderwijs', doelgroep: 'partner' }, false],
    [{ sector: 'wmo', doelgroep: 'oudere' }, false],
    [{ doelgroep: 'partner' }, true],
  ])('%j → %s', (partial, expected) => {
    const a = advise({ gemeente: 'GM0855', ...partial }, policy);
    expect(a.kindcheck).toBe(expected);
    expect(a.tekst.includes(policy.kindcheck.nl)).toBe(expected);
  });
});

describe('contacts per gemeente', () => {
  test('Heerde, school, kind: gezinscoach and aandachtsfunctionaris jeugd, then Veilig Thuis', () => {
    expect(roles(base)).toEqual(['gezinscoach', 'aandachtsfunctionaris-jeugd', 'veilig-thuis']);
    const vt = advise(base, policy).contacten.find((c) => c.rol === 'veilig-thuis');
    expect(vt?.naam).toBe('Veilig Thuis Noord- en Oost-Gelderland');
    expect(vt?.telefoon).toBe('0800-2000');
  });
  test('Heerde, Wmo, oudere: aandachtsfunctionaris volwassenen en ouderen', () => {
    expect(roles({ gemeente: 'GM0246', sector: 'wmo', doelgroep: 'oudere' })).toEqual(['aandachtsfunctionaris-volwassenen-ouderen', 'veilig-thuis']);
  });
  test('Steenwijkerland: procescoördinator and Veilig Thuis IJsselland', () => {
    const a = advise({ gemeente: 'GM1708', sector: 'wmo', doelgroep: 'partner' }, policy);
    expect(a.contacten.map((c) => c.rol)).toEqual(['procescoordinator', 'veilig-thuis']);
    expect(a.contacten[1]!.naam).toBe('Veilig Thuis IJsselland');
  });
  test('other IJsselland gemeente (Zwolle): regional contacts only, plus own aandachtsfunctionaris', () => {
    const a = advise({ gemeente: 'GM0193', sector: 'onderwijs', doelgroep: 'kind' }, policy);
    expect(a.contacten.map((c) => c.rol)).toEqual(['aandachtsfunctionaris', 'veilig-thuis']);
    expect(a.contacten[1]!.naam).toBe('Veilig Thuis IJsselland');
  });
  test('Tilburg: de Toegang', () => {
    expect(roles({ gemeente: 'GM0855', sector: 'onderwijs', doelgroep: 'kind' })).toEqual(['toegang', 'veilig-thuis']);
  });
  test('unknown gemeente still gets national contacts', () => {
    const a = advise({ gemeente: 'GM9999', doelgroep: 'kind' }, policy);
    expect(a.contacten.map((c) => c.rol)).toEqual(['aandachtsfunctionaris', 'veilig-thuis']);
    expect(a.contacten[1]).toMatchObject({ naam: 'Veilig Thuis', telefoon: '0800-2000' });
  });
  test('acute: 112 first, then Veilig Thuis, nothing else', () => {
    expect(roles({ ...base, acuutGevaar: true })).toEqual(['112', 'veilig-thuis']);
  });
  test('employee route: vertrouwensinspecteur with the public number', () => {
    const a = advise({ ...base, plegerIsMedewerker: true }, policy);
    expect(a.contacten).toEqual([expect.objectContaining({ rol: 'vertrouwensinspecteur', telefoon: '0900-1113111' })]);
  });
  test('sexual violence adds Centrum Seksueel Geweld', () => {
    expect(roles({ ...base, vormen: ['seksueel'] })).toContain('centrum-seksueel-geweld');
  });
  test('melden puts Veilig Thuis first', () => {
    expect(roles({ ...allSteps, afweging: { vermoeden: true, onveilig: true } })[0]).toBe('veilig-thuis');
  });
});

describe('overleg routing', () => {
  test.each<[CaseInput, string]>([
    [{ gemeente: 'GM0246', doelgroep: 'kind' }, 'aandachtsfunctionaris-jeugd'],
    [{ gemeente: 'GM0246', doelgroep: 'oudere' }, 'aandachtsfunctionaris-volwassenen-ouderen'],
    [{ gemeente: 'GM1708', doelgroep: 'kind' }, 'procescoordinator'],
    [{ gemeente: 'GM0855', doelgroep: 'partner' }, 'toegang'],
    [{ gemeente: 'GM0193', doelgroep: 'kind' }, 'aandachtsfunctionaris'],
    [{}, 'aandachtsfunctionaris'],
  ])('%j → %s', (input, rol) => expect(routeOverleg(input, policy)).toBe(rol));
});

describe('texts', () => {
  test('advice text names the step, is in Dutch, and leaves the decision to the professional', () => {
    const a = advise(base, policy);
    expect(a.tekst).toMatch(/^Stap 1: Breng de signalen in kaart\./);
    expect(a.tekst).toContain('leerlingdossier');
    expect(a.tekst).toContain('U beslist zelf als professional');
  });
  test('English on request', () => {
    const a = advise(base, policy, 'en');
    expect(a.tekst).toMatch(/^Step 1: Map the signs\./);
    expect(a.tekst).toContain('You decide as the professional');
  });
  test('meldnorm text is included when melden is the outcome', () => {
    const a = advise({ ...allSteps, afweging: { vermoeden: true, onveilig: false, zelfHulp: false } }, policy);
    expect(a.tekst).toContain('onvoldoende mate effectieve hulp');
  });
});
