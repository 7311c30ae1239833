'use strict';
/* Shared helpers for scripts/start.js, scripts/playground.js and scripts/test.js (plain Node, no dependencies). */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');

const root = path.resolve(__dirname, '..');

/** Installs node_modules on a fresh clone (npm ci), so `npm start` / `npm test` are the only commands needed. */
function ensureDependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs - 1000) return;
  process.stdout.write('▶ npm ci (first run on this machine; better-sqlite3 compiles, ~2 min)\n');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('✖ npm ci failed\n');
    process.exit(r.status || 1);
  }
}

function build() {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('✖ build failed\n');
    process.exit(r.status || 1);
  }
}

/** Reads .env (KEY=value lines, # comments) into process.env without overriding what is already set. */
function loadDotEnv(file = path.join(root, '.env')) {
  if (!fs.existsSync(file)) return false;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    let v = m[2];
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    if (process.env[m[1]] === undefined) process.env[m[1]] = v;
  }
  return true;
}

function waitForHttp(url, timeoutMs = 30000) {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const req = http.get(url, (res) => {
        res.resume();
        if (res.statusCode && res.statusCode < 500) resolve();
        else retry();
      });
      req.on('error', retry);
      req.setTimeout(2000, () => req.destroy());
    };
    const retry = () => (Date.now() > until ? reject(new Error(`timeout waiting for ${url}`)) : setTimeout(attempt, 250));
    attempt();
  });
}

module.exports = { root, ensureDependencies, build, loadDotEnv, waitForHttp };
