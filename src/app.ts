/**
 * Composition root: wires config, store, repository, outbox worker, bot, tab and HTTP server.
 * `createMeldwijzer` is used by src/index.ts (the product), the HTTP tests and the benchmark.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MemoryStorage, type Storage } from 'botbuilder';
import type restify from 'restify';
import { deprecationWarnings, type BotConfig } from './config';
import { loadPolicy, usePolicyFile, type Policy } from './meldcode/policy';
import { openDb, migrate, type Db } from './store';
import { createBotStorage } from './store/botStorage';
import { createConversationRefStore } from './store/conversationRefs';
import { createConsultationRepository } from './consultation/repository';
import { createMunicipalClient } from './records/municipalClient';
import { startOutboxWorker, type OutboxWorker } from './records/outbox';
import { createJsonLogger, type Logger } from './records/logger';
import { startMunicipalApi, hashToken, type RunningMunicipalApi } from './api';
import { createAdapter } from './bot/adapter';
import { setLanguageMode } from './texts';
import { MeldwijzerBot, type BotFeature } from './bot/bot';
import { MeldwijzerConversationState } from './bot/state';
import { createOverlegFeature, type OverlegFeature } from './overleg/feature';
import { notifyStatusChange } from './overleg/service';
import { createListFeature } from './coordinator/listFeature';
import { createBotServer } from './bot/httpServer';
import { closeServer, listenOn, urlOf } from './serverLifecycle';
import { registerTabRoutes } from './tab/routes';
import { tabAuthConfigFromEnv, type TabAuthConfig } from './tab/auth';
import { loadAccessPolicy, type AccessPolicy } from './coordinator/access';
import type { ConsultationSink } from './consultation/dialog';
import type { ConsultationRepository, ConsultationStats, ConversationRefStore } from './consultation/ports';
import type { CloudAdapter } from 'botbuilder';

export interface Meldwijzer {
  config: BotConfig;
  policy: Policy;
  db: Db;
  repo: ConsultationRepository & ConsultationStats;
  refs: ConversationRefStore;
  adapter: CloudAdapter;
  bot: MeldwijzerBot;
  server: restify.Server;
  worker: OutboxWorker | null;
  /** The embedded municipal API (development default), when started. */
  municipalApi: RunningMunicipalApi | null;
  /**
   * Development only, with the embedded API: a read-only token for the municipal records (scope consultations:read),
   * kept in data/municipal-read.token so it survives restarts; `npm start` prints the curl that uses it.
   */
  municipalReadToken: string | null;
  logger: Logger;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface MeldwijzerOverrides {
  logger?: Logger;
  /** Use this botbuilder Storage instead of the database (tests). */
  storage?: Storage;
  /** Start the outbox worker (default true). */
  outbox?: boolean;
  /** Outbox tuning (tests). */
  outboxOptions?: { baseDelayMs?: number; maxDelayMs?: number; pollMs?: number };
  features?: (app: Omit<Meldwijzer, 'bot' | 'server' | 'listen' | 'close' | 'features'>) => BotFeature[];
  access?: AccessPolicy;
  tabAuth?: TabAuthConfig;
  env?: NodeJS.ProcessEnv;
}

/** Development only: a stable random secret in data/, so pseudonyms stay the same across restarts. */
function devSecret(dbUrl: string, file: string): string {
  const dir = dbUrl.startsWith('sqlite:') && !dbUrl.includes(':memory:') ? path.dirname(dbUrl.slice('sqlite:'.length)) : 'data';
  const p = path.join(dir, file);
  if (existsSync(p)) return readFileSync(p, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const s = randomBytes(32).toString('hex');
  writeFileSync(p, s, { mode: 0o600 });
  return s;
}

export async function createMeldwijzer(config: BotConfig, overrides: MeldwijzerOverrides = {}): Promise<Meldwijzer> {
  const env = overrides.env ?? process.env;
  const logger = overrides.logger ?? createJsonLogger({ level: config.logLevel, base: { service: 'meldwijzer-bot' } });
  setLanguageMode(config.language);
  for (const warning of deprecationWarnings(config.deprecatedNames ?? [])) logger.warn('config.deprecated_name', { message: warning });
  usePolicyFile(config.policyPath);
  const policy = loadPolicy();
  const db = await openDb({ url: config.dbUrl });
  await migrate(db);
  const memory = config.dbUrl.includes(':memory:');
  const pseudonymSecret = config.pseudonymSecret || (memory ? randomBytes(32).toString('hex') : devSecret(config.dbUrl, 'pseudonym.secret'));
  const repo = createConsultationRepository(db, { pseudonymSecret });
  const refs = createConversationRefStore(db);

  // Municipal API: configured, or embedded (development only; config.ts enforces a URL in production).
  let municipalApi: RunningMunicipalApi | null = null;
  let apiUrl = config.municipalApiUrl;
  let apiToken = config.municipalApiToken;
  let municipalReadToken: string | null = null;
  if (!apiUrl) {
    apiToken = randomBytes(24).toString('base64url');
    municipalReadToken = memory ? randomBytes(24).toString('hex') : devSecret(config.dbUrl, 'municipal-read.token');
    municipalApi = await startMunicipalApi({
      port: config.municipalApiPort,
      host: '127.0.0.1',
      dbUrl: config.municipalDbUrl,
      tokens: [
        { name: 'embedded-bot', sha256: hashToken(apiToken), scopes: ['consultations:write'] },
        { name: 'local-read', sha256: hashToken(municipalReadToken), scopes: ['consultations:read'] },
      ],
      logger: createJsonLogger({ level: config.logLevel, base: { service: 'municipal-api' } }),
    });
    apiUrl = municipalApi.url;
  }
  const worker =
    overrides.outbox === false
      ? null
      : startOutboxWorker({
          db,
          client: createMunicipalClient({ baseUrl: apiUrl, token: apiToken }),
          logger,
          retentionMs: config.outboxRetentionMs,
          noteRetentionMs: config.noteRetentionMs,
          ...overrides.outboxOptions,
        });

  const storage = overrides.storage ?? (memory ? new MemoryStorage() : createBotStorage(db));
  const conversationState = new MeldwijzerConversationState(storage);
  const sink: ConsultationSink = {
    async save({ case: c, advice, requesterId, note, clientRef }) {
      const created = await repo.create({ case: c, advice, requesterId, note: note ?? null, clientRef: clientRef ?? null });
      worker?.wake();
      return { nummer: created.nummer };
    },
  };
  const adapter = createAdapter(config, logger);
  const partial = { config, policy, db, repo, refs, adapter, worker, municipalApi, municipalReadToken, logger };
  const access = overrides.access ?? loadAccessPolicy(config.accessPolicyPath);
  let overlegFeature: OverlegFeature | undefined;
  const defaultFeatures = (): BotFeature[] => {
    const overleg = createOverlegFeature(partial);
    overlegFeature = overleg;
    const list = createListFeature({
      repo,
      access,
      policy,
      act: (verb, nummer, actor, lang, handler) => overleg.service.act(verb, nummer, actor, lang, handler),
      allowDevIdentities: config.env !== 'production',
    });
    return [overleg, list];
  };
  const features = overrides.features?.(partial) ?? defaultFeatures();
  const bot = new MeldwijzerBot({ policy, conversationState, sink, refs, features, logger });

  const tabAuth = overrides.tabAuth ?? tabAuthConfigFromEnv(env);
  const server = createBotServer({
    adapter,
    bot,
    logger,
    status: async () => {
      if (!worker) return {};
      const st = await worker.stats();
      // Parked records need an operator (fix the cause, then retryFailed()): make them visible.
      return { outbox: { pending: st.pending, failed: st.failed, oldestPending: st.oldestPending } };
    },
    ready: async () => {
      await db.query('SELECT 1');
      return true;
    },
    register: (s) =>
      registerTabRoutes(s, {
        repo,
        access,
        auth: tabAuth,
        env,
        logger,
        policy,
        // A status change in the tab reaches the requester in the chat, through the notification outbox.
        onStatusChanged: async (before, after, actor) => {
          if (await notifyStatusChange(db, before, after, actor.name)) overlegFeature?.worker?.wake();
        },
      }),
  });

  let closed = false;
  return {
    ...partial,
    bot,
    server,
    async listen() {
      return urlOf(config.host, await listenOn(server, config.port, config.host));
    },
    async close() {
      if (closed) return;
      closed = true;
      await closeServer(server);
      if (worker) {
        await worker.flush().catch(() => undefined);
        await worker.stop();
      }
      await municipalApi?.close();
      await db.close();
    },
  };
}
