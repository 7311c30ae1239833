#!/usr/bin/env node
'use strict';
/*
 * `npm run package`: builds the Teams app package appPackage/build/meldwijzer.zip. The manifest is checked against
 * the official Teams manifest JSON schema (offline: @microsoft/app-manifest ships the schemas) plus the few rules that
 * are Meldwijzer's own (ids, domain, tab, commands, icon sizes); the zip is written with fflate.
 *
 * Reads variables from the environment, then from .env (the environment wins):
 *   MICROSOFT_APP_ID   bot (Azure Bot) app id, GUID                          required
 *   AAD_APP_CLIENT_ID  Entra app id used for tab SSO (webApplicationInfo)    required
 *   BOT_DOMAIN         public host name of the bot/tab, e.g. meldwijzer.example.nl (no scheme, no path)   required
 *   TEAMS_APP_ID       Teams app id, GUID                                    default: MICROSOFT_APP_ID
 *   APP_VERSION        manifest version x.y.z                                default: package.json version
 * Options: --env <file> (default .env), --out <zip> (default appPackage/build/meldwijzer.zip),
 *          --dir <appPackage dir> (default appPackage).
 * Exit codes: 0 written, 2 missing/invalid configuration or manifest, 1 unexpected error.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseEnv } = require('node:util');
const { zipSync } = require('fflate');

const root = path.resolve(__dirname, '..');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

class ConfigError extends Error {}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--env' || a === '--out' || a === '--dir') {
      if (!argv[i + 1]) throw new ConfigError(`${a} needs a value`);
      opts[a.slice(2)] = argv[++i];
    } else if (a === '-h' || a === '--help') opts.help = true;
    else throw new ConfigError(`unknown argument ${a}`);
  }
  return opts;
}

/** Resolves the variables and checks them; throws ConfigError listing every problem. */
function resolveVars(env, dotenv) {
  const pick = (k) => {
    const v = env[k] !== undefined && env[k] !== '' ? env[k] : dotenv[k];
    return v === undefined ? '' : String(v).trim();
  };
  const vars = {
    MICROSOFT_APP_ID: pick('MICROSOFT_APP_ID') || pick('MicrosoftAppId'),
    AAD_APP_CLIENT_ID: pick('AAD_APP_CLIENT_ID'),
    BOT_DOMAIN: pick('BOT_DOMAIN'),
    TEAMS_APP_ID: pick('TEAMS_APP_ID'),
    APP_VERSION: pick('APP_VERSION'),
  };
  const problems = [];
  const missing = ['MICROSOFT_APP_ID', 'AAD_APP_CLIENT_ID', 'BOT_DOMAIN'].filter((k) => !vars[k]);
  if (missing.length) problems.push(`missing variable(s): ${missing.join(', ')} — set them in .env or the environment (see the header of scripts/package-app.js)`);
  if (vars.MICROSOFT_APP_ID && !GUID.test(vars.MICROSOFT_APP_ID)) problems.push(`MICROSOFT_APP_ID must be a GUID, got "${vars.MICROSOFT_APP_ID}"`);
  if (vars.AAD_APP_CLIENT_ID && !GUID.test(vars.AAD_APP_CLIENT_ID)) problems.push(`AAD_APP_CLIENT_ID must be a GUID, got "${vars.AAD_APP_CLIENT_ID}"`);
  if (vars.BOT_DOMAIN && !HOST.test(vars.BOT_DOMAIN)) {
    problems.push(`BOT_DOMAIN must be a host name without scheme, port or path (e.g. meldwijzer.example.nl), got "${vars.BOT_DOMAIN}"`);
  }
  if (!vars.TEAMS_APP_ID) vars.TEAMS_APP_ID = vars.MICROSOFT_APP_ID;
  else if (!GUID.test(vars.TEAMS_APP_ID)) problems.push(`TEAMS_APP_ID must be a GUID, got "${vars.TEAMS_APP_ID}"`);
  if (!vars.APP_VERSION) vars.APP_VERSION = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  if (!/^\d{1,5}\.\d{1,5}\.\d{1,5}$/.test(vars.APP_VERSION)) problems.push(`APP_VERSION must look like 1.0.0, got "${vars.APP_VERSION}"`);
  if (problems.length) throw new ConfigError(problems.join('\n  '));
  return vars;
}

/** Replaces ${{NAME}} placeholders; unknown or unset names are an error. */
function substitute(text, vars) {
  const unknown = new Set();
  const out = text.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (_, name) => {
    if (vars[name] === undefined || vars[name] === '') {
      unknown.add(name);
      return '';
    }
    return vars[name];
  });
  if (unknown.size) throw new ConfigError(`manifest uses variable(s) without a value: ${[...unknown].join(', ')}`);
  return out;
}

function httpsUrlOn(url, domain) {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.hostname === domain;
  } catch {
    return false;
  }
}

/** Width and height of a PNG from its IHDR chunk (the icons are committed files; only their size is checked). */
function pngSize(buf) {
  if (buf.length < 24 || buf.readUInt32BE(0) !== 0x89504e47 || buf.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG file');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** The official Teams manifest schema for the manifest's $schema, from @microsoft/app-manifest (offline). */
async function schemaProblems(m) {
  let AppManifestUtils;
  try {
    ({ AppManifestUtils } = require('@microsoft/app-manifest'));
  } catch {
    return ['the manifest validator @microsoft/app-manifest is not installed (run npm ci)'];
  }
  if (typeof m.$schema !== 'string' || !/^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}-[a-z]{2}\/)?json-schemas\/teams\/v[\d.]+\/MicrosoftTeams\.schema\.json$/.test(m.$schema)) {
    return ['$schema must be the Teams manifest schema URL (https://developer.microsoft.com/json-schemas/teams/vX.Y/MicrosoftTeams.schema.json)'];
  }
  const errors = await AppManifestUtils.validateAgainstSchema(m);
  return errors.map((e) => `schema: ${e.trim()}`);
}

/** The official schema, then the rules that are Meldwijzer's own; returns a list of problems. */
async function validateManifest(m, vars, dir) {
  const p = await schemaProblems(m);
  const need = (cond, msg) => {
    if (!cond) p.push(msg);
  };
  need(typeof m.$schema === 'string' && m.$schema.includes(`/v${m.manifestVersion}/`), '$schema must match manifestVersion');
  const bots = m.bots || [];
  need(bots.length === 1, 'exactly one bot');
  if (bots[0]) {
    need(bots[0].botId === vars.MICROSOFT_APP_ID, 'bots[0].botId must be MICROSOFT_APP_ID');
    need(JSON.stringify([...(bots[0].scopes || [])].sort()) === JSON.stringify(['personal', 'team']), 'bot scopes must be personal and team');
    const cmds = (bots[0].commandLists || []).flatMap((l) => l.commands || []);
    for (const t of ['start', 'help', 'open consultaties']) need(cmds.some((c) => c.title === t), `bot command "${t}" missing`);
  }
  const tabs = m.staticTabs || [];
  const coord = tabs.find((t) => t.entityId === 'coordinator');
  need(!!coord, 'static tab "coordinator" missing');
  if (coord) need(coord.contentUrl === `https://${vars.BOT_DOMAIN}/tab/`, 'coordinator tab contentUrl must be https://BOT_DOMAIN/tab/');
  for (const t of tabs) if (t.contentUrl) need(httpsUrlOn(t.contentUrl, vars.BOT_DOMAIN), `tab ${t.entityId}: contentUrl must be on https://${vars.BOT_DOMAIN}`);
  need(Array.isArray(m.validDomains) && m.validDomains.includes(vars.BOT_DOMAIN), 'validDomains must include BOT_DOMAIN');
  const wai = m.webApplicationInfo || {};
  need(wai.id === vars.AAD_APP_CLIENT_ID, 'webApplicationInfo.id must be AAD_APP_CLIENT_ID');
  need(wai.resource === `api://${vars.BOT_DOMAIN}/${vars.AAD_APP_CLIENT_ID}`, 'webApplicationInfo.resource must be api://BOT_DOMAIN/AAD_APP_CLIENT_ID');
  const icons = m.icons || {};
  for (const [kind, size] of [['color', 192], ['outline', 32]]) {
    const f = icons[kind] && path.join(dir, icons[kind]);
    if (!f || !fs.existsSync(f)) {
      p.push(`icons.${kind}: file ${icons[kind] || '(none)'} not found in ${dir}`);
      continue;
    }
    try {
      const info = pngSize(fs.readFileSync(f));
      need(info.width === size && info.height === size, `icons.${kind} must be ${size}×${size}, is ${info.width}×${info.height}`);
    } catch (e) {
      p.push(`icons.${kind}: ${e.message}`);
    }
  }
  return p;
}

/** Builds the package; returns { out, manifest, files }. Throws ConfigError on configuration problems. */
async function packageApp({ env = process.env, envFile = path.join(root, '.env'), out = path.join(root, 'appPackage', 'build', 'meldwijzer.zip'), dir = path.join(root, 'appPackage') } = {}) {
  const dotenv = fs.existsSync(envFile) ? parseEnv(fs.readFileSync(envFile, 'utf8')) : {};
  const vars = resolveVars(env, dotenv);
  const template = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
  const text = substitute(template, vars);
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`manifest.json is not valid JSON after substitution: ${e.message}`);
  }
  const problems = await validateManifest(manifest, vars, dir);
  if (problems.length) throw new ConfigError(`manifest.json:\n  ${problems.join('\n  ')}`);
  const files = {
    'manifest.json': Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'),
    [manifest.icons.color]: fs.readFileSync(path.join(dir, manifest.icons.color)),
    [manifest.icons.outline]: fs.readFileSync(path.join(dir, manifest.icons.outline)),
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, zipSync(files, { level: 9, mtime: new Date('2024-01-01T00:00:00Z') }));
  return { out, manifest, files: Object.keys(files) };
}

module.exports = { packageApp, resolveVars, substitute, validateManifest, ConfigError };

async function main() {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
      process.stdout.write('usage: npm run package [-- --env .env --out appPackage/build/meldwijzer.zip --dir appPackage]\n');
      process.exit(0);
    }
    const r = await packageApp({
      ...(opts.env ? { envFile: path.resolve(opts.env) } : {}),
      ...(opts.out ? { out: path.resolve(opts.out) } : {}),
      ...(opts.dir ? { dir: path.resolve(opts.dir) } : {}),
    });
    process.stdout.write(`✔ wrote ${path.relative(process.cwd(), r.out)} (${r.files.join(', ')}) for https://${r.manifest.validDomains[0]}/tab/\n`);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`✖ app package not built:\n  ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`✖ app package failed: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  }
}

if (require.main === module) main();
