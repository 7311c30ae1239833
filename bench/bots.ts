/** Starts the real Meldwijzer bot for the benchmark: DB-backed state on a SQLite file, embedded municipal API. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMeldwijzer, type Meldwijzer } from '../src/app';
import { loadConfig } from '../src/config';
import { silentLogger } from '../src/records/logger';

export interface BenchBot {
  app: Meldwijzer;
  url: string;
  dir: string;
  close(): Promise<void>;
}

export async function startBenchBot(): Promise<BenchBot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-bench-'));
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    MELDWIJZER_DB_URL: `sqlite:${path.join(dir, 'bot.db')}`,
    MUNICIPAL_DB_URL: `sqlite:${path.join(dir, 'municipal.db')}`,
    MUNICIPAL_API_PORT: '0',
    PSEUDONYM_SECRET: 'bench-pseudonym-secret-0123456789abcdef0123',
    LOG_LEVEL: 'silent',
  });
  const app = await createMeldwijzer(config, { logger: silentLogger, env: {} });
  const url = await app.listen();
  return {
    app,
    url,
    dir,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
