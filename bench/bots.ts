/**
 * Starts the real Meldwijzer bot for the benchmark: DB-backed state on a SQLite file, the outbox worker running,
 * and the municipal API as its own process (the production entry point dist/src/api/main.js on its own SQLite
 * file), as in production, where the municipal API is the municipality's system and not part of the bot.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Meldwijzer } from '../src/app';
import { hashToken } from '../src/api';
import { openDb } from '../src/store';
import type { Db } from '../src/store/db';
import { startTestApp } from '../test/support/testApp';
import { startApiProcess } from './apiProcess';

export interface BenchBot {
  app: Meldwijzer;
  url: string;
  dir: string;
  /** The municipal API's database, opened from the bench process (read-only use: counting delivered records). */
  municipalDb(): Promise<Db>;
  close(): Promise<void>;
}

/** `host`: which SDK hosts the bot (MELDWIJZER_HOST). */
export async function startBenchBot(host: 'botbuilder' | 'agents' = 'botbuilder'): Promise<BenchBot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-bench-api-'));
  const token = randomBytes(24).toString('base64url');
  const dbUrl = `sqlite:${path.join(dir, 'municipal.db')}`;
  const api = await startApiProcess({ dbUrl, tokens: `bench-bot:${hashToken(token)}:consultations:write` });
  const apiUrl = api.url;
  // The product's own outbox settings (no fast test retries), development mode as `npm start` runs it.
  const bot = await startTestApp({
    env: {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PSEUDONYM_SECRET: 'bench-pseudonym-secret-0123456789abcdef0123',
      MUNICIPAL_API_URL: apiUrl,
      MUNICIPAL_API_TOKEN: token,
      MELDWIJZER_HOST: host,
    },
    overrides: { outboxOptions: undefined, env: {} },
  });
  let municipal: Db | null = null;
  return {
    ...bot,
    async municipalDb() {
      municipal ??= await openDb({ url: dbUrl });
      return municipal;
    },
    async close() {
      await bot.close();
      await municipal?.close();
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
