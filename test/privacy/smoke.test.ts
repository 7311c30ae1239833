import { anonymise, detect, directIdentifierTypes, isValidBsn, isValidIban } from '../../src/privacy/index';

describe('anonymiser smoke', () => {
  it('redacts a typical consultation note and keeps the helpline', () => {
    const input = 'Moeder Fatima belde vanaf 06-12345678 over BSN 123456782; bel Veilig Thuis 0800-2000.';
    const r = anonymise(input);
    expect(r.text).toBe('Moeder [NAAM] belde vanaf [TELEFOON] over BSN [BSN]; bel Veilig Thuis 0800-2000.');
    expect(directIdentifierTypes(input)).toEqual(['BSN', 'TELEFOON', 'NAAM']);
    expect(detect(r.text)).toEqual([]);
  });
  it('validates BSN and IBAN checksums', () => {
    expect(isValidBsn('123.456.782')).toBe(true);
    expect(isValidBsn('123456781')).toBe(false);
    expect(isValidIban('NL91 ABNA 0417 1643 00')).toBe(true);
    expect(isValidIban('NL91ABNA0417164301')).toBe(false);
  });
});
