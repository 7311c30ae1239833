/** Structured logger: JSON lines (pino). Callers pass fields, never request/response bodies or free text. */
import { logLevelFromEnv } from '../config';
import pino from 'pino';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface JsonLoggerOptions {
  level?: LogLevel;
  /** Default process.stdout. */
  write?: (line: string) => void;
  /** Fields on every line, e.g. `{ service: 'municipal-api' }`. */
  base?: Record<string, unknown>;
}

/**
 * Fields that must never reach a log line whatever a caller passes: message text, bodies, notes, tokens, headers,
 * request paths (they can hold a consultation number) and Teams identities. pino's redact replaces them.
 */
export const REDACTED_FIELDS = ['text', 'body', 'note', 'notitie', 'toelichting', 'token', 'authorization', 'headers', 'cookie', 'path', 'query', 'nummer', 'userId', 'aadObjectId', 'conversationId'];

/** JSON lines through pino: `{"level":"info","time":"…","msg":"…",…fields}`. */
export function createJsonLogger(opts: JsonLoggerOptions = {}): Logger {
  const write = opts.write ?? ((line: string) => void process.stdout.write(line));
  const p = pino(
    {
      level: opts.level ?? logLevelFromEnv(),
      base: opts.base ?? null,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`]), censor: '[redacted]' },
    },
    { write },
  );
  const log = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    try {
      p[level](fields ?? {}, msg);
    } catch {
      p[level]({ fieldsError: 'unserialisable' }, msg);
    }
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
