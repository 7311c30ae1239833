/**
 * RFC 9457 problem details (`application/problem+json`) for every HTTP surface (municipal API, coordinator tab):
 * one type base (`urn:meldwijzer:problem:<kind>`), one title table, one `HttpProblem` to throw, `invalidParams` as in
 * the Dutch API design rules.
 */
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
  conflict: { status: 409, title: 'Iemand anders heeft dit net gewijzigd' },
  'record-conflict': { status: 409, title: 'Er bestaat al een record met dit id en een andere inhoud' },
  'payload-too-large': { status: 413, title: 'De body is te groot' },
  'unsupported-media-type': { status: 415, title: 'Content-Type moet application/json zijn' },
  'idempotency-key-reused': { status: 422, title: 'Deze Idempotency-Key is al gebruikt voor een ander verzoek' },
  unprocessable: { status: 422, title: 'Dit verzoek kan niet worden uitgevoerd' },
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

/** Thrown by a handler or a helper; the route wrapper answers it as problem+json with `headers`. */
export class HttpProblem extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.title);
    this.name = 'HttpProblem';
  }
}

/** Throws the problem of `kind` (fields such as `detail` or extensions added). */
export function fail(kind: ProblemKind, fields: Partial<Problem> = {}, headers: Record<string, string> = {}): never {
  throw new HttpProblem(problem(kind, fields), headers);
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
