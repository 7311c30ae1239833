#!/usr/bin/env node
/*
 * Builds the annotated privacy corpora from their marked-up sources, so entity offsets are exact:
 *   test/privacy/corpus.src.txt  -> test/privacy/corpus.jsonl   (main corpus: rules may be tuned against it)
 *   test/privacy/heldout.src.txt -> test/privacy/heldout.jsonl  (held-out: written before tuning, never tuned on)
 *
 * Source format: one text per line; empty lines and lines starting with '#' are ignored. An entity is written as
 * {{TYPE:surface text}}, e.g. "Moeder {{NAAM:Fatima el Amrani}} belde op {{DATUM:12 maart 2015}}." TYPE is one of
 * FINDING_TYPES (src/privacy/types.ts). Output lines: {"text": "...", "entities": [{"type","start","end"}]} with
 * UTF-16 offsets into text, end exclusive. BSN and IBAN entities are checked with the elfproef / mod-97 so the
 * corpus cannot contain an invalid "valid" example by accident.
 *
 * Usage: node scripts/build-privacy-corpus.js [--check]   (--check: fail if a .jsonl is out of date, write nothing)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TYPES = ['BSN', 'POSTCODE', 'ADRES', 'TELEFOON', 'EMAIL', 'URL', 'IBAN', 'DATUM', 'LEEFTIJD', 'ID', 'NAAM', 'INSTELLING'];
const MARK = /\{\{([A-Z]+):([^{}]+)\}\}/g;

const DIGIT_WORDS = { nul: 0, een: 1, één: 1, twee: 2, drie: 3, vier: 4, vijf: 5, zes: 6, zeven: 7, acht: 8, negen: 9 };

function elfproef(s) {
  // A spelled-out BSN ("een twee drie ...") is checked on its digits.
  if (!/\d/.test(s)) s = s.split(/[\s,.-]+/).map((w) => DIGIT_WORDS[w.toLowerCase()] ?? w).join('');
  const d = s.replace(/[\s.-]/g, '');
  if (!/^\d{9}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(d[i]);
  return (sum - Number(d[8])) % 11 === 0;
}

function mod97(s) {
  const iban = s.replace(/\s/g, '').toUpperCase();
  const r = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of r) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

function convertLine(line, where) {
  let text = '';
  const entities = [];
  let last = 0;
  for (const m of line.matchAll(MARK)) {
    const [whole, type, surface] = m;
    if (!TYPES.includes(type)) throw new Error(`${where}: unknown type ${type}`);
    if (type === 'BSN' && !elfproef(surface)) throw new Error(`${where}: BSN fails elfproef: ${surface}`);
    if (type === 'IBAN' && !mod97(surface)) throw new Error(`${where}: IBAN fails mod-97: ${surface}`);
    text += line.slice(last, m.index);
    const start = text.length;
    text += surface;
    entities.push({ type, start, end: text.length });
    last = m.index + whole.length;
  }
  text += line.slice(last);
  if (text.includes('{{') || text.includes('}}')) throw new Error(`${where}: unbalanced markup`);
  return { text, entities };
}

function build(srcFile) {
  const lines = fs.readFileSync(srcFile, 'utf8').split(/\r?\n/);
  const out = [];
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    out.push(convertLine(line, `${path.basename(srcFile)}:${i + 1}`));
  });
  return out;
}

function main() {
  const check = process.argv.includes('--check');
  const dir = path.join(__dirname, '..', 'test', 'privacy');
  let stale = false;
  for (const name of ['corpus', 'heldout']) {
    const src = path.join(dir, `${name}.src.txt`);
    if (!fs.existsSync(src)) continue;
    const records = build(src);
    const body = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const dest = path.join(dir, `${name}.jsonl`);
    const counts = {};
    for (const r of records) for (const e of r.entities) counts[e.type] = (counts[e.type] || 0) + 1;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    process.stdout.write(`${name}: ${records.length} texts, ${total} entities ${JSON.stringify(counts)}\n`);
    if (check) {
      if (!fs.existsSync(dest) || fs.readFileSync(dest, 'utf8') !== body) {
        process.stdout.write(`${dest} is out of date: run node scripts/build-privacy-corpus.js\n`);
        stale = true;
      }
    } else {
      fs.writeFileSync(dest, body);
    }
  }
  if (stale) process.exit(1);
}

if (require.main === module) main();
module.exports = { convertLine, build };
