/**
 * HTTP client of the municipal API as the outbox uses it. Each call answers with an outcome the worker acts on:
 * - `delivered`: 2xx, or 409 (already there / already in that state: the API settled it);
 * - `retry`: network error, timeout, 408, 429, 5xx (with Retry-After when the server gave one);
 * - `failed`: any other 4xx (permanently invalid: parked, never silently dropped).
 * Bodies are never logged; a problem+json answer is returned so the worker can log its type/title/detail.
 */
import type { ConsultationStatus, Urgentie } from '../consultation/ports';
import type { MunicipalRecord } from './schema';

export interface MunicipalClientOptions {
  /** Root url of the service, e.g. `http://127.0.0.1:3980` (the client adds `/api/v1/...`). */
  baseUrl: string;
  /** Bearer token with scope `consultations:write`. */
  token: string;
  /** Per request (including reading the answer). Default 10 000 ms. */
  timeoutMs?: number;
  /** Replaceable for tests. Default: global fetch. */
  fetch?: typeof fetch;
}

export interface ProblemDetail {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  invalidParams?: Array<{ name?: string; code?: string; reason?: string }>;
  [key: string]: unknown;
}

export type DeliveryOutcome =
  | { kind: 'delivered'; httpStatus: number }
  | { kind: 'retry'; httpStatus?: number; reason: string; retryAfterMs?: number }
  | { kind: 'failed'; httpStatus: number; reason: string; problem?: ProblemDetail };

export interface MunicipalClient {
  readonly timeoutMs: number;
  /** POST /api/v1/consultations with `Idempotency-Key`. */
  create(record: MunicipalRecord, idempotencyKey: string): Promise<DeliveryOutcome>;
  /**
   * PATCH /api/v1/consultations/{recordId} `{ status, overlegGevraagd?, urgentie? }` (also sends the
   * `Idempotency-Key`): the record follows its consultation, structured fields only.
   */
  updateStatus(recordId: string, status: ConsultationStatus, idempotencyKey: string, fields?: { overlegGevraagd?: boolean; urgentie?: Urgentie | null }): Promise<DeliveryOutcome>;
  /** GET /api/v1/healthz: true when the API itself answers healthy (a JSON object, 2xx). Lets the outbox end its backoff early. */
  probe?(): Promise<boolean>;
}

export const DEFAULT_CLIENT_TIMEOUT_MS = 10_000;

export function createMunicipalClient(opts: MunicipalClientOptions): MunicipalClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
  const doFetch = opts.fetch ?? fetch;

  async function send(method: 'POST' | 'PATCH', path: string, body: unknown, key: string): Promise<DeliveryOutcome> {
    let status: number;
    let contentType: string;
    let text: string;
    let retryAfter: string | null;
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      const res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${opts.token}`,
          'content-type': 'application/json',
          accept: 'application/json, application/problem+json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
        signal,
      });
      status = res.status;
      contentType = res.headers.get('content-type') ?? '';
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (err) {
      const e = err as { name?: string; code?: string; cause?: { code?: string }; message?: string };
      if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { kind: 'retry', reason: `timeout after ${timeoutMs} ms` };
      const code = e?.cause?.code ?? e?.code ?? e?.name ?? 'error';
      return { kind: 'retry', reason: `network: ${code}` };
    }
    return classify(status, contentType, text, retryAfter);
  }

  async function probe(): Promise<boolean> {
    try {
      const res = await doFetch(`${base}/api/v1/healthz`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      return res.status >= 200 && res.status < 300 && isJsonObject(res.headers.get('content-type') ?? '', text);
    } catch {
      return false;
    }
  }

  return {
    timeoutMs,
    probe,
    create: (record, key) => send('POST', '/api/v1/consultations', record, key),
    updateStatus: (recordId, status, key, fields = {}) =>
      send('PATCH', `/api/v1/consultations/${encodeURIComponent(recordId)}`, { status, ...fields }, key),
  };
}

export function classify(status: number, contentType: string, text: string, retryAfter: string | null): DeliveryOutcome {
  if (status >= 200 && status < 300) {
    // Only the API's own answer (a JSON object) counts: a 2xx page from something else (a captive portal, a misrouted
    // proxy) stored nothing, so it is retried instead of marked delivered (test/faults/municipalApi.test.ts).
    if (!isJsonObject(contentType, text)) return { kind: 'retry', httpStatus: status, reason: `HTTP ${status} without a JSON object body: not the municipal API's answer` };
    return { kind: 'delivered', httpStatus: status };
  }
  if (status === 409) return { kind: 'delivered', httpStatus: status };
  const problem = parseProblem(contentType, text);
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return {
      kind: 'retry',
      httpStatus: status,
      reason: `HTTP ${status}${problem?.title ? `: ${problem.title}` : ''}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return {
    kind: 'failed',
    httpStatus: status,
    reason: `HTTP ${status}${problem?.title ? `: ${problem.title}` : ''}`,
    ...(problem ? { problem } : {}),
  };
}

function isJsonObject(contentType: string, text: string): boolean {
  if (!/json/i.test(contentType)) return false;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

function parseProblem(contentType: string, text: string): ProblemDetail | undefined {
  if (!/json/i.test(contentType) || !text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const p = value as Record<string, unknown>;
    // Keep only the problem members: never carry anything else along into logs.
    const out: ProblemDetail = {};
    for (const k of ['type', 'title', 'status', 'detail', 'instance', 'invalidParams', 'identifierTypes'] as const) {
      if (p[k] !== undefined) out[k] = p[k] as never;
    }
    return out;
  } catch {
    return undefined;
  }
}

export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
