import { anonymise, detect, directIdentifierTypes, isValidBsn, isValidIban } from '../../src/privacy/index';
import { FINDING_TYPES } from '../../src/privacy/types';
import type { FindingType } from '../../src/privacy/types';

type Case = [input: string, expected: Array<[FindingType, string]>];

/** Every expected identifier must be found with exactly this type and exactly this span (text.slice(start, end)). */
function expectFound(input: string, expected: Array<[FindingType, string]>): void {
  const found = detect(input).map((f) => [f.type, input.slice(f.start, f.end)]);
  for (const e of expected) expect(found).toContainEqual(e);
}

describe('detect: structured identifiers, exact spans', () => {
  const cases: Record<string, Case[]> = {
    BSN: [
      ['BSN van het kind: 123456782.', [['BSN', '123456782']]],
      ['Zijn BSN is 123.456.782 volgens moeder.', [['BSN', '123.456.782']]],
      ['BSN 123 456 782', [['BSN', '123 456 782']]],
      ['burgerservicenummer 726273788, klopt dat?', [['BSN', '726273788']]],
      ['BSN moeder 1234.56.782', [['BSN', '1234.56.782']]],
    ],
    TELEFOON: [
      ['Bel moeder op 06-12345678.', [['TELEFOON', '06-12345678']]],
      ['Nummer: 06 1234 5678', [['TELEFOON', '06 1234 5678']]],
      ['Vader: +31 6 12345678', [['TELEFOON', '+31 6 12345678']]],
      ['Vader: 0031612345678', [['TELEFOON', '0031612345678']]],
      ['Werk: 038-4212345 (alleen overdag)', [['TELEFOON', '038-4212345']]],
      ['School: (038) 421 23 45.', [['TELEFOON', '(038) 421 23 45']]],
      ['Betaalnummer 0900-1234567 van de oplichter', [['TELEFOON', '0900-1234567']]],
      ['Gratis nummer 0800-1234 van de schuldeiser', [['TELEFOON', '0800-1234']]],
      ['Tante in Polen: +48 501 234 567', [['TELEFOON', '+48 501 234 567']]],
      ['mobiel 06.24.68.13.57', [['TELEFOON', '06.24.68.13.57']]],
    ],
    EMAIL: [
      ['Mail naar jan.de.vries@example.nl graag.', [['EMAIL', 'jan.de.vries@example.nl']]],
      ['(f.elamrani+school@gmail.com)', [['EMAIL', 'f.elamrani+school@gmail.com']]],
      ['adres: jan [at] voorbeeld.nl', [['EMAIL', 'jan [at] voorbeeld.nl']]],
    ],
    URL: [
      ['Zie https://www.voorbeeld.nl/pagina?id=3.', [['URL', 'https://www.voorbeeld.nl/pagina?id=3']]],
      ['Profiel: instagram.com/daan_2012', [['URL', 'instagram.com/daan_2012']]],
      ['www.schoolvoorbeeld.nl', [['URL', 'www.schoolvoorbeeld.nl']]],
    ],
    IBAN: [
      ['IBAN NL91 ABNA 0417 1643 00.', [['IBAN', 'NL91 ABNA 0417 1643 00']]],
      ['rekening NL91ABNA0417164300', [['IBAN', 'NL91ABNA0417164300']]],
      ['rekening nl91abna0417164300', [['IBAN', 'nl91abna0417164300']]],
      ['rekening NL91-ABNA-0417-1643-00', [['IBAN', 'NL91-ABNA-0417-1643-00']]],
      ['Belgische rekening BE68 5390 0754 7034', [['IBAN', 'BE68 5390 0754 7034']]],
    ],
    POSTCODE: [
      ['Postcode 8181 AB, huisnummer onbekend', [['POSTCODE', '8181 AB']]],
      ['woont in 8181AB Heerde', [['POSTCODE', '8181AB']]],
      ['postcode: 8181 ab', [['POSTCODE', '8181 ab']]],
    ],
    ADRES: [
      ['Adres: Dorpsstraat 12, 8181 AB Heerde.', [['ADRES', 'Dorpsstraat 12, 8181 AB Heerde']]],
      ['Ze woont op de Burgemeester Smitstraat 4a in Deventer.', [['ADRES', 'Burgemeester Smitstraat 4a']]],
      ['Wielewaal 22, 8252 DK Dronten', [['ADRES', 'Wielewaal 22, 8252 DK Dronten']]],
      ['Hij woont op Wielewaal 22 bij zijn oma.', [['ADRES', 'Wielewaal 22']]],
      ['8181 AB 12', [['ADRES', '8181 AB 12']]],
      ['Ze woont aan de Laan van Meerdervoort 1021 in Den Haag.', [['ADRES', 'Laan van Meerdervoort 1021']]],
    ],
    DATUM: [
      ['Op 12-03-2015 was er een incident.', [['DATUM', '12-03-2015']]],
      ['Gezien op 12/3/15.', [['DATUM', '12/3/15']]],
      ['Datum 2015-03-12', [['DATUM', '2015-03-12']]],
      ['Datum 12 - 03 - 2015 en 12-03-\'15', [['DATUM', '12 - 03 - 2015'], ['DATUM', "12-03-'15"]]],
      ['Geboren 12 maart 2015 in Zwolle.', [['DATUM', '12 maart 2015']]],
      ['Gesprek op 3 jan. met moeder', [['DATUM', '3 jan']]],
      ['Sinds maart 2015 woont hij hier.', [['DATUM', 'maart 2015']]],
      ['Op 1 september begint school.', [['DATUM', '1 september']]],
      ['Op 12/3 was hij afwezig.', [['DATUM', '12/3']]],
      ['Het gebeurde op 5 en 6 maart thuis.', [['DATUM', '5 en 6 maart']]],
      ['Afwezig op 3, 4 of 5 mei.', [['DATUM', '3, 4 of 5 mei']]],
      ['Logeerde 12 t/m 14 juni bij oma.', [['DATUM', '12 t/m 14 juni']]],
    ],
    LEEFTIJD: [
      ['Het kind is 7 jaar.', [['LEEFTIJD', '7 jaar']]],
      ['Hij is al 7 jaar.', [['LEEFTIJD', '7 jaar']]],
      ['De 7-jarige jongen huilde.', [['LEEFTIJD', '7-jarige']]],
      ['Zij is zeven jaar oud.', [['LEEFTIJD', 'zeven jaar oud']]],
      ['leeftijd: 15', [['LEEFTIJD', '15']]],
      ['Daan (7) huilde.', [['LEEFTIJD', '7']]],
      ['een baby van 8 maanden', [['LEEFTIJD', '8 maanden']]],
      ['een meisje van 12 stond buiten', [['LEEFTIJD', '12']]],
    ],
    ID: [
      ['Cliëntnummer 20231234 in het systeem.', [['ID', '20231234']]],
      ['Studentnummer s2045871.', [['ID', 's2045871']]],
      ['Dossier 2024-118734 is aangemaakt.', [['ID', '2024-118734']]],
      ['Een nummer van 9 cijfers zonder elfproef: 123456789.', [['ID', '123456789']]],
      ['IBAN met typefout NL91ABNA0417164301', [['ID', 'NL91ABNA0417164301']]],
      ['Onmogelijke datum 32-13-2015 (typefout) wordt toch verborgen', [['ID', '32-13-2015']]],
    ],
  };
  for (const [type, list] of Object.entries(cases)) {
    it.each(list)(`${type}: %s`, (input, expected) => expectFound(input, expected));
  }
});

describe('detect: names and institutions', () => {
  const cases: Case[] = [
    ['Moeder Fatima belde gisteren.', [['NAAM', 'Fatima']]],
    ['Gesprek met Jan de Vries over zijn zoon.', [['NAAM', 'Jan de Vries']]],
    ['Ik sprak dhr. J. de Vries op school.', [['NAAM', 'J. de Vries']]],
    ['Mevrouw Van der Linden belde.', [['NAAM', 'Van der Linden']]],
    ['Vader Mohammed el Amrani was boos.', [['NAAM', 'Mohammed el Amrani']]],
    ['Juf Anouk zag het als eerste.', [['NAAM', 'Anouk']]],
    ['De mentor, meester Bram, belde.', [['NAAM', 'Bram']]],
    ['Zijn zoon Daan is stil.', [['NAAM', 'Daan']]],
    ['De Vries kwam te laat.', [['NAAM', 'De Vries']]],
    ['Gisteren zei Zeynep Çelik dat ze bang is.', [['NAAM', 'Zeynep Çelik']]],
    ['Broertje Wiebe Zijlstra zat ernaast.', [['NAAM', 'Wiebe Zijlstra']]],
    ['Tante Małgorzata Wiśniewska tolkt.', [['NAAM', 'Małgorzata Wiśniewska']]],
    ['De buurvrouw zag dat Liyana alleen buiten speelde.', [['NAAM', 'Liyana']]],
    ['Liyana vertelde dat papa boos was.', [['NAAM', 'Liyana']]],
    ['moeder fatima belde', [['NAAM', 'fatima']]],
    ['Hij zit op basisschool De Regenboog.', [['INSTELLING', 'basisschool De Regenboog']]],
    ['Leerling van OBS De Klimop.', [['INSTELLING', 'OBS De Klimop']]],
    ['Opgenomen in het Isala ziekenhuis.', [['INSTELLING', 'Isala ziekenhuis']]],
    ['Kinderdagverblijf Het Kabouterhuis meldt letsel.', [['INSTELLING', 'Kinderdagverblijf Het Kabouterhuis']]],
    ['Zij woont in de Dorpsstraat.', [['INSTELLING', 'Dorpsstraat']]],
    ["Mirthe's stiefvader schreeuwt vaak.", [['NAAM', "Mirthe's"]]],
    ['Gesprek met moeder (Ouassima) en vader (Anouar).', [['NAAM', 'Ouassima'], ['NAAM', 'Anouar']]],
    ['De moeder van Sami belde.', [['NAAM', 'Sami']]],
    ['Sep is 2 jaar. Vader brengt Sep elke ochtend.', [['NAAM', 'Sep'], ['LEEFTIJD', '2 jaar']]],
    ['Zij zit op het Greijdanus in Zwolle.', [['INSTELLING', 'Greijdanus']]],
    ['Het account van de dader is @kingmo_020.', [['URL', '@kingmo_020']]],
    ['Moeder Fatima el-Amrani belde.', [['NAAM', 'Fatima el-Amrani']]],
    ['Gesprek met J de Vries.', [['NAAM', 'J de Vries']]],
    ['- Zumra (groep 5) huilt vaak', [['NAAM', 'Zumra']]],
    ['Zumra, de dochter van Fatima, is stil.', [['NAAM', 'Zumra'], ['NAAM', 'Fatima']]],
    ['Fam. JANSEN woont hier, mevrouw DEMIR belt.', [['NAAM', 'JANSEN'], ['NAAM', 'DEMIR']]],
    ['hij heet daan en zit in groep 5', [['NAAM', 'daan']]],
    ['leerling uit groep 6, sem de boer, is vaak afwezig', [['NAAM', 'sem de boer']]],
    ['het gaat om mevrouw bakker van hiernaast', [['NAAM', 'bakker']]],
  ];
  it.each(cases)('%s', (input, expected) => expectFound(input, expected));

  it('keeps the uncovered part of a name that runs into an address', () => {
    expect(anonymise('Moeder Fatima el Amrani Dorpsstraat 12, 8181 AB Heerde').text).toBe('Moeder [NAAM] el [ADRES]');
  });

  it.each([
    'Gisteren heeft moeder gebeld over de school.',
    'Vandaag was het kind erg stil in de klas.',
    'Moeder gaf aan dat het thuis onrustig is.',
    'Na overleg met Veilig Thuis is besloten geen melding te doen.',
    'De GGD en het wijkteam zijn op de hoogte.',
    'Het gezin is Marokkaans en spreekt Nederlands en Arabisch.',
    'Tijdens de Ramadan en met Kerst is er minder toezicht.',
    'In Zwolle en Deventer zijn wachtlijsten.',
    'Ben je bereikbaar voor overleg?',
    'Onderweg naar school viel hij van de fiets.',
    'De familie woont in Wapenveld en werkt in Hattem.',
    'Vader heeft een Belgisch nummer en rijdt een rode Opel.',
    'Het Instagramaccount is inmiddels verwijderd.',
    'Advies gevraagd aan Veilig Thuis IJsselland en de GGD.',
    'Afgesproken: de IB’er neemt contact op met moeder.',
    'ik heb met de bakker gesproken over de roos en de merel in de tuin',
    'nader onderzoek is nodig, de arend vloog over',
    'Overleg is gepland en Verzuim wordt bijgehouden.',
    'HELP DE POLITIE KOMT NIET EN DE GGD OOK NIET',
    'Op straat 3 keer aangesproken door de wijkagent.',
    'Het gezin is al 3 jaar bekend bij het wijkteam.',
    'Twee jaar geleden verhuisden ze, sinds 5 jaar wonen ze hier.',
  ])('no identifiers in ordinary sentence: %s', (input) => {
    expect(detect(input)).toEqual([]);
  });
});

describe('near misses', () => {
  it.each([
    ['2015-2016', 'a school year range'],
    ['in 2015 en 2016', 'plain years'],
    ['€ 1.250.000', 'an amount'],
    ['om 15:30 uur', 'a time'],
    ['groep 7', 'a school group'],
  ])('%s (%s) is not an identifier', (input) => {
    expect(detect(input)).toEqual([]);
  });

  it('a 9-digit number failing the elfproef is an ID, never a BSN', () => {
    expect(isValidBsn('123456789')).toBe(false);
    expect(detect('nummer 123456789').map((f) => f.type)).toEqual(['ID']);
  });

  it('an IBAN with a wrong check digit is not reported as IBAN', () => {
    expect(detect('NL92ABNA0417164300').map((f) => f.type)).not.toContain('IBAN');
  });
});

describe('public helpline numbers are kept', () => {
  it.each([
    'Bel 112 bij acuut gevaar.',
    'Veilig Thuis: 0800-2000.',
    'Veilig Thuis: 0800 2000.',
    'Veilig Thuis: 08002000.',
    'Centrum Seksueel Geweld 0800-0188',
    'Kindertelefoon 0800-0432 of 0800 0432',
    'De Luisterlijn 0900-1113111, ook 0900 1113111 of 09001113111.',
  ])('%s', (input) => {
    const r = anonymise(input);
    expect(r.findings).toEqual([]);
    expect(r.text).toBe(input);
  });

  it('treats no-break spaces, zero-width spaces and typographic dashes like their plain forms', () => {
    const input = 'Bel 06\u00a01234\u00a05678 of Veilig Thuis 0800\u20132000; BSN 123\u202f456\u202f782, op 12\u201303\u20132015.';
    expect(anonymise(input).text).toBe('Bel [TELEFOON] of Veilig Thuis 0800\u20132000; BSN [BSN], op [DATUM].');
  });

  it('keeps the helpline but redacts the private number next to it', () => {
    const r = anonymise('Moeder belde 0800-2000 vanaf 06-12345678.');
    expect(r.text).toBe('Moeder belde 0800-2000 vanaf [TELEFOON].');
  });
});

describe('anonymise', () => {
  const input =
    'Moeder Fatima el Amrani (BSN 123.456.782) belde op 12 maart 2015 vanaf 06-12345678 over zoon Daan (7). ' +
    'Adres: Dorpsstraat 12, 8181 AB Heerde. IBAN NL91 ABNA 0417 1643 00, mail f.elamrani@gmail.com. Bel 0800-2000.';

  it('replaces every finding by its typed placeholder', () => {
    expect(anonymise(input).text).toBe(
      'Moeder [NAAM] (BSN [BSN]) belde op [DATUM] vanaf [TELEFOON] over zoon [NAAM] ([LEEFTIJD]). ' +
        'Adres: [ADRES]. IBAN [IBAN], mail [EMAIL]. Bel 0800-2000.',
    );
  });

  it('returns sorted, non-overlapping findings with offsets into the input', () => {
    const { findings } = anonymise(input);
    for (let i = 1; i < findings.length; i++) expect(findings[i].start).toBeGreaterThanOrEqual(findings[i - 1].end);
    expect(findings.map((f) => input.slice(f.start, f.end))).toEqual([
      'Fatima el Amrani', '123.456.782', '12 maart 2015', '06-12345678', 'Daan', '7', 'Dorpsstraat 12, 8181 AB Heerde',
      'NL91 ABNA 0417 1643 00', 'f.elamrani@gmail.com',
    ]);
  });

  it('uses UTF-16 offsets (text with emoji and accents before the identifier)', () => {
    const text = 'Ze zei 😢 “ik wil niet naar huis”. Ağabey belde: 06-12345678';
    const f = detect(text).find((x) => x.type === 'TELEFOON');
    expect(f && text.slice(f.start, f.end)).toBe('06-12345678');
  });

  it('never detects its own placeholders', () => {
    const placeholders = FINDING_TYPES.map((t) => `[${t}]`).join(' en ');
    expect(detect(placeholders)).toEqual([]);
    expect(detect('Moeder [NAAM] belde op [DATUM] vanaf [TELEFOON] over zoon [NAAM] ([LEEFTIJD]).')).toEqual([]);
  });

  it('handles empty text', () => {
    expect(anonymise('')).toEqual({ text: '', findings: [] });
  });
});

describe('directIdentifierTypes', () => {
  it('lists the distinct types in a fixed order', () => {
    expect(directIdentifierTypes('Daan en Sem, 06-12345678 en 06-87654321, BSN 123456782')).toEqual(['BSN', 'TELEFOON', 'NAAM']);
  });
  it('is empty for a clean or already anonymised text', () => {
    expect(directIdentifierTypes('Het kind is stil; Veilig Thuis 0800-2000 gebeld.')).toEqual([]);
    expect(directIdentifierTypes('Moeder [NAAM] belde vanaf [TELEFOON].')).toEqual([]);
  });
});

describe('validators', () => {
  it.each(['123456782', '123.456.782', '726 273 788'])('valid BSN %s', (s) => expect(isValidBsn(s)).toBe(true));
  it.each(['123456781', '12345678', '1234567890', '000000000', 'abcdefghi'])('invalid BSN %s', (s) => expect(isValidBsn(s)).toBe(false));
  it.each(['NL91ABNA0417164300', 'NL91 ABNA 0417 1643 00', 'nl91abna0417164300', 'BE68539007547034'])('valid IBAN %s', (s) =>
    expect(isValidIban(s)).toBe(true),
  );
  it.each(['NL91ABNA0417164301', 'NL91ABNA041716430', 'NL91AB1A0417164300', 'XX00'])('invalid IBAN %s', (s) =>
    expect(isValidIban(s)).toBe(false),
  );
});
