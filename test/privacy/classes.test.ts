/**
 * The classes of misses from issue #11, each with more than the one sentence that was reported, and the ordinary
 * sentences of the same shape that must stay readable (the stop-word guards).
 */
import { anonymise, detect } from '../../src/privacy';

const found = (text: string): Array<[string, string]> => detect(text).map((f) => [f.type, text.slice(f.start, f.end)]);

describe('names without case cues', () => {
  it.each([
    ['pietje jansen is bang', 'pietje jansen'],
    ['jan de vries slaat zijn dochter', 'jan de vries'],
    ['ik sprak marco visser over zijn zoon', 'marco visser'],
    ['volgens marietje is er thuis ruzie', 'marietje'],
    ['jannetje wil niet naar huis', 'jannetje'],
    ['DE VRIES SLAAT ZIJN KIND', 'DE VRIES'],
    ['ZORGEN OVER ROOS BAKKER UIT GROEP 6', 'ROOS BAKKER'],
    ['MOEDER FATIMA BELDE', 'FATIMA'],
    ['mevrouw DEMIR belde terug', 'DEMIR'],
  ])('%s', (text, name) => {
    expect(found(text)).toContainEqual(['NAAM', name]);
  });

  it.each([
    'de bakker op de hoek heeft het ook gezien',
    'ze heeft een roos getekend voor haar moeder',
    'we lopen langs de dijk naar school',
    'DE SCHOOL BELT VANDAAG VEILIG THUIS',
    'HIJ SLAAT ZIJN KIND NIET, ZEGT HIJ',
    'het is een beetje een brief van de school',
  ])('leaves "%s" alone', (text) => {
    expect(found(text).filter(([t]) => t === 'NAAM')).toEqual([]);
  });
});

describe('short names at the start of a sentence', () => {
  it.each([
    ['Mo en Sam spelen niet meer buiten.', ['Mo', 'Sam']],
    ['Mo zegt dat hij thuis niet mag praten.', ['Mo']],
    ['Bo en Liv komen te laat.', ['Bo', 'Liv']],
  ])('%s', (text, names) => {
    for (const n of names) expect(found(text)).toContainEqual(['NAAM', n]);
  });

  it.each(['Ik en mijn collega zijn bezorgd.', 'Er is gisteren gebeld.', 'Nu is het rustig.', 'Al is het laat, ik bel.'])('leaves "%s" alone', (text) => {
    expect(detect(text)).toEqual([]);
  });
});

describe('spelled-out numbers', () => {
  it.each([
    ['bel nul zes een twee drie vier vijf zes zeven acht', 'TELEFOON'],
    ['zijn nummer is nul zes twaalf vierendertig zesenvijftig achtenzeventig', 'TELEFOON'],
    ['bsn is een twee drie vier vijf zes zeven acht twee', 'BSN'],
    ['NUL ZES, EEN TWEE, DRIE VIER, VIJF ZES, ZEVEN ACHT', 'TELEFOON'],
    ['klantnummer vier vijf zes zeven acht negen', 'ID'],
  ])('%s', (text, type) => {
    expect(detect(text).map((f) => f.type)).toContain(type);
  });

  it.each(['ze heeft een twee en een drie gehaald', 'ik tel een twee drie en dan gaan we', 'drie vier vijf kinderen in de klas'])('leaves "%s" alone', (text) => {
    expect(detect(text)).toEqual([]);
  });
});

describe('employers, clubs and schools after "bij"/"van"', () => {
  it.each([
    ['Moeder werkt bij Albert Heijn in Heerde.', 'Albert Heijn'],
    ['Vader werkt sinds kort bij Jumbo.', 'Jumbo'],
    ['Ze loopt stage bij Autobedrijf Kuipers.', 'Autobedrijf Kuipers'],
    ['Hij zit in groep 5 van De Regenboog.', 'De Regenboog'],
    ['Ze zit in klas 2 op Het Baken.', 'Het Baken'],
    ['De oom heeft een baan bij Bouwbedrijf Hendriks.', 'Bouwbedrijf Hendriks'],
  ])('%s', (text, name) => {
    expect(found(text)).toContainEqual(['INSTELLING', name]);
  });

  it.each(['Het gezin is bekend bij Veilig Thuis.', 'Ik heb advies gevraagd bij de GGD.', 'Moeder werkt bij de gemeente.'])('leaves "%s" alone', (text) => {
    expect(detect(text)).toEqual([]);
  });
});

describe('written-out ages', () => {
  it.each([
    ['Hij is twaalf.', 'twaalf'],
    ['Haar zusje van vier moet ook vaak mee.', 'vier'],
    ['Het gaat om een mevrouw van 84 die alleen woont.', '84'],
    ['De jongen is pas negen en zorgt voor zijn broertjes.', 'negen'],
    ['ze is al 78, en woont alleen', '78'],
  ])('%s', (text, age) => {
    expect(found(text)).toContainEqual(['LEEFTIJD', age]);
  });

  it.each([
    'Hij is twee keer gevallen.',
    'Moeder van drie kinderen, ze is vijf dagen weg geweest.',
    'Ze is moeder van vier.',
    'Iemand typte <script>alert(1)</script> in het notitieveld.',
    'Hij is vijf kilo afgevallen.',
  ])('leaves "%s" alone', (text) => {
    expect(found(text).filter(([t]) => t === 'LEEFTIJD')).toEqual([]);
  });
});

describe('addresses and helplines', () => {
  it.each([
    ['Het gezin woont op Europaplein 112, driehoog.', 'Europaplein 112'],
    ['Ze logeert bij oma op de Kerkstraat 113.', 'Kerkstraat 113'],
    ['Oma woont aan de Marktstraat 112a.', 'Marktstraat 112a'],
  ])('street + number is an address even when the number equals a helpline: %s', (text, address) => {
    expect(found(text)).toContainEqual(['ADRES', address]);
  });

  it('still keeps the helplines themselves', () => {
    const text = 'Bel bij direct gevaar 112, anders Veilig Thuis op 0800-2000 of 113 Zelfmoordpreventie via 0800-0113.';
    expect(detect(text)).toEqual([]);
  });
});

describe('cosmetic', () => {
  it('a phone number in brackets after a name keeps the bracket', () => {
    expect(anonymise('Vader Jan de Vries (06-12345678) was erg boos.').text).toBe('Vader [NAAM] ([TELEFOON]) was erg boos.');
    expect(anonymise('Bel (038) 421 23 45.').text).toBe('Bel [TELEFOON].');
  });
});

describe('case-insensitive structure (chat style and capitals)', () => {
  it.each([
    ['ze woont op KERKSTRAAT 8 IN ZWOLLE', 'ADRES', 'KERKSTRAAT 8'],
    ['adres: oude rijksweg 221, 7954 ge rouveen', 'ADRES', 'rijksweg 221, 7954 ge'],
    ['postcode van oma is 3811 hl', 'POSTCODE', '3811 hl'],
    ['ZE ZIT OP BASISSCHOOL DE REGENBOOG', 'INSTELLING', 'BASISSCHOOL DE REGENBOOG'],
    ['hij zit op basisschool de regenboog', 'INSTELLING', 'basisschool de regenboog'],
  ])('%s', (text, type, surface) => {
    expect(found(text)).toContainEqual([type, surface]);
  });

  it.each(['in 2019 en 2020 was het rustig', 'om 1200 op de dag', 'OP DE HOEK STAAT DE BAKKER', 'JE KUNT DE JUF MAILEN', 'ALERT(1)'])('leaves "%s" alone', (text) => {
    expect(detect(text)).toEqual([]);
  });
});
