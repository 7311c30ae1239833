/**
 * Standalone municipal API.
 *   MUNICIPAL_API_PORT   (default 3980)
 *   MUNICIPAL_API_HOST   (default 127.0.0.1; 0.0.0.0 to listen on all interfaces)
 *   MUNICIPAL_DB_URL     (default sqlite:data/municipal.db; or postgres://…)
 *   MUNICIPAL_API_TOKENS name:sha256hex:scope[,scope];…  (hash a token with `node scripts/hash-token.js <token>`)
 *   LOG_LEVEL            debug|info|warn|error (default info)
 */
import { loadMunicipalApiConfig } from '../config';
import { createJsonLogger } from '../records/logger';
import { redactUrl } from '../store';
import { parseTokens } from './auth';
import { startMunicipalApi } from './server';

async function main(): Promise<void> {
  const config = loadMunicipalApiConfig();
  const logger = createJsonLogger({ level: config.logLevel, base: { service: 'municipal-api' } });
  const { port, dbUrl } = config;
  const tokens = parseTokens(config.tokens);
  if (!tokens.length) logger.warn('MUNICIPAL_API_TOKENS is empty: every /api/v1/consultations request will get 401');
  const api = await startMunicipalApi({ port, host: config.host, dbUrl, tokens, logger });
  logger.info('municipal API listening', { url: api.url, db: redactUrl(dbUrl), tokens: tokens.map((t) => ({ name: t.name, scopes: t.scopes })) });
  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal });
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'municipal API failed to start', error: (err as Error)?.message }) + '\n');
  process.exit(1);
});
