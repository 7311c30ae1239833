/**
 * Issue #9, "true to the meldcode": routes outside the five steps keep their own title, "weet ik niet" at the
 * employee question names the meldplicht, sexual violence goes to Veilig Thuis first, the melden advice carries the
 * meldcode's caveat, and local wording stays in its own gemeente.
 */
import { aandachtspunten, adviceTitle, advise, CaseInput as CaseInputSchema, isRouteActie } from '../../src/meldcode';
import type { CaseInput } from '../../src/meldcode';
import { loadPolicy } from '../../src/meldcode/policy';
import { adviceCard } from '../../src/consultation/adviceCard';

const policy = loadPolicy();
const kind: CaseInput = { gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11', signalen: ['lichamelijk-letsel'] };
const allSteps: CaseInput = { ...kind, stappenGedaan: [1, 2, 3] };
const cardText = (input: CaseInput, lang: 'nl' | 'en' = 'nl') => JSON.stringify(adviceCard(advise(input, policy, lang), policy, lang, 'MW-ABC234', true, input.sector));
const cardTitle = (input: CaseInput, lang: 'nl' | 'en' = 'nl') =>
  (adviceCard(advise(input, policy, lang), policy, lang, null, false, input.sector) as { body: Array<{ text?: string }> }).body[0]!.text;

describe('routes outside the five steps have their own title, never "Stap N"', () => {
  test.each<[string, CaseInput, string, string]>([
    ['112', { ...kind, acuutGevaar: true }, 'Acuut gevaar: bel 112', 'Acute danger: call 112'],
    ['meldplicht medewerker', { ...kind, plegerIsMedewerker: true }, 'Buiten de meldcode: meldplicht bij een medewerker als vermoedelijke pleger', 'Outside the meldcode: duty to report when an employee is the suspected perpetrator'],
    ['Veilig Thuis direct', { ...kind, vormen: ['huwelijksdwang'] }, 'Direct naar Veilig Thuis', 'Straight to Veilig Thuis'],
  ])('%s', (_name, input, nl, en) => {
    const a = advise(input, policy);
    expect(isRouteActie(a.actie)).toBe(true);
    expect(adviceTitle(a, policy, 'nl')).toBe(nl);
    expect(a.titel).toBe(nl);
    expect(a.tekst.startsWith(`${nl}.`)).toBe(true);
    expect(a.tekst).not.toMatch(/Stap \d/);
    expect(cardTitle(input)).toBe(nl);
    expect(cardTitle(input, 'en')).toBe(en);
  });
  test.each<[CaseInput, string]>([
    [kind, 'Stap 1: Breng de signalen in kaart'],
    [{ ...kind, stappenGedaan: [1] }, 'Stap 2: Overleg met een collega en raadpleeg zo nodig Veilig Thuis'],
    [{ ...allSteps, afweging: { vermoeden: true, onveilig: true } }, 'Stap 5: Neem twee beslissingen'],
  ])('meldcode steps keep their step title (%#)', (input, prefix) => {
    const a = advise(input, policy);
    expect(isRouteActie(a.actie)).toBe(false);
    expect(cardTitle(input)!.startsWith(prefix)).toBe(true);
  });
});

describe('pleger is medewerker: ja / nee / weet ik niet', () => {
  const vertrouwensinspecteur = (input: CaseInput) => advise(input, policy).contacten.some((c) => c.rol === 'vertrouwensinspecteur');
  test.each<[string, CaseInput, string, boolean, boolean]>([
    ['ja, onderwijs → the route', { ...kind, plegerIsMedewerker: true }, 'meldplicht-medewerker', false, true],
    ['nee, onderwijs → meldcode, no meldplicht', { ...kind, plegerIsMedewerker: false }, 'signalen-in-kaart', false, false],
    ['weet ik niet, onderwijs → meldcode + meldplicht to check', { ...kind, plegerIsMedewerker: null }, 'signalen-in-kaart', true, true],
    ['weet ik niet, kinderopvang → meldcode + meldplicht to check', { ...kind, sector: 'kinderopvang', plegerIsMedewerker: null }, 'signalen-in-kaart', true, true],
    ['weet ik niet, after the afweging → melden + meldplicht to check', { ...allSteps, plegerIsMedewerker: null, afweging: { vermoeden: true, onveilig: true } }, 'melden', true, true],
    ['not asked → nothing about the meldplicht', kind, 'signalen-in-kaart', false, false],
    ['weet ik niet in wmo → the meldplicht does not apply there', { ...kind, sector: 'wmo', plegerIsMedewerker: null }, 'signalen-in-kaart', false, false],
    ['weet ik niet with acute danger → 112 only', { ...kind, acuutGevaar: true, plegerIsMedewerker: null }, '112', false, false],
  ])('%s', (_name, input, actie, mentions, inspecteur) => {
    const a = advise(input, policy);
    expect(a.actie).toBe(actie);
    expect(a.tekst.includes('0900-1113111')).toBe(mentions || actie === 'meldplicht-medewerker');
    expect((a.aandachtspunten ?? []).includes('meldplicht-controleren')).toBe(mentions);
    expect(vertrouwensinspecteur(input)).toBe(inspecteur);
    if (mentions) {
      expect(a.tekst).toMatch(/meldplicht/);
      expect(cardText(input)).toContain('vertrouwensinspecteur (0900-1113111');
    }
  });
  test('null is accepted by the case schema (the flow sends it for "weet ik niet")', () => {
    expect(CaseInputSchema.safeParse({ plegerIsMedewerker: null }).success).toBe(true);
  });
});

describe('forms with acute onveiligheid: Veilig Thuis first, not "Stap 1, noteer de feiten"', () => {
  test.each<[string, CaseInput]>([
    ['seksueel geweld, nothing done yet', { ...kind, vormen: ['seksueel'] }],
    ['seksueel geweld, partner, wmo', { gemeente: 'GM1708', sector: 'wmo', doelgroep: 'partner', vormen: ['seksueel'] }],
    ['eergerelateerd', { ...kind, vormen: ['eergerelateerd'] }],
    ['huwelijksdwang', { ...kind, vormen: ['huwelijksdwang'] }],
    ['vgv', { ...kind, vormen: ['vgv'] }],
  ])('%s', (_name, input) => {
    const a = advise(input, policy);
    expect(a.actie).toBe('veilig-thuis-direct');
    expect(a.contacten[0]!.rol).toBe('veilig-thuis');
    expect(a.tekst).not.toMatch(/Stap 1|leerlingdossier|Leg de signalen/);
    expect(a.tekst).toContain('0800-2000');
  });
  test('sexual violence: Centrum Seksueel Geweld within 7 days, after Veilig Thuis', () => {
    const a = advise({ ...kind, vormen: ['seksueel'] }, policy);
    const rollen = a.contacten.map((c) => c.rol);
    expect(rollen.indexOf('veilig-thuis')).toBeLessThan(rollen.indexOf('centrum-seksueel-geweld'));
    expect(a.tekst).toContain('7 dagen');
    expect(a.tekst).toContain('0800-0188');
    expect(a.meldnorm).toBe('acuut-of-structureel');
    expect(aandachtspunten({ ...kind, vormen: ['seksueel'] }, a.actie)).toContain('centrum-seksueel-geweld');
    expect(cardText({ ...kind, vormen: ['seksueel'] })).toContain('Centrum Seksueel Geweld (0800-0188');
  });
  test('the employee route still comes first (statutory meldplicht)', () => {
    expect(advise({ ...kind, vormen: ['seksueel'], plegerIsMedewerker: true }, policy).actie).toBe('meldplicht-medewerker');
  });
});

describe('melden: "bespreek vooraf" always carries the meldcode exception', () => {
  const caveat = /behalve als dat de veiligheid van de cliënt, van uzelf of van anderen in gevaar brengt, of als u daardoor het contact met de cliënt kwijtraakt/;
  test.each<[string, CaseInput['afweging']]>([
    ['acuut of structureel', { vermoeden: true, onveilig: true }],
    ['onvoldoende hulp', { vermoeden: true, onveilig: false, zelfHulp: false }],
    ['hulp niet aanvaard', { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: false }],
    ['geen resultaat', { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: true, resultaat: false }],
  ])('%s', (_name, afweging) => {
    const a = advise({ ...allSteps, afweging }, policy);
    expect(a.actie).toBe('melden');
    expect(a.tekst).toMatch(caveat);
    expect(cardText({ ...allSteps, afweging })).toMatch(caveat);
    expect(advise({ ...allSteps, afweging }, policy, 'en').tekst).toMatch(/except when that endangers the safety of the client, yourself or others, or would break off your contact/);
  });
  test('every policy text that says "vooraf bespreken" has the exception', () => {
    const texts = [...Object.values(policy.acties).flatMap((bySector) => Object.values(bySector)), ...policy.gemeenten.flatMap((g) => Object.values(g.acties ?? {}).flatMap((x) => Object.values(x ?? {})))];
    const vooraf = texts.filter((x) => /vooraf/i.test(x!.nl));
    expect(vooraf.length).toBeGreaterThan(0);
    for (const x of vooraf) expect(x!.nl).toMatch(caveat);
  });
});

describe('local wording stays in its gemeente', () => {
  const gezinscoach = /gezinscoach/i;
  test.each<[string, boolean, CaseInput]>([
    ['Heerde school, stap 1', true, { ...kind, gemeente: 'GM0246' }],
    ['Heerde school, stap 2', true, { ...kind, gemeente: 'GM0246', stappenGedaan: [1] }],
    ['Steenwijkerland school, stap 1', false, { ...kind, gemeente: 'GM1708' }],
    ['Steenwijkerland school, stap 2', false, { ...kind, gemeente: 'GM1708', stappenGedaan: [1] }],
    ['Tilburg school', false, { ...kind, gemeente: 'GM0855' }],
    ['unknown gemeente', false, { ...kind, gemeente: 'GM9999' }],
    ['no gemeente', false, { sector: 'onderwijs', doelgroep: 'kind' }],
  ])('"(of de) gezinscoach": %s → %s', (_name, expected, input) => {
    const a = advise(input, policy);
    expect(gezinscoach.test(a.actieTekst!)).toBe(expected);
    expect(gezinscoach.test(a.tekst)).toBe(expected);
    expect(gezinscoach.test(cardText(input))).toBe(expected);
  });
  test('Tilburg names de Toegang, its first point of contact', () => {
    expect(advise({ gemeente: 'GM0855', sector: 'wmo', doelgroep: 'partner' }, policy).actieTekst).toContain('de Toegang');
    expect(advise({ gemeente: 'GM1708', sector: 'wmo', doelgroep: 'partner' }, policy).actieTekst).not.toContain('Toegang');
  });
  test('a gemeente override is only used for that gemeente', () => {
    for (const g of policy.gemeenten.filter((x) => x.acties)) {
      const others = policy.gemeenten.filter((x) => x.code !== g.code).map((x) => x.code);
      for (const [actie, texts] of Object.entries(g.acties!)) {
        for (const local of Object.values(texts ?? {})) {
          for (const other of [...others, 'GM9999']) {
            for (const sector of ['onderwijs', 'wmo', 'kinderopvang'] as const) {
              const a = advise({ gemeente: other, sector, doelgroep: 'kind' }, policy);
              if (a.actie === actie) expect(a.actieTekst).not.toBe(local!.nl);
            }
          }
        }
      }
    }
  });
});
