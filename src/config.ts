/**
 * Configuration from the environment (.env is read by scripts/start.js). Validated with zod; a wrong
 * or unsafe configuration stops the process with a clear message instead of running half-configured.
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
  MEL_DEV_AUTH: z.string().optional(),
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
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const r = EnvSchema.safeParse(withAgentsSettings(env));
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
  const devMode = !authenticated || /^(1|true|yes|ja|on)$/i.test((e.MEL_DEV_AUTH ?? '').trim());
  if (devMode && !isLoopbackHost(host) && e.MELDWIJZER_DEV_ON_NETWORK !== DEV_ON_NETWORK_CONSENT) {
    throw new ConfigError(
      `HOST=${host} is geen loopback-adres, maar de ontwikkelmodus (zonder authenticatie${e.MEL_DEV_AUTH ? ' of met MEL_DEV_AUTH' : ''}) ` +
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
  };
}
