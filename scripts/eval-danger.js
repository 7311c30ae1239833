#!/usr/bin/env node
/*
 * Evaluation of the danger detector (src/meldcode/danger.ts) on the phrasing tables.
 * `npm run eval:danger` builds with tsc and runs this script against ../dist/src/meldcode/danger.js.
 *
 * Tables (test/meldcode/): danger-table.txt (tuned on) and the held-out tables (never tuned on), each written before a
 * tuning round and run on the detector only after it:
 *   danger-heldout.txt    before any tuning;
 *   danger-heldout-2.txt  after the first tuning rounds;
 *   danger-heldout-3.txt  before the last tuning batch;
 *   danger-heldout-4.txt  after the third set's first run, before the fixes that followed it.
 * The first run of each set is its blind figure (recorded in test/meldcode/danger.test.ts); a set that was run before a
 * later tuning round is no longer blind for that round.
 * Format: `[category]` section lines (now, past, doubt, unrelated), rows `text | expected level` (now, past, none),
 * `#` comments.
 *
 * Figures:
 *  - per level (now / past / none) over the whole table: precision = right among rows predicted at that level,
 *    recall = right among rows expected at that level;
 *  - per category: rows, accuracy (level exactly right), and for 'now' within the category: recall (expected now,
 *    predicted now) and precision (predicted now, expected now) — "-" when there is nothing to divide by;
 *  - speed: microseconds per call over the table (median of several passes).
 * Target (tuning table only, also asserted by test/meldcode/danger.test.ts): recall for 'now' = 100 %.
 * Exit code 1 when a row expected 'now' on the tuning table is missed. `--verbose` lists every wrong row.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const LEVELS = ['now', 'past', 'none'];
const CATEGORIES = ['now', 'past', 'doubt', 'unrelated'];
const HELDOUT = ['danger-heldout.txt', 'danger-heldout-2.txt', 'danger-heldout-3.txt', 'danger-heldout-4.txt'];

/** @returns {{category: string, text: string, expected: string, line: number}[]} */
function loadTable(file) {
  const rows = [];
  let category = null;
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const section = /^\[([a-z-]+)\]$/.exec(line);
      if (section) {
        if (!CATEGORIES.includes(section[1])) throw new Error(`${file}:${i + 1}: unknown category ${section[1]}`);
        category = section[1];
        return;
      }
      const bar = line.lastIndexOf('|');
      if (bar < 0 || category === null) throw new Error(`${file}:${i + 1}: expected "text | level" under a [category]`);
      const text = line.slice(0, bar).trim();
      const expected = line.slice(bar + 1).trim();
      if (!text || !LEVELS.includes(expected)) throw new Error(`${file}:${i + 1}: bad row`);
      rows.push({ category, text, expected, line: i + 1 });
    });
  return rows;
}

const ratio = (a, b) => (b ? a / b : null);

/** @param rows loadTable rows @param detect (text) => {level, kinds} */
function evaluate(rows, detect) {
  const results = rows.map((r) => ({ ...r, got: detect(r.text).level }));
  const levels = {};
  for (const level of LEVELS) {
    const expected = results.filter((r) => r.expected === level);
    const predicted = results.filter((r) => r.got === level);
    const right = expected.filter((r) => r.got === level).length;
    levels[level] = { expected: expected.length, predicted: predicted.length, right, precision: ratio(right, predicted.length), recall: ratio(right, expected.length) };
  }
  const categories = {};
  for (const category of CATEGORIES) {
    const rs = results.filter((r) => r.category === category);
    const expNow = rs.filter((r) => r.expected === 'now');
    const gotNow = rs.filter((r) => r.got === 'now');
    const tp = expNow.filter((r) => r.got === 'now').length;
    categories[category] = {
      rows: rs.length,
      accuracy: ratio(rs.filter((r) => r.got === r.expected).length, rs.length),
      nowExpected: expNow.length,
      nowPredicted: gotNow.length,
      nowRecall: ratio(tp, expNow.length),
      nowPrecision: ratio(tp, gotNow.length),
    };
  }
  const accuracy = ratio(results.filter((r) => r.got === r.expected).length, results.length);
  const wrong = results.filter((r) => r.got !== r.expected);
  const missedNow = wrong.filter((r) => r.expected === 'now');
  return { rows: results.length, accuracy, levels, categories, wrong, missedNow };
}

/** Median microseconds per call over the texts (several passes, after a warm-up). */
function timePerCall(texts, detect, passes = 15) {
  for (let i = 0; i < 3; i++) for (const t of texts) detect(t);
  const perPass = [];
  for (let p = 0; p < passes; p++) {
    const start = process.hrtime.bigint();
    for (const t of texts) detect(t);
    perPass.push(Number(process.hrtime.bigint() - start) / 1000 / texts.length);
  }
  perPass.sort((a, b) => a - b);
  return perPass[Math.floor(perPass.length / 2)];
}

const pct = (x) => (x === null ? '    -' : `${(100 * x).toFixed(1).padStart(5)}`);

function formatReport(title, report) {
  const lines = [`\n${title}: ${report.rows} rows, accuracy ${pct(report.accuracy).trim()} %`];
  lines.push('level      expected  predicted  right  precision%  recall%');
  for (const level of LEVELS) {
    const l = report.levels[level];
    lines.push(`${level.padEnd(10)} ${String(l.expected).padStart(8)} ${String(l.predicted).padStart(10)} ${String(l.right).padStart(6)} ${pct(l.precision).padStart(11)} ${pct(l.recall).padStart(8)}`);
  }
  lines.push('category    rows  accuracy%  now-expected  now-predicted  now-precision%  now-recall%');
  for (const category of CATEGORIES) {
    const c = report.categories[category];
    lines.push(
      `${category.padEnd(10)} ${String(c.rows).padStart(5)} ${pct(c.accuracy).padStart(10)} ${String(c.nowExpected).padStart(13)} ${String(c.nowPredicted).padStart(14)} ${pct(c.nowPrecision).padStart(15)} ${pct(c.nowRecall).padStart(12)}`,
    );
  }
  return lines.join('\n');
}

function main() {
  const { detectDanger } = require('../dist/src/meldcode/danger.js');
  const dir = path.join(__dirname, '..', 'test', 'meldcode');
  const verbose = process.argv.includes('--verbose');
  const table = loadTable(path.join(dir, 'danger-table.txt'));
  const main = evaluate(table, detectDanger);
  process.stdout.write(formatReport('Tuning table (test/meldcode/danger-table.txt)', main) + '\n');
  const held = HELDOUT.map((file) => ({ file, rows: loadTable(path.join(dir, file)) }));
  const reports = [['table', main]];
  for (const h of held) {
    const rep = evaluate(h.rows, detectDanger);
    reports.push([h.file, rep]);
    process.stdout.write(formatReport(`Held-out table (test/meldcode/${h.file}, reported only; blind figure in its header)`, rep) + '\n');
  }
  const texts = [...table, ...held.flatMap((h) => h.rows)].map((r) => r.text);
  process.stdout.write(`\nspeed: ${timePerCall(texts, detectDanger).toFixed(2)} µs per call (median of 15 passes over ${texts.length} texts)\n`);
  if (verbose) {
    for (const [label, rep] of reports) {
      for (const r of rep.wrong) process.stdout.write(`WRONG ${label}:${r.line} [${r.category}] expected ${r.expected}, got ${r.got} | ${r.text}\n`);
    }
  }
  if (main.missedNow.length) {
    process.stdout.write(`\nTarget missed: ${main.missedNow.length} 'now' row(s) of the tuning table not recognised as now (run with --verbose).\n`);
    process.exit(1);
  }
  process.stdout.write('\nTarget met: recall for danger now is 100 % on the tuning table.\n');
}

if (require.main === module) main();
module.exports = { loadTable, evaluate, timePerCall, formatReport, LEVELS, CATEGORIES, HELDOUT };
