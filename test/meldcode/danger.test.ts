/**
 * The danger detector (src/meldcode/danger.ts) on the phrasing tables, with the evaluation of
 * scripts/eval-danger.js run in-process on the TypeScript source.
 * - Tuning table (danger-table.txt): recall for danger 'now' must be 100 %; precision/recall are reported.
 * - Held-out tables (never tuned on): figures reported; only a floor below what the detector reached when each table
 *   was first run is asserted. danger-heldout.txt was written before any tuning (first run: now-recall 92 %,
 *   accuracy 88.5 %); danger-heldout-2.txt after the first tuning rounds (first run: now-recall 76.5 %, accuracy 77.4 %);
 *   danger-heldout-3.txt before the last tuning batch (first run: now-recall 78.9 %, accuracy 82.9 %; fixes followed, so
 *   it is no longer blind); danger-heldout-4.txt before those fixes, first run on the final detector (now-recall 84.6 %,
 *   accuracy 80.8 %).
 */
import * as path from 'node:path';
import fc from 'fast-check';
import { detectDanger, type DangerResult } from '../../src/meldcode/danger';

interface Row { category: string; text: string; expected: 'now' | 'past' | 'none'; line: number; got?: string }
interface LevelFigures { expected: number; predicted: number; right: number; precision: number | null; recall: number | null }
interface CategoryFigures { rows: number; accuracy: number | null; nowExpected: number; nowPredicted: number; nowRecall: number | null; nowPrecision: number | null }
interface Report {
  rows: number;
  accuracy: number;
  levels: Record<'now' | 'past' | 'none', LevelFigures>;
  categories: Record<'now' | 'past' | 'doubt' | 'unrelated', CategoryFigures>;
  wrong: Row[];
  missedNow: Row[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const evalDanger = require('../../scripts/eval-danger.js') as {
  loadTable(file: string): Row[];
  evaluate(rows: Row[], detect: (t: string) => DangerResult): Report;
  timePerCall(texts: string[], detect: (t: string) => DangerResult, passes?: number): number;
  formatReport(title: string, report: Report): string;
};

const table = evalDanger.loadTable(path.join(__dirname, 'danger-table.txt'));
const heldout = evalDanger.loadTable(path.join(__dirname, 'danger-heldout.txt'));
const heldout2 = evalDanger.loadTable(path.join(__dirname, 'danger-heldout-2.txt'));
const heldout3 = evalDanger.loadTable(path.join(__dirname, 'danger-heldout-3.txt'));
const heldout4 = evalDanger.loadTable(path.join(__dirname, 'danger-heldout-4.txt'));
const level = (text: string) => detectDanger(text).level;

describe('tuning table (danger-table.txt)', () => {
  const report = evalDanger.evaluate(table, detectDanger);

  it('has at least 150 Dutch phrasings in all four categories, no duplicate rows', () => {
    expect(table.length).toBeGreaterThanOrEqual(150);
    const count = (c: string) => table.filter((r) => r.category === c).length;
    expect(count('now')).toBeGreaterThanOrEqual(60);
    expect(count('past')).toBeGreaterThanOrEqual(20);
    expect(count('doubt')).toBeGreaterThanOrEqual(20);
    expect(count('unrelated')).toBeGreaterThanOrEqual(30);
    // Case-sensitive: "help" (the bot command) and "HELP" (shouted) are different rows on purpose.
    const texts = table.map((r) => r.text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('recognises every phrasing of danger now (recall 100 %)', () => {
    expect(report.missedNow.map((r) => `${r.line}: ${r.text} -> ${r.got}`)).toEqual([]);
    expect(report.levels.now.recall).toBe(1);
    // Reported in the test output (also by `npm run eval:danger`).
    process.stdout.write(`${evalDanger.formatReport('danger-table.txt', report)}\n`);
  });

  it('keeps false alarms and past/none confusions low', () => {
    expect(report.levels.now.precision).toBeGreaterThanOrEqual(0.95);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.categories.unrelated.nowPredicted).toBeLessThanOrEqual(1);
  });
});

describe.each([
  ['danger-heldout.txt', heldout, 40, { nowRecall: 0.85, accuracy: 0.8 }], // first run: 0.92, 0.885
  ['danger-heldout-2.txt', heldout2, 30, { nowRecall: 0.7, accuracy: 0.7 }], // first run: 0.765, 0.774
  ['danger-heldout-3.txt', heldout3, 30, { nowRecall: 0.7, accuracy: 0.75 }], // first run: 0.789, 0.829
  ['danger-heldout-4.txt', heldout4, 25, { nowRecall: 0.75, accuracy: 0.7 }], // first run: 0.846, 0.808
])('held-out table %s (never tuned on)', (name, rows, minRows, floor) => {
  const report = evalDanger.evaluate(rows, detectDanger);

  it('is large enough and shares no row with the tuning table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(minRows);
    const tuned = new Set(table.map((r) => r.text.toLowerCase()));
    expect(rows.filter((r) => tuned.has(r.text.toLowerCase()))).toEqual([]);
  });

  it('reaches its floor (reported, not tuned on)', () => {
    process.stdout.write(`${evalDanger.formatReport(name, report)}\n`);
    expect(report.levels.now.recall).toBeGreaterThanOrEqual(floor.nowRecall);
    expect(report.accuracy).toBeGreaterThanOrEqual(floor.accuracy);
  });
});

describe('decisions a user would notice', () => {
  it.each([
    ['hij slaat haar nu', ['geweld']],
    ['ik hoor de buurvrouw gillen, hij heeft een mes', ['geweld', 'wapen']],
    ['hij zegt dat hij haar vermoordt', ['levensgevaar']],
    ['ze wil dood', ['suicide']],
    ['baby alleen thuis', ['kind-alleen']],
    ['bel 112', ['noodhulp']],
  ])('%s -> now with kinds %j', (text, kinds) => {
    const r = detectDanger(text);
    expect(r.level).toBe('now');
    expect(r.kinds).toEqual(expect.arrayContaining(kinds));
  });

  it('normalises case, accents, punctuation and phone typing', () => {
    for (const t of ['MES!!', 'hij heeft n mes', 'ff snel help', 'Hij SLAAAT haar', 'hij slaat m nu', 'zé wíl dóód', 'hij...heeft...een...mes']) {
      expect([t, level(t)]).toEqual([t, 'now']);
    }
  });

  it('past tense is past, the same words now are now', () => {
    expect(level('vorige week sloeg hij haar')).toBe('past');
    expect(level('vorig jaar had hij een mes')).toBe('past');
    expect(level('vorige week sloeg hij haar en nu heeft hij een mes')).toBe('now');
    expect(level('vorige week heb ik 112 gebeld')).toBe('past');
  });

  it('a disclosure told earlier is for the consultation (acute question first), not the 112 message', () => {
    expect(detectDanger('een leerling van 14 in tilburg vertelde dat zijn vader hem slaat').level).toBe('past');
    expect(detectDanger('het meisje gaf aan dat haar stiefvader haar schopt').level).toBe('past');
    // ... unless it is happening now, or a weapon, a threat to life or suicide is told about.
    expect(detectDanger('ze vertelde dat hij haar nu slaat').level).toBe('now');
    expect(detectDanger('hij vertelde dat zijn vader een mes heeft en hem wil doodsteken').level).toBe('now');
    expect(detectDanger('ze zei dat ze dood wil').level).toBe('now');
    expect(detectDanger('Een moeder vertelt huilend aan de telefoon dat haar ex voor de deur staat en de ramen ingooit.').level).toBe('now');
  });

  it('the bot help command and everyday words are not an emergency, a cry for help is', () => {
    for (const t of ['help', 'Help', 'help?', 'help me met de meldcode', 'kun je me helpen', 'kun je me even help', 'typ help voor uitleg', 'ik sla de vraag over', 'het wapen van de gemeente', 'schiet op']) {
      expect([t, level(t)]).toEqual([t, 'none']);
    }
    for (const t of ['help!', 'HELP', 'help help', 'help nu', 'help, hij slaat haar']) expect([t, level(t)]).toEqual([t, 'now']);
  });

  it('a knife in the cookery lesson is no weapon, a knife someone grabs in the kitchen is', () => {
    expect(level('het mes in de keukenla voor de kookles')).toBe('none');
    expect(level('hij pakt een mes uit de keukenla')).toBe('now');
  });

  it('an explicit denial is not danger', () => {
    expect(level('hij heeft geen mes')).toBe('none');
    expect(level('nee, er is nu niemand in acuut gevaar')).toBe('none');
    expect(level('ze wil niet dood')).toBe('none');
  });

  it('hitting is not missed when it is described together with a hitting idiom', () => {
    expect(level('hij slaat de deur dicht en slaat haar')).toBe('now');
    expect(level('hij slaat haar over de hele gang')).toBe('now');
  });

  it('danger at the end of a long message is still seen', () => {
    const long = 'Ik schrijf even uitgebreid wat er aan de hand is met deze leerling en het gezin. '.repeat(250);
    expect(long.length).toBeGreaterThan(20_000);
    expect(level(`${long} Nu staat vader met een mes in de gang.`)).toBe('now');
    expect(level(long)).toBe('none');
  });

  it('never throws, is deterministic and gives kinds exactly when there is danger', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const a = detectDanger(s);
        expect(detectDanger(s)).toEqual(a);
        expect(a.level === 'none').toBe(a.kinds.length === 0);
      }),
      { numRuns: 500, seed: 9 },
    );
  });
});

describe('speed (runs on every message)', () => {
  it('takes microseconds per message, and stays bounded on a maximal message', () => {
    const texts = [...table, ...heldout, ...heldout2, ...heldout3, ...heldout4].map((r) => r.text);
    const perCall = evalDanger.timePerCall(texts, detectDanger);
    const longest = 'x '.repeat(20_000) + 'kind ' + 'y '.repeat(20_000);
    const perLong = evalDanger.timePerCall([longest], detectDanger, 5);
    process.stdout.write(`danger detector: ${perCall.toFixed(1)} µs per table message, ${(perLong / 1000).toFixed(2)} ms on a ${longest.length}-character message\n`);
    // Measured 7–30 µs and 1–5 ms alone on the shared 2-core machine, 51 µs and 44 ms inside the full parallel
    // `npm test`; the bounds are generous so a loaded CI box does not flake, and still catch a regex that goes quadratic.
    expect(perCall).toBeLessThan(1000);
    expect(perLong).toBeLessThan(250_000);
  });

  it('has no pathological input: repeated trigger words at the message limit stay in milliseconds', () => {
    for (const unit of ['kind van ', 'geen ', 'sla de ', 'baby alleen x ', 'hoor ', 'schiet het ', '!!! ', 'a']) {
      const text = unit.repeat(Math.ceil(28_000 / unit.length));
      const ms = evalDanger.timePerCall([text], detectDanger, 3) / 1000;
      expect([unit, ms < 250]).toEqual([unit, true]); // measured 1–10 ms alone; bound for a loaded CI box
    }
  });
});
