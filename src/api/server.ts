/**
 * The municipal API (restify 11). A separate service: it only knows the shared record schema and the Db port.
 * Records are structured only: free text is refused (422). No botbuilder.
 */
import { closeServer, listenOn, urlOf } from '../serverLifecycle';
import type { IncomingMessage, ServerResponse } from 'node:http';
import restify from 'restify';
import { CONSULTATION_STATUSES, type ConsultationStatus } from '../consultation/ports';
import { DOELGROEPEN, GemeenteCode } from '../meldcode/types';
import { createJsonLogger, silentLogger, type Logger } from '../records/logger';
import { MunicipalRecord, StatusPatch } from '../records/schema';
import { openDb, runMigrations } from '../store';
import type { Db } from '../store/db';
import { createAuthenticator, parseTokens, type ApiToken, type Principal, type Scope } from './auth';
import { openApiDocument } from './openapi';
import { fail, HttpProblem, problem, zodInvalidParams, type InvalidParam, type ProblemKind } from '../http/problem';
import { sendJson, sendProblem } from '../http/json';
import { ClientGone, readJsonBody } from '../http/body';
import { createMunicipalStore, MUNICIPAL_MIGRATIONS, type ListQuery } from './store';

export interface MunicipalApiOptions {
  db: Db;
  /** `MUNICIPAL_API_TOKENS` syntax or parsed tokens. */
  tokens: string | ApiToken[];
  logger?: Logger;
  /** Largest accepted body. Default 64 KiB. */
  maxBodyBytes?: number;
}

const PREFIX = '/api/v1';
const DEFAULT_MAX_BODY = 64 * 1024;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Req = restify.Request & IncomingMessage;
type Res = restify.Response & ServerResponse;
type Handler = (req: Req, res: Res, principal: Principal | null) => Promise<void>;

/** The routes, also used by the OpenAPI test. */
export const ROUTES: ReadonlyArray<{ method: 'get' | 'post' | 'patch'; path: string }> = [
  { method: 'post', path: `${PREFIX}/consultations` },
  { method: 'get', path: `${PREFIX}/consultations` },
  { method: 'get', path: `${PREFIX}/consultations/stats` },
  { method: 'get', path: `${PREFIX}/consultations/:id` },
  { method: 'patch', path: `${PREFIX}/consultations/:id` },
  { method: 'get', path: `${PREFIX}/openapi.json` },
  { method: 'get', path: `${PREFIX}/healthz` },
  { method: 'get', path: '/healthz' },
];

export function createMunicipalApi(opts: MunicipalApiOptions): restify.Server {
  const logger = opts.logger ?? silentLogger;
  const tokens = typeof opts.tokens === 'string' ? parseTokens(opts.tokens) : opts.tokens;
  const authenticate = createAuthenticator(tokens);
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const store = createMunicipalStore(opts.db);
  // Migrations are idempotent; requests wait for them.
  const ready = runMigrations(opts.db, MUNICIPAL_MIGRATIONS);
  ready.catch((err: unknown) => logger.error('municipal API migrations failed', { error: (err as Error)?.message }));

  const server = restify.createServer({
    name: 'meldwijzer-municipal-api',
    log: (restify as unknown as { logger: (o: { level: string }) => unknown }).logger({ level: 'silent' }) as never,
    ignoreTrailingSlash: true,
    handleUncaughtExceptions: false,
  } as restify.ServerOptions);

  server.pre((req: Req, res: Res, next: restify.Next) => {
    (req as unknown as { _startAt: number })._startAt = Date.now();
    res.setHeader('x-content-type-options', 'nosniff');
    return next();
  });

  server.on('after', (req: Req, res: Res) => {
    const started = (req as unknown as { _startAt?: number })._startAt ?? Date.now();
    // Never bodies, never query strings (filters are not personal, but keep the line minimal).
    logger.info('request', {
      method: req.method,
      route: (req.getRoute?.()?.path as string | undefined) ?? null,
      status: res.statusCode,
      ms: Date.now() - started,
      client: (req as unknown as { principal?: Principal }).principal?.name ?? null,
    });
  });

  server.on('restifyError', (req: Req, res: Res, err: Error & { statusCode?: number }, cb: () => void) => {
    if (!res.headersSent) {
      const status = err.statusCode ?? 500;
      const kind: ProblemKind =
        status === 404 ? 'not-found' : status === 405 ? 'method-not-allowed' : status === 406 ? 'not-acceptable' : status === 413 ? 'payload-too-large' : status >= 500 ? 'internal' : 'bad-request';
      if (status >= 500) logger.error('unhandled error', { route: req.getRoute?.()?.path ?? null, error: err.name });
      sendProblem(res, problem(kind, { status, instance: safePath(req) }));
    }
    return cb();
  });

  const route = (method: 'get' | 'post' | 'patch', path: string, scope: Scope | null, fn: Handler) => {
    const handler = async (req: Req, res: Res) => {
      try {
        await ready;
        let principal: Principal | null = null;
        if (scope) {
          principal = authenticate(req.headers.authorization);
          if (!principal) {
            fail('unauthorized', { detail: 'Stuur een geldig bearer token mee.' }, { 'www-authenticate': 'Bearer realm="meldwijzer", error="invalid_token"' });
          }
          (req as unknown as { principal?: Principal }).principal = principal!;
          if (!principal!.scopes.includes(scope)) {
            fail(
              'forbidden',
              { detail: `Dit token mist de scope ${scope}.` },
              { 'www-authenticate': `Bearer realm="meldwijzer", error="insufficient_scope", scope="${scope}"` },
            );
          }
        }
        await fn(req, res, principal);
      } catch (err) {
        if (err instanceof HttpProblem) {
          if (err.problem.status === 413) logger.warn('request body too large', { route: path, limit: maxBody });
          sendProblem(res, { ...err.problem, instance: err.problem.instance ?? safePath(req) }, err.headers);
        } else if (err instanceof ClientGone) {
          logger.warn('request aborted by the client', { route: path });
        } else {
          logger.error('request failed', { route: path, error: (err as Error)?.name ?? 'Error', message: (err as Error)?.message?.slice(0, 200) });
          sendProblem(res, problem('internal', { instance: safePath(req) }));
        }
        // The body may not have been read (e.g. 401 before reading): drain it so the connection stays sane.
        if (!req.complete) req.resume();
      }
    };
    server[method === 'patch' ? 'patch' : method](path, handler);
  };

  // POST /consultations
  route('post', `${PREFIX}/consultations`, 'consultations:write', async (req, res, principal) => {
    const key = idempotencyKey(req, true)!;
    const body = await readJsonBody(req, res, maxBody);
    refuseFreeText(body);
    const parsed = MunicipalRecord.safeParse(body);
    if (!parsed.success) fail('validation', { invalidParams: zodInvalidParams(parsed.error) });
    const record = parsed.data!;
    const result = await store.create(principal!.name, key, record);
    switch (result.kind) {
      case 'created':
        sendJson(res, 201, result.record, { location: `${PREFIX}/consultations/${record.recordId}` });
        return;
      case 'replayed':
        sendJson(res, 200, result.body, { location: `${PREFIX}/consultations/${record.recordId}`, 'idempotent-replayed': 'true' });
        return;
      case 'key-reused':
        fail('idempotency-key-reused', { detail: 'Gebruik een nieuwe Idempotency-Key voor een ander verzoek.' });
        return;
      case 'record-conflict':
        fail('record-conflict', { detail: 'Dit recordId is al gebruikt voor een record met andere inhoud.' });
    }
  });

  // GET /consultations
  route('get', `${PREFIX}/consultations`, 'consultations:read', async (req, res) => {
    const q = parseQuery(req, ['status', 'gemeente', 'doelgroep', 'from', 'to', 'limit', 'cursor']);
    const filters = parseFilters(q);
    const invalid: InvalidParam[] = [...filters.invalid];
    let limit = 20;
    if (q.limit !== undefined) {
      limit = Number(q.limit);
      if (!/^\d+$/.test(q.limit) || limit < 1 || limit > 100) invalid.push({ name: 'limit', code: 'out_of_range', reason: 'limit moet een geheel getal van 1 tot en met 100 zijn' });
    }
    let beforeSeq: number | undefined;
    if (q.cursor !== undefined) {
      beforeSeq = decodeCursor(q.cursor);
      if (beforeSeq === undefined) invalid.push({ name: 'cursor', code: 'invalid', reason: 'Ongeldige cursor' });
    }
    if (invalid.length) fail('validation', { invalidParams: invalid });
    const page = await store.list({ ...filters.query, limit, beforeSeq });
    sendJson(res, 200, { items: page.items, next: page.more && page.lastSeq !== null ? encodeCursor(page.lastSeq) : null });
  });

  // GET /consultations/stats
  route('get', `${PREFIX}/consultations/stats`, 'consultations:read', async (req, res) => {
    const q = parseQuery(req, ['status', 'gemeente', 'doelgroep', 'from', 'to']);
    const filters = parseFilters(q);
    if (filters.invalid.length) fail('validation', { invalidParams: filters.invalid });
    const items = await store.stats(filters.query);
    sendJson(res, 200, { totaal: items.reduce((n, r) => n + r.aantal, 0), items });
  });

  // GET /consultations/{id}
  route('get', `${PREFIX}/consultations/:id`, 'consultations:read', async (req, res) => {
    const id = String(req.params?.id ?? '');
    if (!UUID.test(id)) fail('not-found');
    const record = await store.get(id.toLowerCase());
    if (!record) fail('not-found');
    sendJson(res, 200, record);
  });

  // PATCH /consultations/{id}
  route('patch', `${PREFIX}/consultations/:id`, 'consultations:write', async (req, res) => {
    idempotencyKey(req, false);
    const id = String(req.params?.id ?? '');
    const body = await readJsonBody(req, res, maxBody);
    const parsed = StatusPatch.safeParse(body);
    if (!parsed.success) fail('validation', { invalidParams: zodInvalidParams(parsed.error) });
    if (!UUID.test(id)) fail('not-found');
    const { status, ...overleg } = parsed.data!;
    const result = await store.setStatus(id.toLowerCase(), status, overleg);
    if (result.kind === 'not-found') fail('not-found');
    if (result.kind === 'invalid-transition') {
      fail('invalid-transition', {
        detail: `Van ${result.from} naar ${result.to} mag niet.`,
        currentStatus: result.from,
        requestedStatus: result.to,
      });
    }
    if (result.kind === 'updated' || result.kind === 'unchanged') sendJson(res, 200, result.record);
  });

  route('get', `${PREFIX}/openapi.json`, null, async (req, res) => {
    sendJson(res, 200, openApiDocument());
  });

  const health = async (_req: Req, res: Res) => {
    try {
      await store.ping();
      sendJson(res, 200, { status: 'ok' });
    } catch {
      fail('service-unavailable', { detail: 'De database is niet bereikbaar.' });
    }
  };
  route('get', `${PREFIX}/healthz`, null, health);
  route('get', '/healthz', null, health);

  return server;
}

function safePath(req: Req): string {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return (q >= 0 ? url.slice(0, q) : url).slice(0, 200);
}

function idempotencyKey(req: Req, required: boolean): string | undefined {
  const raw = req.headers['idempotency-key'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') {
    if (required) fail('validation', { invalidParams: [{ name: 'Idempotency-Key', code: 'required', reason: 'De header Idempotency-Key is verplicht' }] });
    return undefined;
  }
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) {
    fail('validation', { invalidParams: [{ name: 'Idempotency-Key', code: 'invalid', reason: '1 tot 200 zichtbare ASCII-tekens' }] });
  }
  return value;
}

/**
 * The record carries no free text at all (data minimisation). A field the schema does not know that holds text
 * (e.g. the former `notitie`, or anything a newer or misbehaving client adds) is refused with 422, without echoing
 * the text. Unknown non-text fields are left to the schema (400).
 */
function refuseFreeText(body: unknown): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  const known = new Set(Object.keys(MunicipalRecord.shape));
  const invalidParams: InvalidParam[] = [];
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (known.has(name) || !containsText(value)) continue;
    invalidParams.push({
      name: /^[A-Za-z][A-Za-z0-9_-]{0,40}$/.test(name) ? name : '(onbekend veld)',
      code: 'free_text',
      reason: 'Vrije tekst hoort niet in het record; de notitie blijft bij de consultatie in de bot',
    });
  }
  if (invalidParams.length) {
    fail('free-text', { detail: 'Het record bevat alleen gestructureerde velden. Laat vrije tekst weg en probeer het opnieuw.', invalidParams: invalidParams.slice(0, 20) });
  }
}

function containsText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (depth > 8 || !value || typeof value !== 'object') return false;
  return Object.values(value as Record<string, unknown>).some((v) => containsText(v, depth + 1));
}

function parseQuery(req: Req, allowed: string[]): Record<string, string | undefined> {
  const url = new URL(req.url ?? '/', 'http://x');
  const out: Record<string, string | undefined> = {};
  const invalid: InvalidParam[] = [];
  for (const [k, v] of url.searchParams) {
    if (!allowed.includes(k)) {
      invalid.push({ name: /^[A-Za-z][A-Za-z0-9_-]{0,40}$/.test(k) ? k : '(onbekend)', code: 'unknown_parameter', reason: `Toegestaan: ${allowed.join(', ')}` });
      continue;
    }
    out[k] = out[k] === undefined ? v : `${out[k]},${v}`;
  }
  if (invalid.length) fail('validation', { invalidParams: invalid });
  return out;
}

function parseFilters(q: Record<string, string | undefined>): { query: Omit<ListQuery, 'limit'>; invalid: InvalidParam[] } {
  const invalid: InvalidParam[] = [];
  const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));
  const status = list(q.status);
  if (status?.some((s) => !(CONSULTATION_STATUSES as readonly string[]).includes(s))) {
    invalid.push({ name: 'status', code: 'invalid_value', reason: `Eén of meer van ${CONSULTATION_STATUSES.join(', ')}` });
  }
  const gemeente = list(q.gemeente);
  if (gemeente?.some((g) => !GemeenteCode.safeParse(g).success)) invalid.push({ name: 'gemeente', code: 'invalid_format', reason: 'CBS-code, bijvoorbeeld GM0246' });
  const doelgroep = list(q.doelgroep);
  if (doelgroep?.some((d) => !(DOELGROEPEN as readonly string[]).includes(d))) {
    invalid.push({ name: 'doelgroep', code: 'invalid_value', reason: `Eén of meer van ${DOELGROEPEN.join(', ')}` });
  }
  for (const k of ['from', 'to'] as const) {
    if (q[k] !== undefined && !MONTH.test(q[k]!)) invalid.push({ name: k, code: 'invalid_format', reason: 'Maand als JJJJ-MM' });
  }
  return {
    query: { status: status as ConsultationStatus[] | undefined, gemeente, doelgroep, from: q.from, to: q.to },
    invalid,
  };
}

function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ s: seq }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown };
    return typeof v.s === 'number' && Number.isSafeInteger(v.s) && v.s > 0 ? v.s : undefined;
  } catch {
    return undefined;
  }
}

export interface StartMunicipalApiOptions {
  /** 0 = a free port. Default 3980. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Used when no `db` is given. Default `sqlite:data/municipal.db`. */
  dbUrl?: string;
  /** An already opened Db (not closed by close()). */
  db?: Db;
  tokens: string | ApiToken[];
  logger?: Logger;
  maxBodyBytes?: number;
}

export interface RunningMunicipalApi {
  /** e.g. `http://127.0.0.1:3980` (the API is under `/api/v1`). */
  url: string;
  port: number;
  server: restify.Server;
  db: Db;
  close(): Promise<void>;
}

export const DEFAULT_MUNICIPAL_PORT = 3980;
export const DEFAULT_MUNICIPAL_DB_URL = 'sqlite:data/municipal.db';

export async function startMunicipalApi(opts: StartMunicipalApiOptions): Promise<RunningMunicipalApi> {
  const logger = opts.logger ?? createJsonLogger({ base: { service: 'municipal-api' } });
  const ownDb = !opts.db;
  const db = opts.db ?? (await openDb({ url: opts.dbUrl ?? DEFAULT_MUNICIPAL_DB_URL }));
  try {
    await runMigrations(db, MUNICIPAL_MIGRATIONS);
    const server = createMunicipalApi({ db, tokens: opts.tokens, logger, maxBodyBytes: opts.maxBodyBytes });
    const host = opts.host ?? '127.0.0.1';
    const port = await listenOn(server, opts.port ?? DEFAULT_MUNICIPAL_PORT, host);
    const url = urlOf(host, port);
    let closed = false;
    return {
      url,
      port,
      server,
      db,
      async close() {
        if (closed) return;
        closed = true;
        await closeServer(server);
        if (ownDb) await db.close();
      },
    };
  } catch (err) {
    if (ownDb) await db.close().catch(() => undefined);
    throw err;
  }
}
