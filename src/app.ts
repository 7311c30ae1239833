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
import { createConsultationRepository, InvalidTransitionError } from './consultation/repository';
import { createMunicipalClient } from './records/municipalClient';
import { startOutboxWorker, type OutboxWorker } from './records/outbox';
import { createJsonLogger, type Logger } from './records/logger';
import { startMunicipalApi, hashToken, type RunningMunicipalApi } from './api';
import { createAdapter } from './bot/adapter';
import { setLanguageMode } from './texts';
import { MeldwijzerBot, type BotFeature } from './bot/bot';
import { createJwtVerifier, issuersFor } from './turn/jwt';
import { MeldwijzerCore } from './turn/core';
import type { ProactiveAdapter } from './overleg/teamsTransport';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MeldwijzerConversationState } from './bot/state';
import { createOverlegFeature, type OverlegFeature } from './overleg/feature';
import { notifyStatusChange } from './overleg/service';
import { createListFeature } from './coordinator/listFeature';
import { createLifecycleFeature } from './consultation/lifecycleFeature';
import { startNudgeScheduler, type NudgeScheduler } from './consultation/nudges';
import { createBotServer } from './bot/httpServer';
import { closeServer, listenOn, urlOf } from './serverLifecycle';
import { registerTabRoutes } from './tab/routes';
import { tabAuthConfigFromEnv, type TabAuthConfig } from './tab/auth';
import { loadAccessPolicy, type AccessPolicy } from './coordinator/access';
import type { ConsultationSink } from './consultation/dialog';
import type { ConsultationRepository, ConsultationLifecycle, ConsultationStats, ConversationRefStore } from './consultation/ports';

export interface Meldwijzer {
  config: BotConfig;
  policy: Policy;
  db: Db;
  repo: ConsultationRepository & ConsultationStats & ConsultationLifecycle;
  refs: ConversationRefStore;
  /** The host's proactive-send port (botbuilder CloudAdapter, or the Agents SDK's through src/agents/proactive.ts). */
  adapter: ProactiveAdapter;
  /** The neutral bot core both hosts run (route table + turn logic). */
  core: MeldwijzerCore;
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
  /** Follow-up nudges for consultations that have not moved (issue 13). */
  nudges: NudgeScheduler;
}

export interface MeldwijzerOverrides {
  logger?: Logger;
  /** Use this botbuilder Storage instead of the database (tests). */
  storage?: Storage;
  /** Start the outbox worker (default true). */
  outbox?: boolean;
  /** Outbox tuning (tests). */
  outboxOptions?: { baseDelayMs?: number; maxDelayMs?: number; pollMs?: number };
  features?: (app: Omit<Meldwijzer, 'core' | 'server' | 'listen' | 'close' | 'features' | 'nudges'>) => BotFeature[];
  /** OpenID metadata of the channel's signing keys for the shared JWT check (tests: a local one). */
  openIdMetadataUrl?: string;
  /** Agents host, tests only: replies without an Entra token request. */
  agentsOutboundWithoutToken?: boolean;
  access?: AccessPolicy;
  tabAuth?: TabAuthConfig;
  env?: NodeJS.ProcessEnv;
  /** Clock for the consultation store and the follow-up nudges (tests simulate days with it). */
  now?: () => Date;
  /** How often the follow-up nudges are looked for (ms, default one hour; 0 = only via nudges.runOnce()). */
  nudgeIntervalMs?: number;
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
  const repo = createConsultationRepository(db, { pseudonymSecret, ...(overrides.now ? { now: overrides.now } : {}) });
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
    async update({ nummer, version, case: c, advice, requesterId }) {
      const current = await repo.get(nummer);
      if (!current || current.requesterId !== requesterId || (current.status !== 'open' && current.status !== 'in-behandeling')) return null;
      const next = await repo.update(nummer, version, { case: c, advice }, { userId: requesterId }, 'verder').catch((err: unknown) => {
        if (err instanceof InvalidTransitionError) return null;
        throw err;
      });
      if (next) worker?.wake();
      return next ? { nummer: next.nummer } : null;
    },
  };
  const verifier = config.appId
    ? createJwtVerifier({ appId: config.appId, issuers: issuersFor(config.appType, config.tenantId), openIdMetadataUrl: overrides.openIdMetadataUrl, logger })
    : null;
  // One host per process (MELDWIJZER_HOST): botbuilder (default) or the Microsoft 365 Agents SDK.
  // The Agents SDK is loaded only when it hosts.
  const agents = config.sdkHost === 'agents' ? (require('./agents') as typeof import('./agents')) : null;
  const agentsAdapter = agents ? agents.createAgentsAdapter({ appId: config.appId, appPassword: config.appPassword, tenantId: config.tenantId }, overrides.agentsOutboundWithoutToken) : null;
  const bbAdapter = agentsAdapter ? null : createAdapter(config, logger, overrides.openIdMetadataUrl);
  const adapter: ProactiveAdapter = agents && agentsAdapter ? agents.agentsProactiveAdapter(agentsAdapter) : bbAdapter!;
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
    const lifecycle = createLifecycleFeature({ repo, policy, wake: () => worker?.wake(), ...(overrides.now ? { now: overrides.now } : {}) });
    return [lifecycle, overleg, list];
  };
  const features = overrides.features?.(partial) ?? defaultFeatures();
  let processActivity: (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<void>;
  let core: MeldwijzerCore;
  if (agents && agentsAdapter) {
    core = new MeldwijzerCore({ policy, sink, refs, features, logger });
    const host = agents.createAgentsHost({ adapter: agentsAdapter, core, storage, auth: { appId: config.appId, appPassword: config.appPassword, tenantId: config.tenantId }, verifier, logger });
    processActivity = (req, res, body) => host.process(req, res, body);
  } else {
    const bot = new MeldwijzerBot({ policy, conversationState, sink, refs, features, logger });
    core = bot.core;
    processActivity = (req, res, body) => {
      (req as unknown as { body: unknown }).body = body;
      return bbAdapter!.process(req as never, res as never, (context) => bot.run(context));
    };
  }

  const tabAuth = overrides.tabAuth ?? tabAuthConfigFromEnv(env);
  const server = createBotServer({
    process: processActivity,
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

  const nudges = startNudgeScheduler({
    db,
    repo,
    workingDays: policy.opvolging.werkdagen,
    ...(overrides.now ? { now: overrides.now } : {}),
    intervalMs: overrides.nudgeIntervalMs ?? 60 * 60 * 1000,
    wake: () => overlegFeature?.worker?.wake(),
    logger,
  });

  let closed = false;
  return {
    ...partial,
    core,
    server,
    nudges,
    async listen() {
      return urlOf(config.host, await listenOn(server, config.port, config.host));
    },
    async close() {
      if (closed) return;
      closed = true;
      nudges.stop();
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
