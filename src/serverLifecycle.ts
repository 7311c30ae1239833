/**
 * Listening and closing for the restify servers (bot and municipal API), so both start and stop the same way, and
 * both end a connection after an unread oversized body the same (clean) way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type restify from 'restify';

/** Listens on host:port (0 = a free port); resolves to the port, rejects on e.g. EADDRINUSE. */
export function listenOn(server: restify.Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** `http://host:port`, with brackets for an IPv6 host. */
export function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Stops accepting connections and waits for open requests; idle keep-alive connections would hold close() open. */
export function closeServer(server: restify.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    (server.server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  });
}

/**
 * Ends a connection after an answer to a request whose body is not read (e.g. 413 for an oversized, possibly chunked
 * body) without a reset: the answer goes out with `Connection: close`, then the socket is half-closed (FIN) while what
 * the client still sends is read and thrown away, until the client closes, `lingerBytes` more arrived or `lingerMs`
 * passed. Closing at once with unread data would make the kernel send a RST, and the client could lose the answer.
 * Call before sending the answer.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse, opts: { lingerMs?: number; lingerBytes?: number } = {}): void {
  const lingerMs = opts.lingerMs ?? 2000;
  const lingerBytes = opts.lingerBytes ?? 4 * 1024 * 1024;
  const socket = req.socket as Socket & { destroySoon?: () => void };
  if (!res.headersSent) res.setHeader('connection', 'close');
  let seen = 0;
  let lingering = false;
  let timer: NodeJS.Timeout | null = null;
  const finish = () => {
    if (timer) clearTimeout(timer);
    socket.destroy();
  };
  // Keep the body flowing (discarded) so the client is never stuck writing into a full window.
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (lingering && seen > lingerBytes) finish();
  });
  req.on('error', () => undefined);
  req.resume();
  // node's http server calls destroySoon() once a `Connection: close` answer is written; linger instead.
  socket.destroySoon = () => {
    lingering = true;
    seen = 0;
    if (socket.writable) socket.end();
    if (req.complete) return finish();
    req.once('end', finish);
    socket.once('end', finish);
    timer = setTimeout(finish, lingerMs);
    timer.unref();
  };
}
