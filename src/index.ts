/**
 * Meldwijzer bot process: `node dist/src/index.js` (npm start runs it via scripts/start.js).
 * Exits with a clear message on invalid configuration; shuts down gracefully on SIGINT/SIGTERM
 * (stops accepting requests, flushes the outbox, closes the database).
 */
import { ConfigError, loadConfig } from './config';
import { createMeldwijzer } from './app';
import { redactUrl } from './store';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Meldwijzer start niet: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const app = await createMeldwijzer(config);
  const url = await app.listen();
  app.logger.info('meldwijzer.listening', {
    url,
    messages: `${url}/api/messages`,
    tab: `${url}/tab/`,
    auth: config.authenticated ? 'bot-framework-jwt' : 'none (development)',
    db: redactUrl(config.dbUrl),
    municipalApi: app.municipalApi ? `${app.municipalApi.url} (embedded)` : config.municipalApiUrl,
  });
  if (app.municipalApi && app.municipalReadToken) {
    // Development only (the embedded API never runs in production): a human line on stdout, not a log record.
    process.stdout.write(
      `Gemeentelijke records lezen (alleen lokaal):\n  curl -H "Authorization: Bearer ${app.municipalReadToken}" ${app.municipalApi.url}/api/v1/consultations\n`,
    );
  }
  if (config.devOnNetwork) {
    const warning = `ONTWIKKELMODUS OP HET NETWERK (${config.host}): iedereen die deze poort bereikt kan zonder aanmelding met de bot praten. Alleen voor een afgeschermde testomgeving.`;
    app.logger.warn('meldwijzer.dev_on_network', { host: config.host, warning });
    process.stderr.write(`\n!!! ${warning} !!!\n\n`);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info('meldwijzer.shutdown', { signal });
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (reason) => app.logger.error('unhandled_rejection', { error: (reason as Error)?.name ?? typeof reason }));
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'meldwijzer.start_failed', error: (err as Error)?.name, detail: (err as Error)?.message })}\n`);
  process.exit(1);
});
