#!/usr/bin/env node
'use strict';
// `npx meldwijzer <command>`: advies, policy check, anonimiseer. Builds dist/ once when it is missing.
const path = require('node:path');
const fs = require('node:fs');
const root = path.resolve(__dirname, '..');
const main = path.join(root, 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  const r = require('node:child_process').spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('meldwijzer: build failed (run `npm run build`)\n');
    process.exit(1);
  }
}
require(main).runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
