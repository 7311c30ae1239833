/**
 * Every string the store writes goes through the privacy core's `cleanText` (src/privacy/clean.ts): no control
 * characters, NUL, lone surrogates or bidi overrides in the database, whatever a client sent. Structured values are
 * cleaned deeply; keys are left as they are (they come from our own code).
 */
import { cleanText } from '../privacy/clean';

/** A copy of `value` with every string (at any depth) cleaned; the same value when nothing needed cleaning. */
export function cleanStrings<T>(value: T): T {
  return clean(value, 0) as T;
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const c = clean(v, depth + 1);
      if (c !== v) changed = true;
      return c;
    });
    return changed ? out : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const c = clean(v, depth + 1);
    if (c !== v) changed = true;
    out[k] = c;
  }
  return changed ? out : value;
}

/** JSON for a TEXT column, with every string value cleaned. */
export function storedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? cleanText(v) : v));
}
