/**
 * The municipal API as its own process, started from the production entry point (dist/src/api/main.js), as it runs
 * in production: the municipality's system, not part of the bot or of the benchmark's driver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../test/support/ports';

export interface ApiProcess {
  url: string;
  close(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`municipal API exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('municipal API did not become healthy');
}

/** `tokens` in MUNICIPAL_API_TOKENS syntax (name:sha256hex:scope[,scope];…). */
export async function startApiProcess(opts: { dbUrl: string; tokens: string }): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve(__dirname, '..', 'src', 'api', 'main.js')], {
    env: { PATH: process.env.PATH, MUNICIPAL_API_PORT: String(port), MUNICIPAL_DB_URL: opts.dbUrl, MUNICIPAL_API_TOKENS: opts.tokens, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
