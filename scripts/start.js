#!/usr/bin/env node
'use strict';
/*
 * `npm start`: runs Meldwijzer on the embedded defaults and opens Microsoft's Agents Playground against it.
 *   - installs dependencies on a fresh clone, builds dist/, reads .env when present;
 *   - without MicrosoftAppId: NODE_ENV=development, local unauthenticated mode, SQLite in data/, the municipal
 *     API embedded on :3980, the coordinator tab with dev sign-in on http://127.0.0.1:3978/tab/;
 *   - starts the Agents Playground on http://localhost:56150 (MELDWIJZER_PLAYGROUND=false to skip).
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { root, ensureDependencies, build, loadDotEnv, waitForHttp } = require('./lib');

ensureDependencies();
const hadEnv = loadDotEnv();
build();

const env = { ...process.env };
if (!env.NODE_ENV) env.NODE_ENV = env.MicrosoftAppId ? 'production' : 'development';
if (env.NODE_ENV !== 'production' && env.MELDWIJZER_DEV_AUTH === undefined && env.MEL_DEV_AUTH === undefined) env.MELDWIJZER_DEV_AUTH = 'true';
// Agents Playground always sends locale en-US; a Dutch-first product starts in Dutch locally.
if (env.NODE_ENV !== 'production' && env.MELDWIJZER_LANGUAGE === undefined) env.MELDWIJZER_LANGUAGE = 'nl';
const port = Number(env.PORT || 3978);
const children = [];

const bot = spawn(process.execPath, [path.join(root, 'dist', 'src', 'index.js')], { cwd: root, env, stdio: 'inherit' });
children.push(bot);
bot.on('exit', (code) => {
  for (const c of children) if (c !== bot && !c.killed) c.kill('SIGTERM');
  process.exit(code ?? 1);
});

const stop = (signal) => {
  for (const c of children) if (!c.killed) c.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

waitForHttp(`http://127.0.0.1:${port}/healthz`, 60000)
  .then(() => {
    const lines = [
      '',
      '──────────────────────────────────────────────────────────────────────────',
      ` Meldwijzer draait (${env.NODE_ENV}${hadEnv ? ', .env gelezen' : ''}).`,
      `   Bot endpoint:      http://127.0.0.1:${port}/api/messages`,
      `   Coördinator-tab:   http://127.0.0.1:${port}/tab/`,
      `   Gemeentelijke API: http://127.0.0.1:${env.MUNICIPAL_API_PORT || 3980}/api/v1/openapi.json${env.MUNICIPAL_API_URL ? ' (extern)' : ' (ingebouwd)'}`,
    ];
    const playground = env.MELDWIJZER_PLAYGROUND !== 'false' && env.NODE_ENV !== 'production';
    if (playground) {
      const pgPort = Number(env.PLAYGROUND_PORT || 56150);
      const pg = spawn(
        process.execPath,
        [path.join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js'), '-e', `http://127.0.0.1:${port}/api/messages`, '-c', 'msteams', '-p', String(pgPort), '--dt'],
        { cwd: root, env: { ...env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
      children.push(pg);
      lines.push(`   Praat met de bot:  open http://localhost:${pgPort} (Microsoft 365 Agents Playground) en typ "start".`);
    } else {
      lines.push('   Praat met de bot via Teams (zie README) of start de Playground met `npm run playground`.');
    }
    lines.push(' Stoppen: Ctrl+C', '──────────────────────────────────────────────────────────────────────────', '');
    process.stdout.write(lines.join('\n'));
  })
  .catch((err) => {
    process.stderr.write(`✖ ${err.message}\n`);
    stop('SIGTERM');
  });
