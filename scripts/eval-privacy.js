#!/usr/bin/env node
/*
 * Entity-level evaluation of the anonymiser (src/privacy) on the annotated corpora.
 * `npm run eval:privacy` builds with tsc and runs this script against ../dist/src/privacy/index.js.
 *
 * Matching rules (decided here, used by test/privacy/corpus-eval.test.ts too):
 *  - Type groups: POSTCODE and ADRES form one group ("POSTCODE+ADRES": a postcode found inside an annotated address, or
 *    an address found around an annotated postcode, is a hit); every other type is its own group.
 *  - A gold entity is recalled when at least one finding of the same group overlaps it by >= 1 UTF-16 code unit.
 *  - A finding is correct when it overlaps at least one gold entity of the same group. Boundary differences are
 *    therefore not penalised (the privacy question is "was it redacted", not "was the span exact").
 *  - Per-type recall is computed over gold entities of that type, per-type precision over findings of that type;
 *    the group row pools both. "micro" pools all entities / all findings. F1 = 2PR/(P+R).
 *  - "redacted" = share of gold entities overlapped by a finding of ANY type (privacy view: a BSN redacted as [ID] still
 *    leaks nothing). Helpline numbers in the texts (112, 0800-2000, ...) must never be overlapped by a finding, unless
 *    they are part of an annotated entity (the house number in "Europaplein 112").
 * Targets (main corpus only; the held-out corpus is reported, never tuned on): recall >= 0.99 for BSN, TELEFOON, EMAIL,
 * IBAN, POSTCODE+ADRES and DATUM; NAAM recall >= 0.90 at precision >= 0.85; every helpline number kept.
 * Exit code 1 when a target is missed.
 * Also reports recall/precision on lower-cased and upper-cased copies of both corpora (chat style, shouting).
 * `--verbose` lists every miss and false positive; `--bench` also measures throughput (MB of UTF-8 input per CPU-second)
 * of `anonymise` on three inputs: the sentences of bench/anonymiser.ts in 1,200-character chunks, the Dutch UI texts
 * (policy/texts/nl.json, ordinary prose) and the corpus texts (an identifier every ~40 characters).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TYPES = ['BSN', 'POSTCODE', 'ADRES', 'TELEFOON', 'EMAIL', 'URL', 'IBAN', 'DATUM', 'LEEFTIJD', 'ID', 'NAAM', 'INSTELLING'];
const GROUP = (t) => (t === 'POSTCODE' || t === 'ADRES' ? 'POSTCODE+ADRES' : t);
const HELPLINE_RE = /(?<![\d+])(?:112|0800[ -]?2000|0800[ -]?0188|0800[ -]?0432|0900[ -]?1113111|0900[ -]?111[ ]?3111)(?!\d)/g;
const TARGETS = [
  { row: 'BSN', recall: 0.99 },
  { row: 'TELEFOON', recall: 0.99 },
  { row: 'EMAIL', recall: 0.99 },
  { row: 'IBAN', recall: 0.99 },
  { row: 'POSTCODE+ADRES', recall: 0.99 },
  { row: 'DATUM', recall: 0.99 },
  { row: 'NAAM', recall: 0.9, precision: 0.85 },
];

function loadCorpus(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

const overlaps = (a, b) => a.start < b.end && b.start < a.end;

/** @param records [{text, entities}] @param detect (text) => findings */
function evaluate(records, detect) {
  const rows = {};
  const row = (name) => (rows[name] ??= { gold: 0, recalled: 0, redacted: 0, found: 0, correct: 0 });
  const misses = [];
  const falsePositives = [];
  let helplines = 0;
  let helplinesRedacted = 0;
  for (const rec of records) {
    const findings = detect(rec.text);
    for (const e of rec.entities) {
      const hit = findings.some((f) => GROUP(f.type) === GROUP(e.type) && overlaps(f, e));
      const any = findings.some((f) => overlaps(f, e));
      for (const name of new Set([e.type, GROUP(e.type), 'micro'])) {
        const r = row(name);
        r.gold++;
        if (hit) r.recalled++;
        if (any) r.redacted++;
      }
      if (!hit) misses.push({ type: e.type, surface: rec.text.slice(e.start, e.end), text: rec.text, foundAs: findings.filter((f) => overlaps(f, e)).map((f) => f.type) });
    }
    for (const f of findings) {
      const ok = rec.entities.some((e) => GROUP(f.type) === GROUP(e.type) && overlaps(f, e));
      for (const name of new Set([f.type, GROUP(f.type), 'micro'])) {
        const r = row(name);
        r.found++;
        if (ok) r.correct++;
      }
      if (!ok) falsePositives.push({ type: f.type, surface: rec.text.slice(f.start, f.end), text: rec.text });
    }
    for (const m of rec.text.matchAll(HELPLINE_RE)) {
      const span = { start: m.index, end: m.index + m[0].length };
      // A helpline-shaped number inside an annotated entity (the house number in "Europaplein 112") is not a helpline.
      if (rec.entities.some((e) => overlaps(e, span))) continue;
      helplines++;
      if (findings.some((f) => overlaps(f, span))) helplinesRedacted++;
    }
  }
  for (const r of Object.values(rows)) {
    r.precision = r.found ? r.correct / r.found : 1;
    r.recall = r.gold ? r.recalled / r.gold : 1;
    r.f1 = r.precision + r.recall ? (2 * r.precision * r.recall) / (r.precision + r.recall) : 0;
    r.redactedShare = r.gold ? r.redacted / r.gold : 1;
  }
  return { rows, misses, falsePositives, helplines, helplinesRedacted };
}

function checkTargets(report) {
  const failures = [];
  for (const t of TARGETS) {
    const r = report.rows[t.row];
    if (!r || r.gold === 0) {
      failures.push(`${t.row}: no gold entities`);
      continue;
    }
    if (r.recall < t.recall) failures.push(`${t.row}: recall ${r.recall.toFixed(3)} < ${t.recall}`);
    if (t.precision !== undefined && r.precision < t.precision) failures.push(`${t.row}: precision ${r.precision.toFixed(3)} < ${t.precision}`);
  }
  if (report.helplinesRedacted > 0) failures.push(`${report.helplinesRedacted} helpline number(s) redacted`);
  return failures;
}

function formatTable(title, report) {
  const order = [...TYPES.slice(0, 3), 'POSTCODE+ADRES', ...TYPES.slice(3), 'micro'];
  const lines = [`\n${title}`, 'type              gold  found     P      R     F1  redacted'];
  for (const name of order) {
    const r = report.rows[name];
    if (!r) continue;
    lines.push(
      `${name.padEnd(16)} ${String(r.gold).padStart(5)} ${String(r.found).padStart(6)} ${r.precision.toFixed(3).padStart(6)} ${r.recall.toFixed(3).padStart(6)} ${r.f1.toFixed(3).padStart(6)} ${r.redactedShare.toFixed(3).padStart(8)}`,
    );
  }
  lines.push(`helpline numbers kept: ${report.helplines - report.helplinesRedacted}/${report.helplines}`);
  return lines.join('\n');
}

/** The sentences bench/anonymiser.ts measures (one file for both). */
const BENCH_SENTENCES = require('../bench/anonymiser-sentences.json');

function chunked(parts, chunkChars = 1200) {
  const chunks = [];
  let chunk = '';
  for (let k = 0; chunks.length < 200; k++) {
    chunk += parts[k % parts.length] + ' ';
    if (chunk.length >= chunkChars) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  return chunks;
}

/**
 * MB of input per second of CPU time of this process (user + system), not wall time: on a shared machine the wall
 * clock also counts the time other processes hold the core, the CPU time does not.
 */
function throughput(anonymise, chunks, budgetMs = 1500) {
  for (const c of chunks.slice(0, 30)) anonymise(c); // warm-up
  let bytes = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  do {
    for (const c of chunks) {
      anonymise(c);
      bytes += Buffer.byteLength(c);
    }
  } while (performance.now() - t0 < budgetMs);
  const used = process.cpuUsage(cpu0);
  return bytes / 2 ** 20 / ((used.user + used.system) / 1e6);
}

function bench(anonymise, dir) {
  const strings = [];
  const walk = (v) => (typeof v === 'string' ? strings.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
  walk(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'policy', 'texts', 'nl.json'), 'utf8')));
  const corpusTexts = loadCorpus(path.join(dir, 'corpus.jsonl')).map((r) => r.text);
  const inputs = [
    ['bench sentences (bench/anonymiser.ts)', chunked(BENCH_SENTENCES)],
    ['Dutch prose (policy/texts/nl.json)', chunked(strings)],
    ['corpus texts (identifier-dense)', chunked(corpusTexts)],
  ];
  const lines = ['\nThroughput of anonymise (MB per CPU-second, 1,200-character chunks; best of 3 runs of 1.5 s)'];
  for (const [label, chunks] of inputs) {
    const best = Math.max(throughput(anonymise, chunks), throughput(anonymise, chunks), throughput(anonymise, chunks));
    lines.push(`${label.padEnd(40)} ${best.toFixed(2).padStart(6)} MB/s`);
  }
  return lines.join('\n');
}

/**
 * Chat-style and shouted notes: every corpus text lower-cased and upper-cased (same gold spans; texts whose length
 * changes under case mapping are skipped). Reported only, no targets.
 */
function caseVariants(detect, dir) {
  const lines = ['\nCase variants (reported only): recall / precision with the whole text lower-cased or upper-cased'];
  lines.push('corpus   case    NAAM R  NAAM P  micro R  micro P');
  for (const name of ['corpus', 'heldout']) {
    const records = loadCorpus(path.join(dir, `${name}.jsonl`));
    for (const [label, fn] of [['lower', (s) => s.toLowerCase()], ['upper', (s) => s.toUpperCase()]]) {
      const recs = records.map((r) => ({ text: fn(r.text), entities: r.entities })).filter((r, i) => r.text.length === records[i].text.length);
      const rep = evaluate(recs, detect);
      const n = rep.rows.NAAM;
      const m = rep.rows.micro;
      lines.push(`${name.padEnd(8)} ${label.padEnd(6)} ${n.recall.toFixed(3).padStart(7)} ${n.precision.toFixed(3).padStart(7)} ${m.recall.toFixed(3).padStart(8)} ${m.precision.toFixed(3).padStart(8)}`);
    }
  }
  return lines.join('\n');
}

function main() {
  const { detect, anonymise } = require('../dist/src/privacy/index.js');
  const dir = path.join(__dirname, '..', 'test', 'privacy');
  const verbose = process.argv.includes('--verbose');
  const main = evaluate(loadCorpus(path.join(dir, 'corpus.jsonl')), detect);
  const held = evaluate(loadCorpus(path.join(dir, 'heldout.jsonl')), detect);
  process.stdout.write(formatTable('Main corpus (test/privacy/corpus.jsonl)', main) + '\n');
  process.stdout.write(formatTable('Held-out corpus (test/privacy/heldout.jsonl, reported only)', held) + '\n');
  if (verbose) {
    for (const [label, rep] of [['main', main], ['heldout', held]]) {
      for (const m of rep.misses) process.stdout.write(`MISS ${label} ${m.type} ${JSON.stringify(m.surface)} as ${m.foundAs.join(',') || '-'} | ${m.text}\n`);
      for (const f of rep.falsePositives) process.stdout.write(`FP   ${label} ${f.type} ${JSON.stringify(f.surface)} | ${f.text}\n`);
    }
  }
  process.stdout.write(caseVariants(detect, dir) + '\n');
  if (process.argv.includes('--bench')) process.stdout.write(bench(anonymise, dir) + '\n');
  const failures = checkTargets(main);
  if (failures.length) {
    process.stdout.write(`\nTargets missed on the main corpus:\n  ${failures.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stdout.write('\nAll targets met on the main corpus.\n');
}

if (require.main === module) main();
module.exports = { evaluate, checkTargets, loadCorpus, formatTable, bench, caseVariants, TARGETS, GROUP };
