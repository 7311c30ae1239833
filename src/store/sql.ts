/**
 * Helpers shared by the SQLite and PostgreSQL adapters: placeholder translation and parameter normalisation.
 */

/**
 * Translates `$1..$n` placeholders to positional `?` (SQLite) and returns the parameters in the order the `?`s
 * appear. String literals ('…'), quoted identifiers ("…") and comments are left alone. A `$n` may be used more
 * than once.
 */
export function toPositional(sql: string, params: readonly unknown[]): { sql: string; params: unknown[] } {
  let out = '';
  const ordered: unknown[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = skipQuoted(sql, i, ch);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < n && /[0-9]/.test(sql[j])) j++;
      const index = Number(sql.slice(i + 1, j));
      if (index < 1 || index > params.length) {
        throw new RangeError(`SQL placeholder $${index} has no parameter (${params.length} given)`);
      }
      ordered.push(params[index - 1]);
      out += '?';
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return { sql: out, params: ordered };
}

function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/**
 * Portable parameter values: booleans become 1/0 (store flags as INTEGER), Dates become ISO strings,
 * undefined becomes NULL, plain objects/arrays become JSON text.
 */
export function normaliseParam(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** A tiny promise mutex: runs tasks one after another, in call order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** True when err is a unique/primary-key violation in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code === '23505') return true;
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  return false;
}

/**
 * Collects parameters for a dynamically built query: `p(value)` adds the value and returns its `$n` placeholder,
 * e.g. `where.push(\`gemeente IN (${codes.map(p).join(', ')})\`)`; pass `params` to query().
 */
export function sqlParams(): { params: unknown[]; p: (value: unknown) => string } {
  const params: unknown[] = [];
  return {
    params,
    p: (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    },
  };
}

/**
 * Orders aggregated rows by these keys, nulls as empty strings: the same deterministic order in both dialects
 * (SQLite and PostgreSQL sort NULLs differently).
 */
export function byKeys<T>(keys: ReadonlyArray<keyof T>): (a: T, b: T) => number {
  return (a, b) => {
    for (const k of keys) {
      const x = (a[k] ?? '') as unknown as string | number;
      const y = (b[k] ?? '') as unknown as string | number;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
}
