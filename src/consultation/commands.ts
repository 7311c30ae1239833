/**
 * Typed commands for a consultation's life (issue 13), the same as the buttons: "mijn consultaties" (and "lijst",
 * "overzicht", "mijn aanvragen"), "verder met MW-XXXX", "afsluiten MW-XXXX [uitkomst]", "heropen MW-XXXX", and the
 * stap 5 outcome typed as words or a number. Pure: no botbuilder, no storage.
 */
import { UITKOMSTEN, type Uitkomst } from './ports';

export type LifecycleCommand =
  | { kind: 'list' }
  | { kind: 'verder'; nummer: string }
  | { kind: 'afsluiten'; nummer: string; uitkomst: Uitkomst | null }
  | { kind: 'heropen'; nummer: string }
  | { kind: 'later'; nummer: string };

const LIST = ['mijn consultaties', 'mijn consultatie', 'lijst', 'overzicht', 'mijn aanvragen', 'my consultations', 'mijn lijst'];
/** Consultation number in a message, also typed in lower case or without the dash ("mw 7k3q9p"). */
const NUMMER = /\bmw[\s-]?([23456789abcdefghjkmnpqrstuvwxyz]{6})\b/i;

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.!?,;:"'()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function nummerIn(text: string): string | null {
  const m = NUMMER.exec(text);
  return m ? `MW-${m[1]!.toUpperCase()}` : null;
}

export function parseLifecycleCommand(text: string): LifecycleCommand | null {
  const n = fold(text);
  if (!n) return null;
  if (LIST.includes(n)) return { kind: 'list' };
  const nummer = nummerIn(text);
  if (!nummer) return null;
  const rest = n.replace(NUMMER, ' ').replace(/\s+/g, ' ').trim();
  if (/^(verder( gaan)?( met)?|ga verder( met)?|hervat(ten)?|doorgaan( met)?|continue( with)?|resume)$/.test(rest)) return { kind: 'verder', nummer };
  if (/^(heropen(en)?|open opnieuw|opnieuw openen|reopen)$/.test(rest)) return { kind: 'heropen', nummer };
  if (/^(later|niet nu)$/.test(rest)) return { kind: 'later', nummer };
  const close = /^(afsluiten|sluit( af)?|sluiten|afronden|rond af|close)\b ?(.*)$/.exec(rest);
  if (close) return { kind: 'afsluiten', nummer, uitkomst: close[3] ? parseUitkomst(close[3]) : null };
  return null;
}

const UITKOMST_WORDS: ReadonlyArray<[Uitkomst, RegExp]> = [
  ['gemeld-veilig-thuis', /\b(gemeld|melding|veilig thuis|reported)\b/],
  ['afgesloten-zonder-zorgen', /\b(zonder zorgen|geen zorgen|geen vermoeden|no concerns?|zorgen weggenomen)\b/],
  ['hulp-georganiseerd', /\b(hulp|help|ondersteuning)\b/],
  ['doorverwezen', /\b(doorverwezen|doorverwijzing|verwezen|referred)\b/],
];

/** The stap 5 outcome from typed text: "1".."4" in card order, or words ("gemeld", "hulp georganiseerd", …). */
export function parseUitkomst(text: string): Uitkomst | null {
  const n = fold(text);
  if (/^[1-4]$/.test(n)) return UITKOMSTEN[Number(n) - 1]!;
  if ((UITKOMSTEN as readonly string[]).includes(n.replace(/ /g, '-'))) return n.replace(/ /g, '-') as Uitkomst;
  const hits = UITKOMST_WORDS.filter(([, re]) => re.test(n)).map(([u]) => u);
  // "geen zorgen" and "hulp" together is ambiguous: ask again rather than guess.
  return hits.length === 1 ? hits[0]! : null;
}
