#!/usr/bin/env node
/*
 * `npm test`: the one command that runs every test on a fresh clone.
 * 0. installs what the tests need when it is missing: node_modules (npm ci), and — as root, via apt — Debian
 *    chromium (browser tests) and PostgreSQL 15 (the same API/repository tests run on SQLite and PostgreSQL);
 * 1. type-checks sources and tests (strict), 2. builds dist/ (the CLI, fault tests and bench use it),
 * 3. runs jest (all suites; PostgreSQL and browser suites start their own servers on loopback).
 * Extra arguments go to jest, e.g. `npm test -- test/meldcode`.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root, ensureDependencies } = require('./lib');

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(label, cmd, args) {
  const started = Date.now();
  process.stdout.write(`\n▶ ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`✖ ${label} failed after ${secs}s (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
  process.stdout.write(`✔ ${label} (${secs}s)\n`);
}

function ensureSystemPackages() {
  const missing = [];
  if (!fs.existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!fs.existsSync('/usr/lib/postgresql/15/bin/initdb')) missing.push('postgresql');
  if (!missing.length || process.env.MELDWIJZER_NO_APT === 'true') return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasSudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!isRoot && !hasSudo) {
    process.stdout.write(`⚠ ${missing.join(', ')} not installed and no root: those suites are skipped locally (they fail in CI).\n`);
    return;
  }
  const pre = isRoot ? [] : ['sudo', '-n'];
  process.stdout.write(`▶ apt-get install ${missing.join(' ')} (needed by the browser and PostgreSQL tests)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const sh = (args) => spawnSync(pre[0] ?? args[0], pre.length ? [...pre.slice(1), ...args] : args.slice(1), { stdio: 'inherit', env });
  sh(['apt-get', 'update', '-qq']);
  const r = sh(['apt-get', 'install', '-y', '-qq', ...missing]);
  if (r.status !== 0) process.stdout.write(`⚠ apt-get install ${missing.join(' ')} failed; those suites will fail or be skipped.\n`);
}

ensureDependencies();
ensureSystemPackages();
const jestArgs = process.argv.slice(2);
if (jestArgs.length === 0) {
  run('typecheck (src + tests)', bin('tsc'), ['-p', 'tsconfig.test.json', '--noEmit']);
}
run('build (tsc → dist/)', bin('tsc'), ['-p', 'tsconfig.json']);
const summary = path.join(root, 'test-artifacts', 'jest-summary.json');
fs.mkdirSync(path.dirname(summary), { recursive: true });
fs.rmSync(summary, { force: true });
const started = Date.now();
process.stdout.write('\n▶ jest\n');
const r = spawnSync(bin('jest'), ['--ci', '--maxWorkers=2', '--json', `--outputFile=${summary}`, ...jestArgs], { cwd: root, stdio: 'inherit', env: process.env });
const secs = ((Date.now() - started) / 1000).toFixed(1);
let counts = null;
try {
  counts = JSON.parse(fs.readFileSync(summary, 'utf8'));
} catch {
  // jest did not get as far as writing its summary
}
process.stdout.write(`\njest finished in ${secs}s\n`);
if (counts) process.stdout.write(`jest: ${counts.numPassedTests} passed, ${counts.numFailedTests} failed, ${counts.numPendingTests} skipped\n`);

/**
 * The same HTTP conversation, overleg/proactive, security, fuzz and Agents Playground suites again on the second
 * host (MELDWIJZER_HOST=agents: Microsoft 365 Agents SDK). Only on a full run (no jest arguments).
 */
const AGENTS_SUITES = ['test/http/', 'test/overleg/app.test.ts', 'test/security/botAuth.test.ts', 'test/security/bodyLimits.test.ts', 'test/security/logCanaries.test.ts', 'test/security/storedStrings.test.ts', 'test/fuzz/activities.test.ts', 'test/e2e/playground.test.ts'];
let agentsStatus = 0;
if (jestArgs.length === 0) {
  const summary2 = path.join(root, 'test-artifacts', 'jest-summary-agents.json');
  fs.rmSync(summary2, { force: true });
  const t2 = Date.now();
  process.stdout.write('\n▶ jest (MELDWIJZER_HOST=agents: the host suites on the Agents SDK host)\n');
  const r2 = spawnSync(bin('jest'), ['--ci', '--maxWorkers=2', '--json', `--outputFile=${summary2}`, ...AGENTS_SUITES], { cwd: root, stdio: 'inherit', env: { ...process.env, MELDWIJZER_HOST: 'agents' } });
  agentsStatus = r2.status ?? 1;
  try {
    const c2 = JSON.parse(fs.readFileSync(summary2, 'utf8'));
    process.stdout.write(`jest (agents host, ${((Date.now() - t2) / 1000).toFixed(1)}s): ${c2.numPassedTests} passed, ${c2.numFailedTests} failed, ${c2.numPendingTests} skipped\n`);
  } catch {
    // no summary written
  }
}
process.exit((r.status ?? 1) || agentsStatus);
