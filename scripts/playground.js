#!/usr/bin/env node
'use strict';
/* `npm run playground`: Microsoft 365 Agents Playground (offline, no telemetry) against a running bot (PORT, default 3978). */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { root, ensureDependencies, loadDotEnv } = require('./lib');

ensureDependencies();
loadDotEnv();
const port = Number(process.env.PORT || 3978);
const pgPort = Number(process.env.PLAYGROUND_PORT || 56150);
process.stdout.write(`Agents Playground op http://localhost:${pgPort} → bot http://127.0.0.1:${port}/api/messages\n`);
const pg = spawn(
  process.execPath,
  [path.join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js'), '-e', `http://127.0.0.1:${port}/api/messages`, '-c', 'msteams', '-p', String(pgPort), '--dt'],
  { cwd: root, env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: 'inherit' },
);
pg.on('exit', (code) => process.exit(code ?? 0));
process.on('SIGINT', () => pg.kill('SIGINT'));
process.on('SIGTERM', () => pg.kill('SIGTERM'));
