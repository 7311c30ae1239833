/**
 * The port through which overleg notifications leave the bot, and the sending policy that does not depend on
 * botbuilder: how a failure is classified (Teams: 403 = the user blocked or removed the bot, 404 = conversation
 * gone; 429 / 412 / 502 / 504 = try again later). Retrying is the notification outbox's job (one try per send here;
 * the connector client retries throttling itself). The botbuilder implementation is teamsTransport.ts.
 */
import type { Language } from '../meldcode/types';

export type CardJson = Record<string, unknown>;

/** A message to send: text and/or one Adaptive Card. */
export interface OutgoingMessage {
  text?: string;
  card?: CardJson;
}

export type Delivery =
  | { ok: true; activityId?: string; conversationId?: string }
  | {
      ok: false;
      /** gone: this recipient cannot be reached (no reference, 403, 404); transient: try later; failed: permanent error. */
      kind: 'gone' | 'transient' | 'failed';
      httpStatus?: number;
      retryAfterMs?: number;
      reason: string;
    };

export interface NotificationTransport {
  /** Sends to a user's 1:1 conversation (from the stored conversation reference), rendered in their language. */
  sendToUser(userId: string, build: (lang: Language) => OutgoingMessage): Promise<Delivery>;
  /** Starts a new post in a Teams channel. `via` are users whose stored reference tells the service URL and tenant. */
  postToChannel(channelId: string, build: (lang: Language) => OutgoingMessage, via: string[]): Promise<Delivery>;
}

/** HTTP statuses worth retrying (Teams throttling and gateway errors, plus the usual transient ones). */
export const TRANSIENT_STATUSES = new Set([408, 412, 429, 500, 502, 503, 504]);
/** The recipient cannot be reached this way: fall back to the next one. */
export const GONE_STATUSES = new Set([403, 404]);

/** Classifies a thrown send error (RestError-like: `statusCode`, `response.headers`) into a Delivery. */
export function classifyError(err: unknown, nowMs: number = Date.now()): Extract<Delivery, { ok: false }> {
  const e = (err ?? {}) as { statusCode?: unknown; status?: unknown; code?: unknown; name?: unknown; response?: { headers?: unknown; status?: unknown } };
  const raw = e.statusCode ?? e.status ?? e.response?.status;
  const status = typeof raw === 'number' ? raw : undefined;
  const retryAfterMs = parseRetryAfter(headerOf(e.response?.headers, 'retry-after'), nowMs);
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
  if (status === undefined) return { ok: false, kind: 'transient', reason: `network: ${code}`.slice(0, 200) };
  if (GONE_STATUSES.has(status)) return { ok: false, kind: 'gone', httpStatus: status, reason: `http ${status} ${code}`.slice(0, 200) };
  if (TRANSIENT_STATUSES.has(status)) return { ok: false, kind: 'transient', httpStatus: status, retryAfterMs, reason: `http ${status}` };
  return { ok: false, kind: 'failed', httpStatus: status, reason: `http ${status} ${code}`.slice(0, 200) };
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const v = typeof h.get === 'function' ? h.get(name) : (h[name] ?? h[name.toLowerCase()]);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Retry-After as delay in ms: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
