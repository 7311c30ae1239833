'use strict';
/* Shared helpers for scripts/start.js, scripts/playground.js and scripts/test.js (plain Node, no dependencies). */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { parseEnv } = require('node:util');

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

/** Reads .env into process.env without overriding what is already set (Node's own parser, util.parseEnv). */
function loadDotEnv(file = path.join(root, '.env')) {
  if (!fs.existsSync(file)) return false;
  for (const [k, v] of Object.entries(parseEnv(fs.readFileSync(file, 'utf8')))) {
    if (process.env[k] === undefined) process.env[k] = v;
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
