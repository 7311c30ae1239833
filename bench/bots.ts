/** Starts the real Meldwijzer bot for the benchmark: DB-backed state on a SQLite file, embedded municipal API. */
import type { Meldwijzer } from '../src/app';
import { startTestApp } from '../test/support/testApp';

export interface BenchBot {
  app: Meldwijzer;
  url: string;
  dir: string;
  close(): Promise<void>;
}

export async function startBenchBot(): Promise<BenchBot> {
  // The product's own outbox settings (no fast test retries), development mode as `npm start` runs it.
  return startTestApp({
    env: { NODE_ENV: 'development', HOST: '127.0.0.1', PSEUDONYM_SECRET: 'bench-pseudonym-secret-0123456789abcdef0123' },
    overrides: { outboxOptions: undefined, env: {} },
  });
}
