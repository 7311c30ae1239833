/**
 * The real bot process (`node dist/src/index.js`) as a child, for fault and security tests. `ensureBuilt()` compiles
 * dist/ first when it is missing or older than the sources (`npm test` builds before jest; a single suite run with
 * `npx jest` may not have).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BOT_ENTRY = path.join(ROOT, 'dist', 'src', 'index.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  const built = fs.existsSync(BOT_ENTRY) ? fs.statSync(BOT_ENTRY).mtimeMs : 0;
  const sources = Math.max(...['src', 'dialogs', 'cards', 'policy'].map((d) => newestMtime(path.join(ROOT, d))));
  if (built && built >= sources) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.json')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  // tsc emits even with type errors (type-checking is its own step in `npm test`): what matters is a fresh entry point.
  const rebuilt = fs.existsSync(BOT_ENTRY) ? fs.statSync(BOT_ENTRY).mtimeMs : 0;
  if (!rebuilt || rebuilt <= built) throw new Error(`build failed (exit ${r.status}): ${(r.stdout ?? '') + (r.stderr ?? '')}`.slice(0, 4000));
}

export interface BotProcess {
  child: ChildProcess;
  url: string;
  /** Every stdout/stderr line so far. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL (or another signal) and wait for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Minimal environment: only what the bot needs, never the test runner's own variables. */
export function botEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...extra };
}

/** Starts the bot and resolves once it logged `meldwijzer.listening` (needs LOG_LEVEL info or lower; rejects when it exits first or times out). */
export async function spawnBot(env: NodeJS.ProcessEnv, opts: { timeoutMs?: number } = {}): Promise<BotProcess> {
  const child = spawn(process.execPath, [BOT_ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffered = { out: '', err: '' };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let onLine: ((line: string) => void) | null = null;
  const feed = (key: 'out' | 'err') => (chunk: Buffer) => {
    buffered[key] += chunk.toString('utf8');
    const parts = buffered[key].split('\n');
    buffered[key] = parts.pop() ?? '';
    for (const l of parts) {
      lines.push(l);
      if (lines.length > 5000) lines.splice(0, lines.length - 2000);
      onLine?.(l);
    }
  };
  child.stdout!.on('data', feed('out'));
  child.stderr!.on('data', feed('err'));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bot did not start within ${opts.timeoutMs ?? 30_000} ms:\n${lines.join('\n')}`));
    }, opts.timeoutMs ?? 30_000);
    onLine = (l) => {
      if (!l.includes('meldwijzer.listening')) return;
      try {
        const u = (JSON.parse(l) as { url?: string }).url;
        if (u) {
          clearTimeout(timer);
          resolve(u);
        }
      } catch {
        /* not JSON */
      }
    };
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`bot exited (${code ?? signal}) before listening:\n${lines.join('\n')}`));
    });
  });
  onLine = null;
  return {
    child,
    url,
    lines,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs the bot until it exits by itself (configuration errors); kills it after timeoutMs. */
export async function runBotToExit(env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BOT_ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (c, s) => resolve({ code: c, signal: s })));
  clearTimeout(timer);
  return { code, signal, stdout, stderr };
}
