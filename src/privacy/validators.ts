/** Checksum validators for Dutch identifiers. Pure functions, no dependencies. */

/** Digits only, or null when the string holds anything besides digits, spaces and dots. */
function bsnDigits(s: string): string | null {
  const compact = s.replace(/[\s.-]/g, '');
  return /^\d{9}$/.test(compact) ? compact : null;
}

/**
 * BSN elfproef: weights 9..2 for the first eight digits and −1 for the last; the weighted sum must be divisible by 11.
 * Accepts separators (spaces, dots) as in `123.456.782`. `000000000` is rejected (sum 0 is not a real BSN).
 */
export function isValidBsn(s: string): boolean {
  const d = bsnDigits(s);
  if (d === null || /^0+$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (d.charCodeAt(i) - 48);
  sum -= d.charCodeAt(8) - 48;
  return sum % 11 === 0;
}

/** ISO 13616 check: country letters, two check digits, BBAN; mod-97 of the rearranged number must equal 1. */
export function isValidIban(s: string): boolean {
  const iban = s.replace(/[\s.-]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  if (iban.startsWith('NL') && !/^NL\d{2}[A-Z]{4}\d{10}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) rest = (rest * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1;
}
