/**
 * Reading a request body with a size limit, for every HTTP surface. Beyond the limit (declared or streamed, e.g.
 * chunked) the read stops at once; `readJsonBody` then answers 413 and closes the connection cleanly (no reset).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeAfterAnswer } from '../serverLifecycle';
import { fail } from './problem';

export type BodyOutcome = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'aborted' };

/** Reads the body as UTF-8 up to `limit` bytes; never rejects for a client that sends too much or goes away. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyOutcome> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise<BodyOutcome>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.removeListener('data', onData);
        resolve({ kind: 'too-large' });
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', (err) => (req.aborted || req.destroyed ? resolve({ kind: 'aborted' }) : reject(err)));
    req.on('aborted', () => resolve({ kind: 'aborted' }));
  });
}

/** The client went away mid-request: nothing to answer, nothing wrong on our side. */
export class ClientGone extends Error {
  constructor() {
    super('client closed the request');
    this.name = 'ClientGone';
  }
}

/** True for application/json and application/*+json. */
export function isJsonContentType(header: string | string[] | undefined): boolean {
  const type = String(header ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * Reads a JSON body: 415 (problem) without a JSON content type, 413 beyond `limit` (connection closed cleanly after
 * the answer), 400 `invalid-json` for an empty or unparsable body (never echoing it), `ClientGone` when the client left.
 */
export async function readJsonBody(req: IncomingMessage & { body?: unknown }, res: ServerResponse, limit: number): Promise<unknown> {
  if (!isJsonContentType(req.headers['content-type'])) fail('unsupported-media-type', { detail: 'Stuur de body als application/json.' });
  const outcome = await readBody(req, limit);
  if (outcome.kind === 'too-large') {
    closeAfterAnswer(req, res);
    fail('payload-too-large', { detail: `Maximaal ${limit} bytes.` });
  }
  if (outcome.kind === 'aborted') throw new ClientGone();
  if (!outcome.text.trim()) fail('invalid-json', { detail: 'De body is leeg.' });
  try {
    return JSON.parse(outcome.text) as unknown;
  } catch {
    // Never echo the body or the parser message (it quotes the input).
    return fail('invalid-json', { detail: 'De body kon niet als JSON worden gelezen.' });
  }
}
