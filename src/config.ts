/**
 * Configuration from the environment (.env is read by scripts/start.js): the one module that reads environment
 * variables, for the bot (`loadConfig`), the standalone municipal API (`loadMunicipalApiConfig`), the coordinator tab
 * (`loadTabAuthConfig`, `accessPolicyPathFromEnv`) and the CLI. Validated with zod; a wrong or unsafe configuration
 * stops the process with a clear message instead of running half-configured.
 *
 * Our own variables use one prefix, `MELDWIJZER_`. The older `MEL_` names (MEL_DEV_AUTH, MEL_DEV_SECRET,
 * MEL_TAB_CLIENT_ID, MEL_TAB_TENANT_IDS, MEL_TAB_JWKS_URI, MEL_ACCESS_POLICY) are still accepted for one release, with
 * a deprecation warning; the new name wins when both are set.
 *
 * Security rule: Bot Framework JWT validation is on whenever MicrosoftAppId is set. The unauthenticated
 * local mode exists only when NODE_ENV is explicitly `development` or `test`; in production the bot
 * refuses to start without credentials.
 */
import { z } from 'zod';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).optional(),
  MicrosoftAppId: z.string().trim().optional().default(''),
  MicrosoftAppPassword: z.string().optional().default(''),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional().default('MultiTenant'),
  MicrosoftAppTenantId: z.string().optional().default(''),
  MELDWIJZER_DB_URL: z.string().min(1).default('sqlite:data/meldwijzer.db'),
  PSEUDONYM_SECRET: z.string().optional().default(''),
  MUNICIPAL_API_URL: z.string().url().optional(),
  MUNICIPAL_API_TOKEN: z.string().optional().default(''),
  MUNICIPAL_API_PORT: z.coerce.number().int().min(0).max(65535).default(3980),
  MUNICIPAL_DB_URL: z.string().min(1).default('sqlite:data/municipal.db'),
  MELDWIJZER_LANGUAGE: z.enum(['auto', 'nl', 'en']).optional().default('auto'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional().default('info'),
  OUTBOX_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(30),
  NOTE_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(90),
  MELDWIJZER_DEV_AUTH: z.string().optional(),
  MELDWIJZER_POLICY: z.string().optional(),
  MELDWIJZER_ACCESS_POLICY: z.string().optional(),
  MELDWIJZER_DEV_ON_NETWORK: z.string().optional(),
  MELDWIJZER_HOST: z.enum(['botbuilder', 'agents']).optional().default('botbuilder'),
});

/**
 * The Microsoft 365 Agents SDK's connection settings (`Connections__serviceConnection__Settings__ClientId`, …; the SDK
 * reads keys case-insensitively) name the same app registration as MicrosoftAppId/MicrosoftAppPassword/
 * MicrosoftAppTenantId: one .env works for both hosts. A MicrosoftApp* value wins; the other fills a gap.
 */
const AGENTS_SETTINGS: Array<[string, 'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppTenantId']> = [
  ['connections__serviceconnection__settings__clientid', 'MicrosoftAppId'],
  ['connections__serviceconnection__settings__clientsecret', 'MicrosoftAppPassword'],
  ['connections__serviceconnection__settings__tenantid', 'MicrosoftAppTenantId'],
];
export function withAgentsSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  const lower = new Map(Object.keys(env).map((k) => [k.toLowerCase(), k]));
  for (const [agentsKey, appKey] of AGENTS_SETTINGS) {
    const k = lower.get(agentsKey);
    if (k && !(env[appKey] ?? '').trim()) out[appKey] = env[k];
  }
  return out;
}

type Env = Record<string, string | undefined>;

/** The old `MEL_` names still accepted (one release), each with its `MELDWIJZER_` successor. */
export const DEPRECATED_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  ['DEV_AUTH', 'DEV_SECRET', 'TAB_CLIENT_ID', 'TAB_TENANT_IDS', 'TAB_JWKS_URI', 'ACCESS_POLICY'].map((n) => [`MEL_${n}`, `MELDWIJZER_${n}`]),
);

/**
 * The environment with every old `MEL_` name copied to its `MELDWIJZER_` name (unless that is set), and the old
 * names that were used (for the deprecation warning; names only, never values).
 */
export function withCurrentNames(env: Env): { env: Env; deprecated: string[] } {
  const out: Env = { ...env };
  const deprecated: string[] = [];
  for (const [old, now] of Object.entries(DEPRECATED_NAMES)) {
    if (env[old] === undefined) continue;
    deprecated.push(old);
    if (out[now] === undefined) out[now] = env[old];
  }
  return { env: out, deprecated };
}

/** One deprecation line per old name (logged at startup). */
export function deprecationWarnings(deprecated: string[]): string[] {
  return deprecated.map((old) => `${old} is verouderd en verdwijnt in de volgende release; gebruik ${DEPRECATED_NAMES[old]}.`);
}

const isTrue = (v: string | undefined): boolean => /^(1|true|yes|ja|on)$/i.test((v ?? '').trim());

/** True when NODE_ENV is production (the tab refuses dev sign-in and sends HSTS then). */
export function isProduction(env: Env = process.env): boolean {
  return env.NODE_ENV === 'production';
}

/** The policy file the bot and the CLI use (MELDWIJZER_POLICY), or undefined for policy/meldwijzer.json. */
export function policyPathFromEnv(env: Env = process.env): string | undefined {
  return env.MELDWIJZER_POLICY?.trim() || undefined;
}

/** The access policy file (MELDWIJZER_ACCESS_POLICY, formerly MEL_ACCESS_POLICY), or undefined for policy/access.json. */
export function accessPolicyPathFromEnv(env: Env = process.env): string | undefined {
  return withCurrentNames(env).env.MELDWIJZER_ACCESS_POLICY?.trim() || undefined;
}

/** The bot's database (the CLI's `outbox` command). */
export function botDbUrlFromEnv(env: Env = process.env): string {
  return env.MELDWIJZER_DB_URL || 'sqlite:data/meldwijzer.db';
}

/** Log level for processes that do not load the full configuration (standalone API, CLI). */
export function logLevelFromEnv(env: Env = process.env): BotConfig['logLevel'] {
  const v = env.LOG_LEVEL;
  return v === 'debug' || v === 'info' || v === 'warn' || v === 'error' || v === 'silent' ? v : 'info';
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tab sign-in settings (the shape src/tab/auth.ts takes). */
export interface TabAuthSettings {
  devAuth: boolean;
  clientId?: string;
  tenantIds?: string[];
  jwksUri?: string;
  devSecret?: string;
}

/**
 * Reads the tab auth settings:
 * - `MELDWIJZER_TAB_CLIENT_ID` (else `AAD_APP_CLIENT_ID`): Entra app id for SSO.
 * - `MELDWIJZER_TAB_TENANT_IDS` (comma-separated; else `AAD_APP_TENANT_ID`): allowed tenants.
 * - `MELDWIJZER_TAB_JWKS_URI`: JWKS endpoint (default Entra common keys).
 * - `MELDWIJZER_DEV_AUTH=true`: dev sign-in; refused (throws) when `NODE_ENV=production`.
 * - `MELDWIJZER_DEV_SECRET`: HMAC secret for dev tokens (default: random per process).
 * (each also under its old `MEL_` name for one release)
 */
export function loadTabAuthConfig(rawEnv: Env = process.env): TabAuthSettings {
  const { env } = withCurrentNames(rawEnv);
  const devAuth = isTrue(env.MELDWIJZER_DEV_AUTH);
  if (devAuth && isProduction(env)) {
    throw new Error('MELDWIJZER_DEV_AUTH (MEL_DEV_AUTH)=true is niet toegestaan met NODE_ENV=production: de ontwikkel-aanmelding bestaat alleen lokaal.');
  }
  const clientId = (env.MELDWIJZER_TAB_CLIENT_ID || env.AAD_APP_CLIENT_ID || '').trim() || undefined;
  if (clientId && !GUID.test(clientId)) throw new Error(`MELDWIJZER_TAB_CLIENT_ID/AAD_APP_CLIENT_ID moet een GUID zijn, niet "${clientId}"`);
  const tenantIds = (env.MELDWIJZER_TAB_TENANT_IDS || env.AAD_APP_TENANT_ID || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const t of tenantIds) if (!GUID.test(t)) throw new Error(`tenant-id moet een GUID zijn, niet "${t}"`);
  const jwksUri = (env.MELDWIJZER_TAB_JWKS_URI || '').trim() || undefined;
  const devSecret = (env.MELDWIJZER_DEV_SECRET || '').trim() || undefined;
  return {
    devAuth,
    ...(clientId ? { clientId } : {}),
    ...(tenantIds.length ? { tenantIds } : {}),
    ...(jwksUri ? { jwksUri } : {}),
    ...(devSecret ? { devSecret } : {}),
  };
}

/** The standalone municipal API (node dist/src/api/main.js). */
export interface MunicipalApiConfig {
  port: number;
  host: string;
  dbUrl: string;
  /** MUNICIPAL_API_TOKENS, unparsed (src/api/auth.ts parses it). */
  tokens: string | undefined;
  logLevel: BotConfig['logLevel'];
}

export function loadMunicipalApiConfig(env: Env = process.env): MunicipalApiConfig {
  const port = env.MUNICIPAL_API_PORT ? Number(env.MUNICIPAL_API_PORT) : 3980;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('MUNICIPAL_API_PORT must be a port number');
  return {
    port,
    host: env.MUNICIPAL_API_HOST || '127.0.0.1',
    dbUrl: env.MUNICIPAL_DB_URL || 'sqlite:data/municipal.db',
    tokens: env.MUNICIPAL_API_TOKENS,
    logLevel: logLevelFromEnv(env),
  };
}

/** The only value that lets development mode listen beyond this machine: it has to be typed on purpose. */
export const DEV_ON_NETWORK_CONSENT = 'ik-begrijp-dat-iedereen-op-het-netwerk-erbij-kan';

/** localhost, 127.0.0.0/8, ::1 (and IPv4-mapped loopback). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export interface BotConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** True when development mode was explicitly allowed on a non-loopback HOST (MELDWIJZER_DEV_ON_NETWORK). */
  devOnNetwork: boolean;
  /** True when JWT validation is on (an app id is configured). */
  authenticated: boolean;
  appId: string;
  appPassword: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string;
  dbUrl: string;
  pseudonymSecret: string;
  /** Municipal API to deliver records to; null = start the embedded one (development only). */
  municipalApiUrl: string | null;
  municipalApiToken: string;
  municipalApiPort: number;
  municipalDbUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** UI language: follow the client locale (auto) or force nl/en. */
  language: 'auto' | 'nl' | 'en';
  /** Which SDK hosts the bot: botbuilder (default) or the Microsoft 365 Agents SDK. */
  sdkHost: 'botbuilder' | 'agents';
  /** Delivered outbox items (records, notifications) are deleted after this long, ms; 0 = kept forever. */
  outboxRetentionMs: number;
  /** The professional's note is removed from consultations after this long, ms; 0 = kept forever. */
  noteRetentionMs: number;
  /** MELDWIJZER_POLICY, or undefined for policy/meldwijzer.json. */
  policyPath: string | undefined;
  /** MELDWIJZER_ACCESS_POLICY, or undefined for policy/access.json. */
  accessPolicyPath: string | undefined;
  /** Old `MEL_` names that were set (warned about at startup). */
  deprecatedNames: string[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(rawEnv: Env = process.env): BotConfig {
  const { env, deprecated } = withCurrentNames(withAgentsSettings(rawEnv));
  const r = EnvSchema.safeParse(env);
  if (!r.success) {
    throw new ConfigError(`Ongeldige configuratie: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = r.data;
  const authenticated = e.MicrosoftAppId !== '';
  if (!e.NODE_ENV) {
    throw new ConfigError('NODE_ENV ontbreekt. Zet NODE_ENV=production (met MicrosoftAppId) of NODE_ENV=development voor lokaal gebruik; `npm start` doet dat voor u.');
  }
  if (e.NODE_ENV === 'production') {
    if (!authenticated) throw new ConfigError('Productie vereist MicrosoftAppId (en MicrosoftAppPassword): de lokale modus zonder authenticatie kan in productie niet aan.');
    if (e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) throw new ConfigError('Productie vereist MicrosoftAppPassword bij MicrosoftAppType ' + e.MicrosoftAppType + '.');
    if (e.PSEUDONYM_SECRET.length < 32) throw new ConfigError('Productie vereist PSEUDONYM_SECRET van minstens 32 tekens.');
    if (!e.MUNICIPAL_API_URL || !e.MUNICIPAL_API_TOKEN) throw new ConfigError('Productie vereist MUNICIPAL_API_URL en MUNICIPAL_API_TOKEN (de ingebouwde API is alleen voor ontwikkeling).');
    if (e.MELDWIJZER_DB_URL.startsWith('sqlite::memory:')) throw new ConfigError('Productie vereist een blijvende database (geen sqlite::memory:).');
  }
  const dev = e.NODE_ENV !== 'production';
  const host = e.HOST ?? (dev ? '127.0.0.1' : '0.0.0.0');
  // Development mode (no Bot Framework authentication, or the tab's dev sign-in) is for this machine only: on a
  // network interface anyone who can reach the port could talk to the bot and sign in to the tab as anyone.
  const devMode = !authenticated || isTrue(e.MELDWIJZER_DEV_AUTH);
  if (devMode && !isLoopbackHost(host) && e.MELDWIJZER_DEV_ON_NETWORK !== DEV_ON_NETWORK_CONSENT) {
    throw new ConfigError(
      `HOST=${host} is geen loopback-adres, maar de ontwikkelmodus (zonder authenticatie${e.MELDWIJZER_DEV_AUTH ? ' of met MELDWIJZER_DEV_AUTH/MEL_DEV_AUTH' : ''}) ` +
        'hoort alleen op deze machine. Gebruik HOST=127.0.0.1, zet MicrosoftAppId, of zet bewust ' +
        `MELDWIJZER_DEV_ON_NETWORK=${DEV_ON_NETWORK_CONSENT}.`,
    );
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host,
    devOnNetwork: devMode && !isLoopbackHost(host),
    authenticated,
    appId: e.MicrosoftAppId,
    appPassword: e.MicrosoftAppPassword,
    appType: e.MicrosoftAppType,
    tenantId: e.MicrosoftAppTenantId,
    dbUrl: e.MELDWIJZER_DB_URL,
    pseudonymSecret: e.PSEUDONYM_SECRET,
    municipalApiUrl: e.MUNICIPAL_API_URL ?? null,
    municipalApiToken: e.MUNICIPAL_API_TOKEN,
    municipalApiPort: e.MUNICIPAL_API_PORT,
    municipalDbUrl: e.MUNICIPAL_DB_URL,
    logLevel: e.LOG_LEVEL,
    language: e.MELDWIJZER_LANGUAGE,
    outboxRetentionMs: e.OUTBOX_RETENTION_DAYS * 24 * 3600_000,
    noteRetentionMs: e.NOTE_RETENTION_DAYS * 24 * 3600_000,
    sdkHost: e.MELDWIJZER_HOST,
    policyPath: e.MELDWIJZER_POLICY?.trim() || undefined,
    accessPolicyPath: e.MELDWIJZER_ACCESS_POLICY?.trim() || undefined,
    deprecatedNames: deprecated,
  };
}
