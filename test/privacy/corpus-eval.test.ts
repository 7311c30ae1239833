/**
 * Runs the entity-level evaluation of scripts/eval-privacy.js in-process against src/privacy and asserts the targets
 * on the main corpus. The held-out corpus is only checked for being well-formed and evaluated for the report, not
 * held to the targets (it must not be tuned on).
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { detect } from '../../src/privacy/index';
import type { Finding } from '../../src/privacy/types';

interface Row { gold: number; found: number; precision: number; recall: number }
interface Report { rows: Record<string, Row>; helplines: number; helplinesRedacted: number; misses: unknown[] }
interface Corpus { text: string; entities: Array<{ type: string; start: number; end: number }> }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const evalPrivacy = require('../../scripts/eval-privacy.js') as {
  evaluate(records: Corpus[], detect: (t: string) => Finding[]): Report;
  checkTargets(report: Report): string[];
  loadCorpus(file: string): Corpus[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builder = require('../../scripts/build-privacy-corpus.js') as { build(file: string): Corpus[] };

const dir = path.join(__dirname);

describe.each(['corpus', 'heldout'])('%s corpus file', (name) => {
  it('is up to date with its marked-up source and has exact offsets', () => {
    const built = builder.build(path.join(dir, `${name}.src.txt`));
    const stored = evalPrivacy.loadCorpus(path.join(dir, `${name}.jsonl`));
    expect(stored).toEqual(built);
    for (const rec of stored) {
      for (const e of rec.entities) {
        expect(e.end).toBeGreaterThan(e.start);
        expect(rec.text.slice(e.start, e.end).trim()).toBe(rec.text.slice(e.start, e.end));
      }
    }
  });
});

describe('main corpus evaluation', () => {
  const records = evalPrivacy.loadCorpus(path.join(dir, 'corpus.jsonl'));
  const report = evalPrivacy.evaluate(records, detect);

  it('has the size and coverage the evaluation needs', () => {
    const rows = report.rows;
    expect(rows.micro.gold).toBeGreaterThanOrEqual(400);
    for (const t of ['BSN', 'TELEFOON', 'EMAIL', 'IBAN', 'POSTCODE+ADRES', 'DATUM', 'NAAM']) {
      expect(rows[t].gold).toBeGreaterThanOrEqual(30);
    }
    expect(rows.NAAM.gold).toBeGreaterThanOrEqual(120);
    expect(report.helplines).toBeGreaterThanOrEqual(10);
    expect(records.some((r) => r.entities.length === 0)).toBe(true);
  });

  it('meets the recall/precision targets and keeps every helpline number', () => {
    expect(evalPrivacy.checkTargets(report)).toEqual([]);
    expect(report.helplinesRedacted).toBe(0);
  });
});

describe('held-out corpus', () => {
  it('is large enough to be a meaningful check', () => {
    const records = evalPrivacy.loadCorpus(path.join(dir, 'heldout.jsonl'));
    const gold = records.reduce((n, r) => n + r.entities.length, 0);
    expect(gold).toBeGreaterThanOrEqual(150);
    const report = evalPrivacy.evaluate(records, detect);
    // Helplines are a hard rule, also on unseen text.
    expect(report.helplinesRedacted).toBe(0);
  });
});
