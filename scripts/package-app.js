#!/usr/bin/env node
'use strict';
/*
 * `npm run package`: builds the Teams app package appPackage/build/meldwijzer.zip (no dependencies).
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
const { createZip } = require('./app-package/zip');
const { pngInfo } = require('./app-package/png');

const root = path.resolve(__dirname, '..');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

class ConfigError extends Error {}

/** Parses KEY=VALUE lines (comments, `export `, single/double quotes). */
function parseDotEnv(text) {
  const out = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2];
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    out[m[1]] = v.trim();
  }
  return out;
}

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

/** Checks the fields Teams rejects most often; returns a list of problems. */
function validateManifest(m, vars, dir) {
  const p = [];
  const need = (cond, msg) => {
    if (!cond) p.push(msg);
  };
  need(/^1\.(1[7-9]|2\d)$/.test(String(m.manifestVersion)), 'manifestVersion must be 1.17 or newer');
  need(typeof m.$schema === 'string' && m.$schema.includes(`/v${m.manifestVersion}/`), '$schema must match manifestVersion');
  need(GUID.test(m.id || ''), 'id must be a GUID');
  need(/^\d+\.\d+\.\d+$/.test(m.version || ''), 'version must be x.y.z');
  need(m.name && typeof m.name.short === 'string' && m.name.short.length >= 1 && m.name.short.length <= 30, 'name.short: 1–30 characters');
  need(m.name && typeof m.name.full === 'string' && m.name.full.length <= 100, 'name.full: at most 100 characters');
  need(m.description && m.description.short && m.description.short.length <= 80, 'description.short: 1–80 characters');
  need(m.description && m.description.full && m.description.full.length <= 4000, 'description.full: 1–4000 characters');
  for (const k of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) need(m.developer && /^https:\/\//.test(m.developer[k] || ''), `developer.${k} must be an https URL`);
  need(/^#[0-9a-f]{6}$/i.test(m.accentColor || ''), 'accentColor must be #RRGGBB');
  const bots = m.bots || [];
  need(bots.length === 1, 'exactly one bot');
  if (bots[0]) {
    need(bots[0].botId === vars.MICROSOFT_APP_ID, 'bots[0].botId must be MICROSOFT_APP_ID');
    need(JSON.stringify([...(bots[0].scopes || [])].sort()) === JSON.stringify(['personal', 'team']), 'bot scopes must be personal and team');
    const cmds = (bots[0].commandLists || []).flatMap((l) => l.commands || []);
    need(cmds.length <= 10, 'at most 10 bot commands');
    for (const c of cmds) need(c.title && c.title.length <= 32 && c.description && c.description.length <= 128, `command "${c.title}": title ≤ 32, description ≤ 128`);
    for (const t of ['start', 'help', 'open consultaties']) need(cmds.some((c) => c.title === t), `bot command "${t}" missing`);
  }
  const tabs = m.staticTabs || [];
  const coord = tabs.find((t) => t.entityId === 'coordinator');
  need(!!coord, 'static tab "coordinator" missing');
  if (coord) {
    need(coord.contentUrl === `https://${vars.BOT_DOMAIN}/tab/`, 'coordinator tab contentUrl must be https://BOT_DOMAIN/tab/');
    need(coord.name && coord.name.length <= 128, 'coordinator tab needs a name');
  }
  for (const t of tabs) if (t.contentUrl) need(httpsUrlOn(t.contentUrl, vars.BOT_DOMAIN), `tab ${t.entityId}: contentUrl must be on https://${vars.BOT_DOMAIN}`);
  need(Array.isArray(m.validDomains) && m.validDomains.includes(vars.BOT_DOMAIN), 'validDomains must include BOT_DOMAIN');
  for (const d of m.validDomains || []) need(!/^https?:|\//.test(d), `validDomains entry "${d}" must be a bare host name`);
  const wai = m.webApplicationInfo || {};
  need(wai.id === vars.AAD_APP_CLIENT_ID, 'webApplicationInfo.id must be AAD_APP_CLIENT_ID');
  need(wai.resource === `api://${vars.BOT_DOMAIN}/${vars.AAD_APP_CLIENT_ID}`, 'webApplicationInfo.resource must be api://BOT_DOMAIN/AAD_APP_CLIENT_ID');
  const icons = m.icons || {};
  for (const [kind, size] of [['color', 192], ['outline', 32]]) {
    const f = icons[kind] && path.join(dir, icons[kind]);
    if (!f || !fs.existsSync(f)) {
      p.push(`icons.${kind}: file ${icons[kind] || '(none)'} not found in ${dir} (run node scripts/make-icons.js)`);
      continue;
    }
    try {
      const info = pngInfo(fs.readFileSync(f));
      need(info.width === size && info.height === size, `icons.${kind} must be ${size}×${size}, is ${info.width}×${info.height}`);
    } catch (e) {
      p.push(`icons.${kind}: ${e.message}`);
    }
  }
  return p;
}

/** Builds the package; returns { out, manifest, files }. Throws ConfigError on configuration problems. */
function packageApp({ env = process.env, envFile = path.join(root, '.env'), out = path.join(root, 'appPackage', 'build', 'meldwijzer.zip'), dir = path.join(root, 'appPackage') } = {}) {
  const dotenv = fs.existsSync(envFile) ? parseDotEnv(fs.readFileSync(envFile, 'utf8')) : {};
  const vars = resolveVars(env, dotenv);
  const template = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
  const text = substitute(template, vars);
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`manifest.json is not valid JSON after substitution: ${e.message}`);
  }
  const problems = validateManifest(manifest, vars, dir);
  if (problems.length) throw new ConfigError(`manifest.json:\n  ${problems.join('\n  ')}`);
  const files = [
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8') },
    { name: manifest.icons.color, data: fs.readFileSync(path.join(dir, manifest.icons.color)) },
    { name: manifest.icons.outline, data: fs.readFileSync(path.join(dir, manifest.icons.outline)) },
  ];
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, createZip(files));
  return { out, manifest, files: files.map((f) => f.name) };
}

module.exports = { packageApp, parseDotEnv, resolveVars, substitute, validateManifest, ConfigError };

if (require.main === module) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
      process.stdout.write('usage: npm run package [-- --env .env --out appPackage/build/meldwijzer.zip --dir appPackage]\n');
      process.exit(0);
    }
    const r = packageApp({
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
