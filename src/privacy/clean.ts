/**
 * Text hygiene for every string the product stores (pure: no I/O). `cleanText` removes characters that have no
 * business in a stored note, name or label and that can hide or reorder text when it is shown later:
 *  - C0 control characters and NUL (U+0000–U+001F) except tab and line feed; a carriage return becomes a line feed
 *    ("\r\n" → "\n", a lone "\r" → "\n"), so Windows and old-Mac line breaks survive as line breaks;
 *  - DEL and the C1 control characters (U+007F–U+009F);
 *  - bidirectional controls: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and the invisible
 *    direction marks (U+200E, U+200F, U+061C) — "Trojan Source" style reordering of what a reader sees;
 *  - lone (unpaired) UTF-16 surrogates, which are not text and break UTF-8 encoders and databases.
 * Everything else (letters of any script, emoji, combining marks, paired surrogates) is kept unchanged.
 * `isCleanText(s)` is true when `cleanText(s) === s`, i.e. when a caller may store `s` as it is.
 */

const UNWANTED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;
const UNWANTED_TEST = /[\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;

/** The string without control, NUL, bidi-control and lone-surrogate characters (tab and line feed kept). */
export function cleanText(s: string): string {
  if (!UNWANTED_TEST.test(s)) return s;
  return s.replace(/\r\n?/g, '\n').replace(UNWANTED, '');
}

/** True when the string holds none of the characters `cleanText` removes or rewrites. */
export function isCleanText(s: string): boolean {
  return !UNWANTED_TEST.test(s);
}
