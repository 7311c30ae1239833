/**
 * Coordinator tab: static page + JSON API on the bot's restify server.
 *
 *   GET  /tab/ , /tab/*                 static page (src/tab/public), /tab/teams-js.js = @microsoft/teams-js UMD build
 *                                       (HEAD too); Permissions-Policy everywhere, HSTS in production
 *   GET  /api/tab/config                public: { devAuth, devUsers? } (dev users only when dev auth is on)
 *   POST /api/tab/dev-login             ONLY when dev auth is on (never in production), ONLY from loopback clients
 *   GET  /api/tab/me                    role and gemeenten of the caller
 *   GET  /api/tab/consultations         filters status, gemeente, doelgroep, urgentie; sort; cursor paging
 *   GET  /api/tab/consultations/:nummer the note only for the assignee (overleg) and the requester
 *   POST /api/tab/consultations/:nummer/status   { status, version } compare-and-set
 *   GET  /api/tab/stats                 aggregated figures (coordinators)
 *   GET  /api/tab/stats.csv             the same aggregated buckets as CSV
 *
 * Every API route except config/dev-login needs a bearer token (401), then the access policy decides (403/404).
 * Responses never carry Teams ids (requesterId/assigneeId). Errors are application/problem+json (RFC 9457).
 */
import { loadPolicy, type Policy } from '../meldcode/policy';
import { mayHandleConsultation } from '../overleg/routing';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import restify from 'restify';
import { accessPolicyPathFromEnv, isProduction } from '../config';
import { HANDLER_TRANSITIONS } from '../consultation/status';
import { NUMMER_PATTERN } from '../consultation/ports';
import { fail, HttpProblem, problem } from '../http/problem';
import { sendJson as sendJsonAnswer, sendProblem as sendProblemAnswer } from '../http/json';
import { ClientGone, readJsonBody } from '../http/body';
import { z } from 'zod';
import {
  canList,
  canView,
  canViewStats,
  devUsers,
  findEntry,
  loadAccessPolicy,
  resolveUser,
  visibleFilter,
  type AccessPolicy,
  type AccessUser,
} from '../coordinator/access';
import {
  CONSULTATION_STATUSES,
  UITKOMSTEN,
  URGENTIES,
  type ConsultationFilter,
  type ConsultationRepository,
  type ConsultationStats,
  type ConsultationStatus,
  type LocalConsultation,
} from '../consultation/ports';
import { DOELGROEPEN, GemeenteCode } from '../meldcode/types';
import { adviceTitle, isRouteActie } from '../meldcode/engine';
import { createTabAuthenticator, tabAuthConfigFromEnv, TabAuthError, type TabAuthConfig, type TabAuthenticator } from './auth';
import { aggregate, countsToCsv, halfjaarRange, monthAfter, monthStart } from './stats';

export interface TabLogger {
  info?(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
  error(msg: string, meta?: Record<string, unknown>): void;
}

export interface TabDeps {
  repo: ConsultationRepository & ConsultationStats;
  access: AccessPolicy;
  auth: TabAuthConfig;
  logger?: TabLogger;
  /** Defaults to process.env (through src/config.ts); only NODE_ENV matters (dev auth is refused in production). */
  env?: Record<string, string | undefined>;
  /** The meldcode policy (overleg routing for the pick-up rule); defaults to the policy file. */
  policy?: Policy;
  /**
   * Called after a status change was stored: queues the requester's message in the notification outbox (src/app.ts
   * wires src/overleg's notifyStatusChange), so a change in the tab reaches the requester in the chat like one on the card.
   */
  onStatusChanged?: (before: LocalConsultation, after: LocalConsultation, actor: { userId: string; name?: string }) => Promise<unknown>;
}

/** What the tab shows of a consultation: no Teams ids, no case details beyond these generalised fields. */
export interface TabConsultation {
  nummer: string;
  status: ConsultationStatus;
  gemeente: string | null;
  doelgroep: string | null;
  leeftijdsgroep: string | null;
  urgentie: string | null;
  stap: number;
  actie: string;
  /** True for a route outside the five steps (112, meldplicht medewerker, Veilig Thuis direct): show `titel`, not "Stap N". */
  route: boolean;
  /** The advice's title (Dutch): the route's own title, or "Stap N: …". */
  titel: string;
  createdAt: string;
  assigneeName: string | null;
  /** Optimistic-concurrency version to send back with a status change. */
  version: number;
  /** Stap 5 outcome once closed. */
  uitkomst: string | null;
  /** In lists: may the caller pick this up / close it (the one pick-up rule)? */
  mayChangeStatus?: boolean;
}

function titleOf(c: LocalConsultation): string {
  try {
    return adviceTitle(c.advice, loadPolicy(), 'nl');
  } catch {
    return isRouteActie(c.advice.actie) ? c.advice.actie : `Stap ${c.advice.stap}`;
  }
}

export function toTabConsultation(c: LocalConsultation): TabConsultation {
  return {
    nummer: c.nummer,
    status: c.status,
    gemeente: c.case.gemeente ?? null,
    doelgroep: c.case.doelgroep ?? null,
    leeftijdsgroep: c.case.leeftijdsgroep ?? null,
    urgentie: c.urgentie ?? null,
    stap: c.advice.stap,
    actie: c.advice.actie,
    route: isRouteActie(c.advice.actie),
    titel: titleOf(c),
    createdAt: c.createdAt,
    assigneeName: c.assigneeName ?? null,
    version: c.version,
    uitkomst: c.uitkomst ?? null,
  };
}

/**
 * Status changes the tab offers: Oppakken (open → in-behandeling) and Afronden (in-behandeling → afgerond), the
 * handler's steps from src/consultation/status.ts; `ingetrokken` belongs to the requester.
 */
export const TAB_TRANSITIONS = HANDLER_TRANSITIONS;

const SORT_FIELDS = ['createdAt', 'nummer', 'status', 'gemeente', 'doelgroep', 'urgentie', 'stap'] as const;
type SortField = (typeof SORT_FIELDS)[number];
const SORTS = SORT_FIELDS.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
/** Non-default sorts are done in memory over at most this many matching consultations. */
export const MAX_SORTED = 2000;
const PAGE_DEFAULT = 50;
/** The repository pages at most 100 rows. */
const PAGE_MAX = 100;

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(2000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).min(1).max(100));

const ListQuery = z
  .object({
    status: csv(z.enum(CONSULTATION_STATUSES)).optional(),
    gemeente: csv(GemeenteCode).optional(),
    doelgroep: z.enum(DOELGROEPEN).optional(),
    urgentie: z.enum(URGENTIES).optional(),
    sort: z.enum(SORTS).default('-createdAt'),
    cursor: z.string().max(1000).optional(),
    limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(PAGE_DEFAULT),
    lang: z.string().optional(),
  })
  .strict();

const Maand = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'maand als JJJJ-MM');
const StatsQuery = z
  .object({
    gemeente: csv(GemeenteCode).optional(),
    halfjaar: z.string().regex(/^\d{4}-H[12]$/, 'halfjaar als JJJJ-H1 of JJJJ-H2').optional(),
    from: Maand.optional(),
    to: Maand.optional(),
    lang: z.string().optional(),
  })
  .strict()
  .refine((q) => !(q.halfjaar && (q.from || q.to)), { message: 'gebruik halfjaar óf from/to' })
  .refine((q) => !(q.from && q.to && q.from > q.to), { message: 'from ligt na to' });

const StatusBody = z
  .object({
    status: z.enum(CONSULTATION_STATUSES),
    version: z.number().int().min(0),
    /** Stap 5 outcome when closing (afgerond); the tab always sends it, older clients may not. */
    uitkomst: z.enum(UITKOMSTEN).optional(),
  })
  .strict();

const DevLoginBody = z.object({ userId: z.string().min(1).max(100) }).strict();


/** The tab needs no device or sensor API: all off (also for frames). */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), bluetooth=(), serial=(), hid=(), display-capture=(), fullscreen=(self)';
/** Production only (behind TLS): browsers keep to HTTPS for a year. Not sent on plain-HTTP development. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string>): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    'Content-Length': String(buf.length),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': PERMISSIONS_POLICY,
    ...headers,
  });
  res.end(buf);
}

/** What every tab answer carries besides its own headers. */
const TAB_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': PERMISSIONS_POLICY,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonAnswer(res, status, body, TAB_HEADERS);
}

function sendProblem(res: ServerResponse, p: HttpProblem): void {
  const auth: Record<string, string> = p.problem.status === 401 ? { 'www-authenticate': 'Bearer realm="meldwijzer-tab"' } : {};
  sendProblemAnswer(res, p.problem, { ...TAB_HEADERS, ...auth, ...p.headers });
}

function queryOf(req: IncomingMessage): Record<string, string> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (k in out) fail('bad-request', { detail: `parameter ${k} komt meer dan eens voor` });
    out[k] = v;
  }
  return out;
}

function parseOr400<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    const errors = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    fail('bad-request', { detail: errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '), errors });
  }
  return r.data;
}

const BODY_LIMIT = 16 * 1024;

// ---------- sorting & cursors ----------

const URGENTIE_ORDER: Record<string, number> = { vandaag: 0, 'deze-week': 1, 'geen-haast': 2 };
const STATUS_ORDER: Record<string, number> = { open: 0, 'in-behandeling': 1, afgerond: 2, ingetrokken: 3 };

function sortKey(c: TabConsultation, f: SortField): string | number {
  switch (f) {
    case 'createdAt':
      return c.createdAt;
    case 'nummer':
      return c.nummer;
    case 'status':
      return STATUS_ORDER[c.status] ?? 9;
    case 'gemeente':
      return c.gemeente ?? '\uffff';
    case 'doelgroep':
      return c.doelgroep ?? '\uffff';
    case 'urgentie':
      return c.urgentie ? (URGENTIE_ORDER[c.urgentie] ?? 8) : 9;
    case 'stap':
      return c.stap;
  }
}

function compareBy(sort: string): (a: TabConsultation, b: TabConsultation) => number {
  const desc = sort.startsWith('-');
  const f = (desc ? sort.slice(1) : sort) as SortField;
  return (a, b) => {
    const ka = sortKey(a, f);
    const kb = sortKey(b, f);
    const d = ka < kb ? -1 : ka > kb ? 1 : 0;
    // Ties: newest first, then nummer, so paging is stable.
    return (desc ? -d : d) || (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0) || a.nummer.localeCompare(b.nummer);
  };
}

/** Our cursor wraps either the repository's cursor (default sort) or an offset into an in-memory sort. */
function encodeCursor(c: { r: string } | { o: number; s: string }): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

function decodeCursor(s: string | undefined): { r: string } | { o: number; s: string } | null {
  if (!s) return null;
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object') {
      if ('r' in v && typeof v.r === 'string') return { r: v.r };
      if ('o' in v && 's' in v && Number.isInteger(v.o) && (v.o as number) >= 0 && typeof v.s === 'string') return { o: v.o as number, s: v.s };
    }
  } catch {
    /* fall through */
  }
  fail('bad-request', { detail: 'ongeldige cursor' });
}

// ---------- static files ----------

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

/** Pages may be framed by Teams (web, desktop, mobile) and Microsoft 365 only. */
export const TAB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  // teams-js 2.x fetches its list of valid Teams origins from the Office CDN (it has a bundled fallback).
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  'frame-ancestors teams.microsoft.com *.teams.microsoft.com *.teams.microsoft.us *.skype.com *.office.com *.microsoft365.com *.cloud.microsoft',
].join('; ');

function findPublicDir(): string {
  const candidates = [
    path.join(__dirname, 'public'),
    // Running from dist/src/tab: the static files stay in the source tree.
    path.resolve(__dirname, '..', '..', '..', 'src', 'tab', 'public'),
    path.resolve(process.cwd(), 'src', 'tab', 'public'),
  ];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'index.html')));
  if (!dir) throw new Error(`tab: public/index.html niet gevonden (gezocht in ${candidates.join(', ')})`);
  return dir;
}

function teamsJsPath(): string {
  // package "main" is ./dist/umd/MicrosoftTeams.min.js
  const main = require.resolve('@microsoft/teams-js');
  const p = path.join(path.dirname(main), 'MicrosoftTeams.min.js');
  return fs.existsSync(p) ? p : main;
}

// ---------- routes ----------

type Req = restify.Request;
type Res = restify.Response;

let namen: Record<string, string> | null = null;
function gemeenteNamen(): Record<string, string> {
  if (!namen) {
    try {
      namen = Object.fromEntries(loadPolicy().gemeenten.map((g) => [g.code, g.naam]));
    } catch {
      namen = {};
    }
  }
  return namen;
}

export function registerTabRoutes(server: restify.Server, deps: TabDeps): void {
  const env = deps.env;
  const authn: TabAuthenticator = createTabAuthenticator(deps.auth, env); // throws when devAuth in production
  const { repo, access } = deps;
  const policy = deps.policy ?? loadPolicy();
  /** The one pick-up rule (src/overleg/routing.ts), the same as on the bot's card and the list card. */
  const mayHandleHere = (user: AccessUser, c: LocalConsultation) => mayHandleConsultation(user, c, policy);
  const log = deps.logger;
  const publicDir = findPublicDir();
  const teamsJs = teamsJsPath();

  async function authenticate(req: Req): Promise<AccessUser> {
    try {
      const identity = await authn.authenticate(req.headers.authorization);
      // Dev tokens are valid only for dev accounts still present in the policy.
      if (identity.source === 'dev' && !findEntry(access, identity)) throw new TabAuthError('onbekend ontwikkelaccount');
      const entry = findEntry(access, identity);
      const name = identity.name ?? entry?.label;
      return resolveUser(access, { ...identity, ...(name ? { name } : {}) });
    } catch (e) {
      if (e instanceof TabAuthError) {
        log?.info?.('tab: aanmelding geweigerd', { reason: e.message });
        fail('unauthorized', { detail: 'Meld u opnieuw aan.' });
      }
      throw e;
    }
  }

  /** Wraps an async handler: problem+json for every error, 500 without internals. */
  const production = isProduction(env);
  const handle =
    (fn: (req: Req, res: Res) => Promise<void>) =>
    async (req: Req, res: Res): Promise<void> => {
      if (production) res.setHeader('Strict-Transport-Security', HSTS);
      try {
        await fn(req, res);
      } catch (e) {
        if (e instanceof HttpProblem) return sendProblem(res, e);
        if (e instanceof ClientGone) return;
        // Errors the repository signals by name (src/consultation/repository.ts), mapped without importing it.
        const name = (e as Error)?.name;
        if (name === 'InvalidCursorError') return sendProblem(res, new HttpProblem(problem('bad-request', { detail: 'ongeldige cursor' })));
        if (name === 'InvalidTransitionError') {
          return sendProblem(res, new HttpProblem(problem('unprocessable', { detail: 'Deze statuswijziging is niet toegestaan.' })));
        }
        log?.error('tab: interne fout', { error: (e as Error)?.stack ?? String(e) });
        if (!res.headersSent) sendProblem(res, new HttpProblem(problem('internal', { detail: 'Er ging iets mis. Probeer het later opnieuw.' })));
      }
    };

  // ---- static ----
  const serveStatic = handle(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname.replace(/^\/tab\/?/, ''));
    } catch {
      fail('not-found', { detail: 'bestand niet gevonden' });
    }
    if (rel === '') rel = 'index.html';
    let file: string | null = null;
    if (rel === 'teams-js.js') file = teamsJs;
    else if (/^[a-z0-9][a-z0-9._-]*$/i.test(rel) && !rel.includes('..')) {
      const p = path.join(publicDir, rel);
      if (fs.existsSync(p) && fs.statSync(p).isFile()) file = p;
    }
    if (!file) fail('not-found', { detail: 'bestand niet gevonden' });
    const ext = path.extname(file).toLowerCase();
    const body = await fs.promises.readFile(file);
    send(res, 200, body, {
      'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': ext === '.html' ? 'no-cache' : 'public, max-age=300',
      'Content-Security-Policy': TAB_CSP,
    });
  });
  // Assets are referenced with absolute /tab/… URLs, so /tab and /tab/ can both serve the page (no redirect loop
  // when a server strips trailing slashes).
  server.get('/tab', serveStatic);
  server.get('/tab/*', serveStatic);
  // Link checkers and Teams' own probes ask with HEAD: same headers, no body (node drops it for HEAD).
  server.head('/tab', serveStatic);
  server.head('/tab/*', serveStatic);

  // ---- public config ----
  server.get(
    '/api/tab/config',
    handle(async (_req, res) => {
      sendJson(res, 200, {
        devAuth: authn.devAuth,
        ...(authn.devAuth ? { devUsers: devUsers(access) } : {}),
        sso: !!deps.auth.clientId,
      });
    }),
  );

  if (authn.devAuth) {
    log?.warn('tab: ONTWIKKEL-AANMELDING STAAT AAN (MEL_DEV_AUTH) — niet voor productie');
    server.post(
      '/api/tab/dev-login',
      handle(async (req, res) => {
        // Dev sign-in hands out tokens without a password: only to a browser on this machine. Anyone else gets the
        // same answer as when the route does not exist.
        if (!isLoopbackAddress(req.socket?.remoteAddress)) {
          log?.warn('tab: dev-login geweigerd (geen loopback)');
          req.resume();
          fail('not-found');
        }
        const body = parseOr400(DevLoginBody, await readJsonBody(req, res, BODY_LIMIT));
        const entry = findEntry(access, { id: body.userId, source: 'dev' });
        if (!entry) fail('forbidden', { detail: 'onbekend ontwikkelaccount' });
        const { token, expiresAt } = authn.issueDevToken(entry.id, entry.label);
        sendJson(res, 200, { token, expiresAt, devMode: true, user: { label: entry.label, role: entry.role } });
      }),
    );
  }

  server.get(
    '/api/tab/me',
    handle(async (req, res) => {
      const user = await authenticate(req);
      sendJson(res, 200, {
        name: user.name ?? null,
        role: user.role,
        ...(user.role === 'coordinator' ? { functie: user.functie, gemeenten: user.gemeenten } : { gemeenten: [] }),
        // Public reference data (CBS code → name) so the page shows "Heerde", not "GM0246".
        gemeenteNamen: gemeenteNamen(),
        devMode: user.source === 'dev',
      });
    }),
  );

  server.get(
    '/api/tab/consultations',
    handle(async (req, res) => {
      const user = await authenticate(req);
      const q = parseOr400(ListQuery, queryOf(req));
      if (!canList(user, { ...(q.gemeente ? { gemeenten: q.gemeente } : {}) })) {
        fail('forbidden', { detail: 'U heeft geen toegang tot de consultaties van deze gemeente.' });
      }
      const vis = visibleFilter(user);
      const base: ConsultationFilter = {
        ...vis,
        ...(q.gemeente ? { gemeenten: q.gemeente } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.doelgroep ? { doelgroep: q.doelgroep } : {}),
        ...(q.urgentie ? { urgentie: q.urgentie } : {}),
      };
      // A professional keeps the requester constraint whatever else they ask for.
      if (user.role === 'professional') base.requesterId = user.id;
      const cursor = decodeCursor(q.cursor);
      // Belt and braces: whatever the repository returns, show only what this user may see.
      const visible = (c: LocalConsultation) => canView(user, c) && (user.role === 'professional' ? c.requesterId === user.id : true);
      const withMay = (c: LocalConsultation): TabConsultation => ({ ...toTabConsultation(c), mayChangeStatus: mayHandleHere(user, c) });

      if (q.sort === '-createdAt') {
        if (cursor && !('r' in cursor)) fail('bad-request', { detail: 'cursor hoort bij een andere sortering' });
        const page = await repo.list({ ...base, limit: q.limit, cursor: cursor ? cursor.r : null });
        sendJson(res, 200, {
          items: page.items.filter(visible).map(withMay),
          nextCursor: page.nextCursor ? encodeCursor({ r: page.nextCursor }) : null,
          sort: q.sort,
        });
        return;
      }
      if (cursor && (!('o' in cursor) || cursor.s !== q.sort)) fail('bad-request', { detail: 'cursor hoort bij een andere sortering' });
      const all: TabConsultation[] = [];
      let repoCursor: string | null = null;
      let truncated = false;
      for (;;) {
        const page = await repo.list({ ...base, limit: PAGE_MAX, cursor: repoCursor });
        all.push(...page.items.filter(visible).map(withMay));
        if (all.length >= MAX_SORTED) {
          truncated = !!page.nextCursor || all.length > MAX_SORTED;
          all.length = Math.min(all.length, MAX_SORTED);
          break;
        }
        if (!page.nextCursor || page.items.length === 0) break;
        repoCursor = page.nextCursor;
      }
      all.sort(compareBy(q.sort));
      const offset = cursor && 'o' in cursor ? cursor.o : 0;
      const items = all.slice(offset, offset + q.limit);
      const next = offset + q.limit < all.length ? encodeCursor({ o: offset + q.limit, s: q.sort }) : null;
      sendJson(res, 200, { items, nextCursor: next, sort: q.sort, ...(truncated ? { truncated: true, max: MAX_SORTED } : {}) });
    }),
  );

  async function loadVisible(user: AccessUser, nummer: string | undefined): Promise<LocalConsultation> {
    if (!nummer || !NUMMER_PATTERN.test(nummer)) fail('not-found', { detail: 'consultatie niet gevonden' });
    const c = await repo.get(nummer);
    // Not visible = not found: the answer does not tell whether the nummer exists.
    if (!c || !canView(user, c)) fail('not-found', { detail: 'consultatie niet gevonden' });
    return c;
  }

  server.get(
    '/api/tab/consultations/:nummer',
    handle(async (req, res) => {
      const user = await authenticate(req);
      const c = await loadVisible(user, req.params?.nummer as string | undefined);
      const may = mayHandleHere(user, c);
      // The scrubbed note only for whoever the overleg reached (the aandachtsfunctionaris who picked it up) and its
      // author; never for other coordinators and never in the list.
      const mayReadNote = !!c.note && (user.id === c.assigneeId || user.id === c.requesterId);
      sendJson(res, 200, {
        item: toTabConsultation(c),
        ...(mayReadNote ? { note: c.note } : {}),
        canChangeStatus: may,
        transitions: may ? TAB_TRANSITIONS[c.status] : [],
      });
    }),
  );

  server.post(
    '/api/tab/consultations/:nummer/status',
    handle(async (req, res) => {
      const user = await authenticate(req);
      const body = parseOr400(StatusBody, await readJsonBody(req, res, BODY_LIMIT));
      const c = await loadVisible(user, req.params?.nummer as string | undefined);
      if (!mayHandleHere(user, c)) {
        fail('forbidden', { detail: 'Alleen de contactpersoon aan wie het verzoek is gericht (of de plaatsvervanger) kan dit wijzigen; zonder benoemde contactpersoon een coördinator van deze gemeente.' });
      }
      if (c.version !== body.version) {
        fail('conflict', { detail: 'Iemand anders heeft deze consultatie net gewijzigd.', current: toTabConsultation(c) });
      }
      if (c.status === body.status) return sendJson(res, 200, { item: toTabConsultation(c) });
      if (!TAB_TRANSITIONS[c.status].includes(body.status)) {
        fail('unprocessable', { detail: `Statuswijziging ${c.status} → ${body.status} is niet toegestaan.`, current: toTabConsultation(c) });
      }
      // Oppakken sets the assignee; Afronden keeps whoever picked it up (or records the closer when nobody did).
      const assignee = body.status === 'in-behandeling' || !c.assigneeId ? { assigneeId: user.id, assigneeName: user.name ?? null } : {};
      const updated = await repo.update(
        c.nummer,
        body.version,
        { status: body.status, ...assignee, ...(body.status === 'afgerond' && body.uitkomst ? { uitkomst: body.uitkomst } : {}) },
        { userId: user.id, ...(user.name ? { name: user.name } : {}) },
        `tab:status:${body.status}`,
      );
      if (!updated) {
        const now = await repo.get(c.nummer);
        fail('conflict', { detail: 'Iemand anders heeft deze consultatie net gewijzigd.', ...(now ? { current: toTabConsultation(now) } : {}) });
      }
      if (deps.onStatusChanged) {
        try {
          await deps.onStatusChanged(c, updated, { userId: user.id, ...(user.name ? { name: user.name } : {}) });
        } catch (e) {
          log?.error('tab: bericht aan de aanvrager kon niet in de wachtrij', { error: (e as Error)?.name });
        }
      }
      sendJson(res, 200, { item: toTabConsultation(updated) });
    }),
  );

  async function statsInput(req: Req) {
    const user = await authenticate(req);
    const q = parseOr400(StatsQuery, queryOf(req));
    if (user.role !== 'coordinator' || !canViewStats(user, q.gemeente)) {
      fail('forbidden', { detail: 'Monitoring is alleen voor coördinatoren van deze gemeente(n).' });
    }
    const range = q.halfjaar ? halfjaarRange(q.halfjaar) : { from: q.from ?? null, to: q.to ?? null };
    const gemeenten = q.gemeente ?? user.gemeenten;
    const counts = await repo.counts({
      gemeenten,
      ...(range.from ? { from: monthStart(range.from) } : {}),
      ...(range.to ? { to: monthAfter(range.to) } : {}),
    });
    // Only buckets of the allowed gemeenten, whatever the repository returned.
    const allowed = counts.filter((c) => c.gemeente !== null && gemeenten.includes(c.gemeente));
    const stapDuur = repo.stepDurations
      ? await repo.stepDurations({ gemeenten, ...(range.from ? { from: monthStart(range.from) } : {}), ...(range.to ? { to: monthAfter(range.to) } : {}) })
      : [];
    return { range, gemeenten, counts: allowed, stapDuur };
  }

  server.get(
    '/api/tab/stats',
    handle(async (req, res) => {
      const { range, gemeenten, counts, stapDuur } = await statsInput(req);
      sendJson(res, 200, aggregate(counts, { from: range.from, to: range.to, gemeenten, stapDuur }));
    }),
  );

  server.get(
    '/api/tab/stats.csv',
    handle(async (req, res) => {
      const { range, counts } = await statsInput(req);
      const name = `meldwijzer-monitoring${range.from ? `-${range.from}` : ''}${range.to ? `-tot-en-met-${range.to}` : ''}.csv`;
      send(res, 200, countsToCsv(counts, range.from, range.to), {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
      });
    }),
  );
}

/**
 * One-line wiring for the bot server: loads policy/access.json (or $MEL_ACCESS_POLICY) and the auth settings from
 * the environment (see tabAuthConfigFromEnv), and returns a registrar, e.g.
 * `createBotServer({ …, register: tabRoutesFromEnv(repo, process.env, logger) })`.
 * Throws at startup when the policy is invalid or dev auth is requested in production.
 */
export function tabRoutesFromEnv(
  repo: ConsultationRepository & ConsultationStats,
  env: Record<string, string | undefined> = process.env,
  logger?: TabLogger,
): (server: restify.Server) => void {
  const access = loadAccessPolicy(accessPolicyPathFromEnv(env));
  const auth = tabAuthConfigFromEnv(env);
  return (server) => registerTabRoutes(server, { repo, access, auth, env, ...(logger ? { logger } : {}) });
}

/** A restify server with only the tab routes (tests, or a separate tab process). */
export function createTabServer(deps: TabDeps): restify.Server {
  const server = restify.createServer({ name: 'meldwijzer-tab' });
  registerTabRoutes(server, deps);
  return server;
}
