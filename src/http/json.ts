/** Writing JSON and problem+json answers, the same way on every HTTP surface (bot, municipal API, tab). */
import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problem';

/** Writes a JSON answer directly (bypassing restify's formatters); `no-store` unless `headers` says otherwise. */
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
