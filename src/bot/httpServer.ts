/**
 * The bot's HTTP server (restify): POST /api/messages, GET /healthz, GET /readyz. Inbound activities
 * are read with a size limit and checked with zod before the adapter sees them, so a malformed request
 * gets a clear 400/413 JSON answer instead of a stack trace. Request logs carry method, route template, status
 * and duration only, never paths or bodies.
 */
import restify from 'restify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../records/logger';
import { closeAfterAnswer } from '../serverLifecycle';
import { readBody } from '../http/body';
import { sendJson } from '../http/json';
import { isCleanText } from '../privacy/clean';
import { cleanStrings } from '../store/clean';

export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** Identifiers are stored and compared as they are: one with control, NUL, bidi or lone-surrogate characters is refused. */
const Id = (min: number, max: number) => z.string().min(min).max(max).refine(isCleanText, 'ongeldige tekens');

const InboundActivity = z
  .object({
    type: Id(1, 64),
    id: Id(0, 512).optional(),
    serviceUrl: z.string().url().max(2048),
    channelId: Id(1, 128),
    conversation: z.object({ id: Id(1, 1024) }).passthrough(),
    from: z.object({ id: Id(1, 1024) }).passthrough().optional(),
    recipient: z.object({ id: Id(0, 1024) }).passthrough().optional(),
    text: z.string().max(100_000).optional().nullable(),
    // Shapes botbuilder relies on without checking (a wrong type would fail the turn instead of the request).
    locale: z.string().max(64).optional().nullable(),
    entities: z.array(z.object({ type: z.string().max(128) }).passthrough()).max(64).optional().nullable(),
    attachments: z.array(z.object({ contentType: z.string().max(256) }).passthrough()).max(32).optional().nullable(),
    membersAdded: z.array(z.object({ id: z.string().max(1024) }).passthrough()).max(256).optional().nullable(),
    membersRemoved: z.array(z.object({ id: z.string().max(1024) }).passthrough()).max(256).optional().nullable(),
    channelData: z.object({}).passthrough().optional().nullable(),
  })
  .passthrough();

export interface BotServerDeps {
  /** The host's turn processing (botbuilder or Agents SDK): `body` is the checked, cleaned activity. */
  process(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
  logger: Logger;
  /** Readiness check (database reachable, policy loaded). */
  ready?: () => Promise<boolean>;
  /** Counts for operators on /readyz (e.g. outbox backlog and parked records); never case data. */
  status?: () => Promise<Record<string, unknown>>;
  /** Extra routes, e.g. the coordinator tab. */
  register?: (server: restify.Server) => void;
}

export function createBotServer(deps: BotServerDeps): restify.Server {
  const { logger } = deps;
  const server = restify.createServer({ name: 'meldwijzer', handleUncaughtExceptions: false });
  server.on('after', (req: restify.Request, res: restify.Response) => {
    // The route template (`/api/tab/consultations/:nummer`), never the path: a path can hold a consultation number or
    // anything a client typed. Unmatched requests (404) log no path at all.
    const route = (req.getRoute?.()?.path as string | undefined) ?? null;
    logger.info('http', { method: req.method, route: typeof route === 'string' ? route : null, status: res.statusCode, ms: Date.now() - (req.time?.() ?? Date.now()) });
  });

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    const read = await readBody(req, MAX_ACTIVITY_BYTES).catch(() => ({ kind: 'aborted' as const }));
    if (read.kind === 'too-large') {
      // A client problem, not ours: warn, answer 413 and close the connection cleanly (no reset, no error line).
      logger.warn('http.body_too_large', { route: '/api/messages', limit: MAX_ACTIVITY_BYTES });
      closeAfterAnswer(req, res);
      return sendJson(res, 413, { error: 'activity_too_large', message: 'De activity is groter dan 256 kB.' });
    }
    if (read.kind !== 'ok') return sendJson(res, 400, { error: 'unreadable_body', message: 'De request body kon niet worden gelezen.' });
    const raw = read.text;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendJson(res, 400, { error: 'invalid_json', message: 'De request body is geen geldige JSON.' });
    }
    const parsed = InboundActivity.safeParse(body);
    if (!parsed.success) {
      return sendJson(res, 400, {
        error: 'invalid_activity',
        message: 'Dit is geen geldige Bot Framework activity.',
        fields: parsed.error.issues.slice(0, 10).map((i) => i.path.join('.') || '(root)'),
      });
    }
    // What users type or submit (text, card values, names) loses control, NUL, bidi and lone-surrogate characters
    // before the bot sees it, so none of it reaches state, notes or cards.
    const clean = cleanStrings(parsed.data);
    try {
      await deps.process(req, res, clean);
    } catch (err) {
      logger.error('messages.process_failed', { error: (err as Error).name });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'Er ging iets mis bij het verwerken van de activity.' });
    }
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => sendJson(res, 200, { status: 'ok' }));
  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    let ok = true;
    try {
      ok = deps.ready ? await deps.ready() : true;
    } catch {
      ok = false;
    }
    let details: Record<string, unknown> = {};
    if (ok && deps.status) {
      try {
        details = await deps.status();
      } catch {
        details = {};
      }
    }
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not-ready', ...details });
  });
  deps.register?.(server);
  return server;
}
