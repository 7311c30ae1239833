#!/usr/bin/env node
/*
 * `npm test`: the one command that runs every test on a fresh clone.
 * 1. type-checks sources and tests (strict), 2. builds dist/ (the CLI and browser tests use it),
 * 3. runs jest (all suites; PostgreSQL and browser suites start their own servers on loopback).
 * Extra arguments go to jest, e.g. `npm test -- test/meldcode`.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
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

const jestArgs = process.argv.slice(2);
if (jestArgs.length === 0) {
  run('typecheck (src + tests)', bin('tsc'), ['-p', 'tsconfig.test.json', '--noEmit']);
}
run('build (tsc → dist/)', bin('tsc'), ['-p', 'tsconfig.json']);
run('jest', bin('jest'), ['--ci', '--maxWorkers=2', ...jestArgs]);
