import { cleanText, isCleanText } from '../../src/privacy/clean';
import { cleanText as fromIndex } from '../../src/privacy';

describe('cleanText / isCleanText', () => {
  it('keeps ordinary Dutch text, tabs, line feeds, emoji and other scripts unchanged', () => {
    const s = 'Zorgen over één leerling\tgroep 5\nMoeder spreekt Arabisch: مرحبا — 👍🏽 Ελληνικά';
    expect(cleanText(s)).toBe(s);
    expect(isCleanText(s)).toBe(true);
  });

  it('strips NUL and other C0/C1 control characters and DEL', () => {
    expect(cleanText('a\u0000b\u0007c\u001bd\u007fe\u0085f\u009fg')).toBe('abcdefg');
    expect(isCleanText('a\u0000b')).toBe(false);
    expect(isCleanText('a\u0085b')).toBe(false);
  });

  it('turns carriage returns into line feeds', () => {
    expect(cleanText('regel 1\r\nregel 2\rregel 3')).toBe('regel 1\nregel 2\nregel 3');
    expect(isCleanText('a\r\nb')).toBe(false);
  });

  it('strips bidi overrides, embeddings, isolates and direction marks (Trojan Source)', () => {
    const s = 'veilig\u202e1234\u202c \u2066x\u2069 \u200ey\u200f\u061c';
    expect(cleanText(s)).toBe('veilig1234 x y');
    for (const c of ['\u202a', '\u202b', '\u202d', '\u202e', '\u2067', '\u2068', '\u200f']) expect(isCleanText(`a${c}b`)).toBe(false);
  });

  it('strips lone surrogates but keeps paired ones', () => {
    expect(cleanText('a\ud800b\udc00c')).toBe('abc');
    expect(cleanText('x\ud83d')).toBe('x');
    expect(cleanText('\ude00y')).toBe('y');
    expect(cleanText('😀')).toBe('😀');
    expect(isCleanText('a\ud800')).toBe(false);
    expect(isCleanText('😀')).toBe(true);
    expect(() => Buffer.from(cleanText('\ud800ok'), 'utf8').toString('utf8')).not.toThrow();
    expect(Buffer.from(cleanText('\ud800ok'), 'utf8').toString('utf8')).toBe('ok');
  });

  it('is idempotent and its output is always clean', () => {
    const all: string[] = [];
    for (let c = 0; c < 0x300; c++) all.push(String.fromCharCode(c));
    all.push('\u202e', '\u2066', '\ud800', '\udfff', '\r\n');
    const s = all.join('');
    const once = cleanText(s);
    expect(isCleanText(once)).toBe(true);
    expect(cleanText(once)).toBe(once);
    expect(once).toContain('\n');
    expect(once).toContain('\t');
    expect(once).toContain('é');
  });

  it('is exported from the package index', () => {
    expect(fromIndex('a\u0000')).toBe('a');
  });
});
