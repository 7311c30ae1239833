/** Minimal structured logger: JSON lines. Callers pass fields, never request/response bodies or free text. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface JsonLoggerOptions {
  level?: LogLevel;
  /** Default process.stdout. */
  write?: (line: string) => void;
  /** Fields on every line, e.g. `{ service: 'municipal-api' }`. */
  base?: Record<string, unknown>;
}

export function createJsonLogger(opts: JsonLoggerOptions = {}): Logger {
  const min = ORDER[opts.level ?? ((process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info')] ?? ORDER.info;
  const write = opts.write ?? ((line: string) => process.stdout.write(line));
  const log = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    let line: string;
    try {
      line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...opts.base, ...fields });
    } catch {
      line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...opts.base, fieldsError: 'unserialisable' });
    }
    write(line + '\n');
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A logger that keeps entries in memory (tests). */
export function memoryLogger(): Logger & { entries: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> } {
  const entries: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void entries.push({ level, msg, fields });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
