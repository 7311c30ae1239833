#!/usr/bin/env node
'use strict';
/*
 * Hash a bearer token for MUNICIPAL_API_TOKENS (the API stores only SHA-256 hashes).
 *   node scripts/hash-token.js                 → makes a new random token and prints it with its config entry
 *   node scripts/hash-token.js <token>         → prints the SHA-256 hex of <token>
 *   node scripts/hash-token.js --name bot --scopes consultations:write [<token>]
 */
const { createHash, randomBytes } = require('node:crypto');

const args = process.argv.slice(2);
let name = 'client';
let scopes = 'consultations:read';
let token = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--name') name = args[++i];
  else if (args[i] === '--scopes') scopes = args[++i];
  else if (args[i] === '-h' || args[i] === '--help') {
    process.stdout.write('usage: node scripts/hash-token.js [--name <name>] [--scopes consultations:read,consultations:write] [<token>]\n');
    process.exit(0);
  } else token = args[i];
}
const generated = token === null;
if (generated) token = randomBytes(32).toString('base64url');
const hash = createHash('sha256').update(token, 'utf8').digest('hex');
if (generated) {
  process.stdout.write(`token (give to the client, store nowhere else): ${token}\n`);
  process.stdout.write(`MUNICIPAL_API_TOKENS entry: ${name}:${hash}:${scopes}\n`);
} else if (args.includes('--name') || args.includes('--scopes')) {
  process.stdout.write(`${name}:${hash}:${scopes}\n`);
} else {
  process.stdout.write(hash + '\n');
}
