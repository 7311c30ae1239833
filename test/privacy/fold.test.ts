import { fold, unfoldSpan } from '../../src/privacy/fold';
import { anonymise, detect } from '../../src/privacy';

const spanOf = (text: string, start: number, end: number): string => text.slice(start, end);

describe('fold (before detection)', () => {
  it('returns ordinary text unchanged with an identity map', () => {
    const s = 'Moeder belde over Daan, hij is één keer gevallen.';
    const f = fold(s);
    expect(f.text).toBe(s);
    expect(f.starts).toBeNull();
  });

  it('maps Cyrillic and Greek look-alikes to Latin letters, same length', () => {
    expect(fold('Jаn Ρеtеrs').text).toBe('Jan Peters');
  });

  it('maps full-width and Arabic-Indic digits to ASCII', () => {
    expect(fold('０６-１２３４５６７８').text).toBe('06-12345678');
    expect(fold('٠٦١٢٣٤٥٦٧٨').text).toBe('0612345678');
  });

  it('maps mathematical letters (two UTF-16 units) to one ASCII letter and back', () => {
    const s = 'zag 𝐉𝐚𝐧 gisteren';
    const f = fold(s);
    expect(f.text).toBe('zag Jan gisteren');
    const [a, b] = unfoldSpan(f, 4, 7);
    expect(spanOf(s, a, b)).toBe('𝐉𝐚𝐧');
  });

  it('drops invisible characters and maps spans back over them', () => {
    const s = 'De moeder van Fa\u200btima\u00ad kwam';
    const f = fold(s);
    expect(f.text).toBe('De moeder van Fatima kwam');
    const i = f.text.indexOf('Fatima');
    const [a, b] = unfoldSpan(f, i, i + 6);
    expect(spanOf(s, a, b)).toBe('Fa\u200btima');
  });

  it('joins letter-spaced words; two or more spaces separate words', () => {
    const s = 'het is J a n  d e  V r i e s die';
    const f = fold(s);
    expect(f.text).toBe('het is Jan de Vries die');
    const i = f.text.indexOf('Jan');
    const [a, b] = unfoldSpan(f, i, i + 'Jan de Vries'.length);
    expect(spanOf(s, a, b)).toBe('J a n  d e  V r i e s');
  });

  it('leaves short letter lists alone ("a b", "punt a, b en c")', () => {
    expect(fold('optie a b of c').text).toBe('optie a b of c');
    expect(fold('punt a, b en c').text).toBe('punt a, b en c');
  });
});

describe('detection through folding (offsets point into the original text)', () => {
  it.each([
    ['Ik zag Jаn gisteren bij het hek staan.', 'Jаn', 'NAAM'],
    ['Volgens de buurvrouw is het J a n  d e  V r i e s die schreeuwt.', 'J a n  d e  V r i e s', 'NAAM'],
    ['Telefoon vader: ０６-１２３４５６７８.', '０６-１２３４５６７８', 'TELEFOON'],
    ['bel 0\u200b6-1234\u20605678 vanavond', '0\u200b6-1234\u20605678', 'TELEFOON'],
    ['BSN ٧٢٦٢٧٣٧٨٨ staat in het dossier', '٧٢٦٢٧٣٧٨٨', 'BSN'],
  ])('%s', (text, surface, type) => {
    const found = detect(text).map((f) => [f.type, text.slice(f.start, f.end)]);
    expect(found).toContainEqual([type, surface]);
  });

  it('anonymise replaces exactly the original characters', () => {
    expect(anonymise('Zorgen om J a n  d e  V r i e s vandaag.').text).toBe('Zorgen om [NAAM] vandaag.');
    expect(anonymise('De moeder van Fa\u200btima kwam niet.').text).toBe('De moeder van [NAAM] kwam niet.');
  });
});
