/**
 * Listening and closing for the restify servers (bot and municipal API), so both start and stop the same way.
 */
import type { AddressInfo } from 'node:net';
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
