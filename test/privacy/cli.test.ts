import { anonimiseerCommand } from '../../src/cli/anonimiseer';
import type { CliIo } from '../../src/cli/io';

function fakeIo(stdin: string | Error): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    readStdin: () => (stdin instanceof Error ? Promise.reject(stdin) : Promise.resolve(stdin)),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  };
}

describe('meldwijzer anonimiseer', () => {
  it('prints the anonymised text and findings as one JSON line and exits 0', async () => {
    const input = 'Moeder Fatima belde vanaf 06-12345678; Veilig Thuis 0800-2000.\n';
    const io = fakeIo(input);
    expect(await anonimiseerCommand([], io)).toBe(0);
    expect(io.out).toHaveLength(1);
    expect(io.out[0].endsWith('\n')).toBe(true);
    const parsed = JSON.parse(io.out[0]) as { text: string; findings: Array<{ type: string; start: number; end: number }> };
    expect(parsed.text).toBe('Moeder [NAAM] belde vanaf [TELEFOON]; Veilig Thuis 0800-2000.\n');
    expect(parsed.findings.map((f) => [f.type, input.slice(f.start, f.end)])).toEqual([
      ['NAAM', 'Fatima'],
      ['TELEFOON', '06-12345678'],
    ]);
    expect(io.err).toEqual([]);
  });

  it('prints the result for the empty text on empty stdin', async () => {
    const io = fakeIo('');
    expect(await anonimiseerCommand([], io)).toBe(0);
    expect(io.out).toEqual(['{"text":"","findings":[]}\n']);
  });

  it('exits 1 without echoing input when stdin cannot be read', async () => {
    const io = fakeIo(new Error('EPIPE 06-12345678'));
    expect(await anonimiseerCommand([], io)).toBe(1);
    expect(io.out).toEqual([]);
    expect(io.err.join('')).not.toContain('06-12345678');
  });
});
