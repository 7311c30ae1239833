/**
 * The Teams side of a conversation, on loopback, without Teams:
 * - `startMockConnector()`: a Bot Framework connector stand-in. CloudAdapter (empty app id) sends the bot's replies
 *   to `{serviceUrl}/v3/conversations/{conv}/activities/{replyToId}`; this server accepts them, counts them and keeps
 *   them per conversation so a client can read the turn's replies once the turn's POST has been answered
 *   (CloudAdapter answers /api/messages only after the turn's replies were sent).
 * - `TeamsConversation`: a client that posts message activities (typed text and Adaptive Card submits, i.e. message
 *   activities whose `value` is the button's `data` merged with the card's inputs) to the bot's /api/messages.
 * - `runConsultation()`: walks the whole consultation dialog by reading each question card (its `mw` marker) and
 *   answering it; the variant number picks the path (acute, afwegingsvragen, employee route, …).
 * Used by the benchmark (bench/run.ts), the fault, fuzz and security suites and the overleg tests (proactive sends,
 * failures per conversation).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface ConnectorActivity {
  type?: string;
  text?: string;
  replyToId?: string;
  attachments?: Array<{ contentType?: string; content?: any }>;
  [key: string]: unknown;
}

export interface MockConnector {
  url: string;
  port: number;
  /** Reply POSTs accepted (2xx). */
  readonly received: number;
  /** Reply POSTs answered with a failure status (see failWith). */
  readonly failed: number;
  /** Removes and returns the replies kept for this conversation. */
  take(conversationId: string): ConnectorActivity[];
  /** The replies kept for this conversation (not removed). */
  peek(conversationId: string): ConnectorActivity[];
  /** Number of conversations with kept replies. */
  conversations(): number;
  /** Answer reply POSTs with this status instead of 200 (return null for normal handling). */
  failWith(fn: ((conversationId: string) => number | null) | null): void;
  /** Every request (with `record: true`): method, path, conversation (or channel, for a new conversation), body. */
  readonly requests: ConnectorRequest[];
  /** The recorded requests to this conversation (or channel id), failed ones included. */
  to(conversationId: string): ConnectorRequest[];
  /** The next `times` requests to this conversation (or channel id) answer `status` (403: BotDisabledByAdmin). */
  fail(conversationId: string, status: number, times?: number, headers?: Record<string, string>): void;
  /** Forgets recorded requests, kept replies and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

export interface ConnectorRequest {
  method: string;
  path: string;
  conversationId: string | null;
  body: any;
  at: number;
}

export interface MockConnectorOptions {
  /** Keep reply bodies per conversation (default true). With false only counts are kept. */
  keep?: boolean;
  /** Also keep the raw request bodies (strings) of every reply POST, for log/leak checks. Default false. */
  keepRaw?: boolean;
  /** Record every request in `requests` (parsed body). Default false. */
  record?: boolean;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?\/?(?:\?.*)?$/;

export async function startMockConnector(opts: MockConnectorOptions = {}): Promise<MockConnector & { raw: string[] }> {
  const keep = opts.keep ?? true;
  const byConversation = new Map<string, ConnectorActivity[]>();
  const raw: string[] = [];
  let received = 0;
  let failed = 0;
  let failure: ((conversationId: string) => number | null) | null = null;
  const queued = new Map<string, Array<{ status: number; headers?: Record<string, string> }>>();
  const requests: ConnectorRequest[] = [];
  let n = 0;

  const parse = (text: string): any => {
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      return text;
    }
  };
  const failNow = (res: http.ServerResponse, status: number, headers: Record<string, string> = {}) => {
    failed++;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { code: status === 403 ? 'BotDisabledByAdmin' : 'ServiceError', message: 'mock failure' } }));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const m = ROUTE.exec(url);
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'POST' && url.replace(/\?.*$/, '').replace(/\/$/, '') === '/v3/conversations') {
        // A proactive message to someone without a conversation yet (or to a channel): a new conversation.
        const body = parse(text);
        const channel: string | null = body?.channelData?.channel?.id ?? null;
        if (opts.record) requests.push({ method: 'POST', path: url, conversationId: channel, body, at: Date.now() });
        const planned = channel ? queued.get(channel)?.shift() : undefined;
        if (planned) return failNow(res, planned.status, planned.headers);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: channel ? `${channel};messageid=${++n}` : `conv-${randomUUID()}`, activityId: `m-${++n}` }));
        return;
      }
      if (!m || (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'DELETE')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"NotFound"}}');
        return;
      }
      let conversationId: string;
      try {
        conversationId = decodeURIComponent(m[1]!);
      } catch {
        conversationId = m[1]!;
      }
      if (opts.record) requests.push({ method: req.method ?? '', path: url, conversationId, body: parse(text), at: Date.now() });
      const planned = queued.get(conversationId)?.shift();
      if (planned) return failNow(res, planned.status, planned.headers);
      const status = failure?.(conversationId) ?? null;
      if (status !== null) return failNow(res, status);
      received++;
      if (opts.keepRaw) raw.push(text);
      if (keep && req.method !== 'DELETE') {
        let activity: ConnectorActivity;
        try {
          activity = JSON.parse(text) as ConnectorActivity;
        } catch {
          activity = { type: 'unparseable' };
        }
        const list = byConversation.get(conversationId);
        if (list) list.push(activity);
        else byConversation.set(conversationId, [activity]);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `m-${++n}` }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    raw,
    get received() {
      return received;
    },
    get failed() {
      return failed;
    },
    take(conversationId) {
      const list = byConversation.get(conversationId) ?? [];
      byConversation.delete(conversationId);
      return list;
    },
    peek(conversationId) {
      return byConversation.get(conversationId) ?? [];
    },
    conversations: () => byConversation.size,
    failWith(fn) {
      failure = fn;
    },
    requests,
    to: (conversationId) => requests.filter((r) => r.conversationId === conversationId),
    fail(conversationId, status, times = 1, headers) {
      const q = queued.get(conversationId) ?? [];
      for (let i = 0; i < times; i++) q.push({ status, headers });
      queued.set(conversationId, q);
    },
    reset() {
      requests.length = 0;
      queued.clear();
      byConversation.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP client

export interface HttpResult {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  /** Request sent → response body read, milliseconds. */
  ms: number;
}

export interface PostOptions {
  agent?: http.Agent;
  headers?: Record<string, string>;
  timeoutMs?: number;
  method?: string;
}

/** Sends a request with a string/JSON body; never rejects on HTTP status, rejects on network errors and timeouts. */
export function request(url: string, body: unknown, opts: PostOptions = {}): Promise<HttpResult> {
  const u = new URL(url);
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      {
        hostname: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? 'POST',
        agent: opts.agent,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`request timed out after ${opts.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Teams client

export interface TurnResult extends HttpResult {
  replies: ConnectorActivity[];
}

export interface TeamsConversationOptions {
  /** e.g. http://127.0.0.1:3978 (the client posts to /api/messages). */
  botUrl: string;
  connector: MockConnector;
  agent?: http.Agent;
  conversationId?: string;
  userId?: string;
  aadObjectId?: string;
  userName?: string;
  locale?: string;
  /** Extra headers on every POST (e.g. Authorization). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class TeamsConversation {
  readonly id: string;
  readonly userId: string;
  lastReplies: ConnectorActivity[] = [];

  constructor(readonly opts: TeamsConversationOptions) {
    this.id = opts.conversationId ?? `a:${randomUUID()}`;
    this.userId = opts.userId ?? `29:${randomUUID()}`;
  }

  /** A message activity as Teams would send it, with `partial` merged in. */
  activity(partial: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: 'message',
      id: `in-${randomUUID()}`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.opts.connector.url,
      channelId: 'msteams',
      from: { id: this.userId, name: this.opts.userName ?? 'Test Professional', ...(this.opts.aadObjectId ? { aadObjectId: this.opts.aadObjectId } : {}) },
      recipient: { id: '28:meldwijzer-bot', name: 'Meldwijzer' },
      conversation: { id: this.id, conversationType: 'personal', tenantId: 'tenant-test' },
      channelData: { tenant: { id: 'tenant-test' } },
      locale: this.opts.locale ?? 'nl-NL',
      ...partial,
    };
  }

  /** Posts an activity (raw: sent as is) and returns the HTTP answer plus the replies the bot sent in that turn. */
  async send(partial: Record<string, unknown>, raw = false): Promise<TurnResult> {
    const body = raw ? partial : this.activity(partial);
    const res = await request(`${this.opts.botUrl}/api/messages`, body, { agent: this.opts.agent, headers: this.opts.headers, timeoutMs: this.opts.timeoutMs });
    const replies = this.opts.connector.take(this.id);
    this.lastReplies = replies;
    return { ...res, replies };
  }

  say(text: string): Promise<TurnResult> {
    return this.send({ text });
  }

  /** Presses button `button` of the card: the button's data merged with the input values. */
  submit(card: AdaptiveCard | undefined, inputs: Record<string, unknown> = {}, button = 0): Promise<TurnResult> {
    if (!card) throw new Error('no card to submit');
    const data = (card.actions?.[button]?.data ?? {}) as Record<string, unknown>;
    return this.send({ value: { ...data, ...inputs } });
  }

  /** Presses the button whose data has this `answer` (ja / nee / weetniet). */
  answer(card: AdaptiveCard | undefined, answer: string): Promise<TurnResult> {
    const i = (card?.actions ?? []).findIndex((a) => (a.data as Record<string, unknown> | undefined)?.answer === answer);
    if (i < 0) throw new Error(`no button with answer "${answer}"`);
    return this.submit(card, {}, i);
  }
}

export interface AdaptiveCard {
  type?: string;
  body?: Array<Record<string, any>>;
  actions?: Array<{ type?: string; title?: string; data?: unknown }>;
  [key: string]: unknown;
}

export function cardsOf(replies: ConnectorActivity[]): AdaptiveCard[] {
  const out: AdaptiveCard[] = [];
  for (const r of replies) for (const a of r.attachments ?? []) if (a?.content && typeof a.content === 'object') out.push(a.content as AdaptiveCard);
  return out;
}

export function lastCard(replies: ConnectorActivity[]): AdaptiveCard | undefined {
  const cards = cardsOf(replies);
  return cards[cards.length - 1];
}

/** The question a card asks (`mw` of its first button: acuut, gemeente, …, afweging:<key>, advies, help). */
export function cardKind(card: AdaptiveCard | undefined): string | undefined {
  const data = card?.actions?.[0]?.data as Record<string, unknown> | undefined;
  return typeof data?.mw === 'string' ? data.mw : undefined;
}

export function textsOf(replies: ConnectorActivity[]): string {
  return replies.map((r) => r.text ?? '').join('\n');
}

function choices(card: AdaptiveCard, id: string): string[] {
  const input = (card.body ?? []).find((b) => b.id === id);
  return Array.isArray(input?.choices) ? (input!.choices as Array<{ value: string }>).map((c) => String(c.value)) : [];
}

export type ConsultationOutcome = 'advice' | 'acute' | 'stuck' | 'http-error';

export interface ConsultationRun {
  outcome: ConsultationOutcome;
  turns: TurnResult[];
  /** Consultation number shown on the advice card, when there is one. */
  nummer: string | null;
  /** Question kinds in the order they were asked. */
  path: string[];
}

/**
 * Answers one card of the consultation for `variant` (deterministic). Returns null when the card is not a question.
 * Variants: every 17th answers "acute danger: yes"; odd variants go through the afwegingsvragen (steps 1–3 done).
 */
export function answerFor(card: AdaptiveCard, variant: number): { kind: 'answer'; answer: string } | { kind: 'inputs'; inputs: Record<string, unknown> } | null {
  const kind = cardKind(card);
  const pick = <T>(xs: T[], salt = 0): T | undefined => (xs.length ? xs[(variant + salt) % xs.length] : undefined);
  switch (kind) {
    case 'acuut':
      return { kind: 'answer', answer: variant % 17 === 16 ? 'ja' : 'nee' };
    case 'gemeente':
      return { kind: 'inputs', inputs: { gemeente: pick(choices(card, 'gemeente')) ?? 'anders' } };
    case 'sector':
      return { kind: 'inputs', inputs: { sector: pick(choices(card, 'sector'), 1) ?? 'overig' } };
    case 'doelgroep': {
      const doelgroep = pick(choices(card, 'doelgroep'), 2) ?? 'kind';
      return { kind: 'inputs', inputs: doelgroep === 'kind' ? { doelgroep, leeftijdsgroep: pick(choices(card, 'leeftijdsgroep')) ?? '4-11' } : { doelgroep } };
    }
    case 'medewerker':
      return { kind: 'answer', answer: variant % 13 === 12 ? 'ja' : 'nee' };
    case 'signalen': {
      const s = choices(card, 'signalen');
      const chosen = [pick(s), pick(s, 3)].filter((x): x is string => !!x);
      return { kind: 'inputs', inputs: { signalen: [...new Set(chosen)].join(','), vormen: '', disclosure: 'false' } };
    }
    case 'stappen':
      return { kind: 'inputs', inputs: { stappen: variant % 2 === 1 ? '1,2,3' : '1' } };
    default:
      if (kind?.startsWith('afweging:')) {
        const seq = ['ja', 'nee', 'ja', 'ja', 'weetniet'];
        const idx = ['vermoeden', 'onveilig', 'zelfHulp', 'hulpAanvaard', 'resultaat'].indexOf(kind.slice('afweging:'.length));
        return { kind: 'answer', answer: (variant >> 1) % 3 === 0 && idx === 0 ? 'nee' : seq[Math.max(0, idx)]! };
      }
      return null;
  }
}

/** Runs a full consultation: "start", then answers every question card until the advice card (or acute advice). */
export async function runConsultation(conv: TeamsConversation, variant: number, opts: { maxTurns?: number; startText?: string } = {}): Promise<ConsultationRun> {
  const turns: TurnResult[] = [];
  const path: string[] = [];
  let r = await conv.say(opts.startText ?? 'start');
  turns.push(r);
  for (let i = 0; i < (opts.maxTurns ?? 20); i++) {
    if (r.status !== 200) return { outcome: 'http-error', turns, nummer: null, path };
    const card = lastCard(r.replies);
    const kind = cardKind(card);
    if (kind) path.push(kind);
    if (kind === 'advies') {
      const nummer = /MW-[0-9A-Z]{6}/.exec(JSON.stringify(card))?.[0] ?? null;
      return { outcome: 'advice', turns, nummer, path };
    }
    if (!card && /112/.test(textsOf(r.replies))) return { outcome: 'acute', turns, nummer: null, path };
    const a = card ? answerFor(card, variant) : null;
    if (!a) return { outcome: 'stuck', turns, nummer: null, path };
    r = a.kind === 'answer' ? await conv.answer(card, a.answer) : await conv.submit(card, a.inputs);
    turns.push(r);
  }
  return { outcome: 'stuck', turns, nummer: null, path };
}
