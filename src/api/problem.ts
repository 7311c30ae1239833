/** RFC 9457 problem details (`application/problem+json`), with `invalidParams` as in the Dutch API design rules. */
import type { ServerResponse } from 'node:http';
import type { ZodError } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'urn:meldwijzer:problem:';

export interface InvalidParam {
  name: string;
  code: string;
  reason: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  invalidParams?: InvalidParam[];
  [extension: string]: unknown;
}

export const PROBLEM_TITLES: Record<string, { status: number; title: string }> = {
  'bad-request': { status: 400, title: 'Ongeldig verzoek' },
  'invalid-json': { status: 400, title: 'De body is geen geldige JSON' },
  validation: { status: 400, title: 'Een of meer parameters zijn ongeldig' },
  unauthorized: { status: 401, title: 'Niet geauthenticeerd' },
  forbidden: { status: 403, title: 'Onvoldoende rechten (scope)' },
  'not-found': { status: 404, title: 'Niet gevonden' },
  'method-not-allowed': { status: 405, title: 'Methode niet toegestaan' },
  'not-acceptable': { status: 406, title: 'Gevraagd formaat niet beschikbaar' },
  'invalid-transition': { status: 409, title: 'Deze statusovergang is niet toegestaan' },
  'record-conflict': { status: 409, title: 'Er bestaat al een record met dit id en een andere inhoud' },
  'payload-too-large': { status: 413, title: 'De body is te groot' },
  'unsupported-media-type': { status: 415, title: 'Content-Type moet application/json zijn' },
  'idempotency-key-reused': { status: 422, title: 'Deze Idempotency-Key is al gebruikt voor een ander verzoek' },
  'identifier-found': { status: 422, title: 'Vrije tekst bevat een direct identificerend gegeven' },
  'free-text': { status: 422, title: 'Een record bevat geen vrije tekst' },
  'service-unavailable': { status: 503, title: 'Dienst tijdelijk niet beschikbaar' },
  internal: { status: 500, title: 'Interne fout' },
};

export type ProblemKind = keyof typeof PROBLEM_TITLES;

export function problem(kind: ProblemKind, fields: Partial<Problem> = {}): Problem {
  const base = PROBLEM_TITLES[kind] ?? PROBLEM_TITLES.internal;
  return { type: TYPE_BASE + kind, title: base.title, status: base.status, ...fields };
}

export function problemTypeUri(kind: ProblemKind): string {
  return TYPE_BASE + kind;
}

export function zodInvalidParams(error: ZodError, prefix = ''): InvalidParam[] {
  const safeKey = (k: string) => (/^[A-Za-z][A-Za-z0-9_-]{0,40}$/.test(k) ? k : '(onbekend veld)');
  const out: InvalidParam[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((p) => safeKey(String(p))).join('.');
    const at = (suffix: string) => {
      const joined = [prefix, path, suffix].filter(Boolean).join('.');
      return joined || '(body)';
    };
    if (issue.code === 'unrecognized_keys') {
      // One entry per unknown field, named only when the name looks like a field name (never echo content).
      for (const key of issue.keys) out.push({ name: at(safeKey(key)), code: 'unknown_field', reason: 'Dit veld is niet toegestaan' });
      continue;
    }
    // Zod 4 messages name expectations, never the offending value.
    out.push({ name: at(''), code: issue.code, reason: issue.message });
  }
  return out;
}

/** Writes a JSON answer directly (bypassing restify's formatters). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  if (res.headersSent) return;
  const all = {
    'content-type': `${contentType}; charset=utf-8`,
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  };
  const raw = res as ServerResponse & { sendRaw?: (code: number, body: string, headers: Record<string, string>) => void };
  // restify: sendRaw marks the response as sent, so restify's own error path does not answer a second time.
  if (typeof raw.sendRaw === 'function') raw.sendRaw(status, text, all);
  else {
    res.writeHead(status, all);
    res.end(text);
  }
}

export function sendProblem(res: ServerResponse, p: Problem, headers: Record<string, string> = {}): void {
  sendJson(res, p.status, p, headers, PROBLEM_CONTENT_TYPE);
}
