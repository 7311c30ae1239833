/**
 * The whole product in-process for tests: createMeldwijzer on SQLite files in a temp dir, the embedded municipal
 * API on a free port, silent logs, fast outbox retries. close() stops everything and removes the files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMeldwijzer, type Meldwijzer, type MeldwijzerOverrides } from '../../src/app';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/records/logger';

export interface TestApp {
  app: Meldwijzer;
  url: string;
  dir: string;
  close(): Promise<void>;
}

/**
 * `dir`: use these database files (e.g. to restart the product on the same state); the caller then owns the folder
 * and close() leaves it. Without it, a fresh temp folder that close() removes.
 */
export async function startTestApp(opts: { env?: Record<string, string>; overrides?: MeldwijzerOverrides; dir?: string } = {}): Promise<TestApp> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mw-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    MELDWIJZER_DB_URL: `sqlite:${path.join(dir, 'bot.db')}`,
    MUNICIPAL_DB_URL: `sqlite:${path.join(dir, 'municipal.db')}`,
    MUNICIPAL_API_PORT: '0',
    LOG_LEVEL: 'silent',
    // The host under test: `MELDWIJZER_HOST=agents npx jest …` runs the same suite on the Agents SDK host.
    ...(process.env.MELDWIJZER_HOST ? { MELDWIJZER_HOST: process.env.MELDWIJZER_HOST } : {}),
    ...opts.env,
  });
  const app = await createMeldwijzer(config, { logger: silentLogger, outboxOptions: { baseDelayMs: 10, pollMs: 50 }, env: { NODE_ENV: 'test' }, ...opts.overrides });
  const url = await app.listen();
  return {
    app,
    url,
    dir,
    async close() {
      await app.close();
      if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
