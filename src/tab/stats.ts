/**
 * Monitoring figures for the coordinator tab: pure aggregation of ConsultationStats.counts() buckets and the CSV
 * export. Only aggregated counts, never identifiers. No HTTP.
 */
import type { ConsultationCount, ConsultationStatus } from '../consultation/ports';
import { CONSULTATION_STATUSES } from '../consultation/ports';
import { DOELGROEPEN } from '../meldcode/types';

/** Advised actions counted as "melden" (report to Veilig Thuis) and as "hulp" (organise help) in melden-vs-hulp. */
export const MELDEN_ACTIES: readonly string[] = ['melden', 'veilig-thuis-direct'];
export const HULP_ACTIES: readonly string[] = ['hulp-organiseren', 'afsluiten-met-afspraken'];
export type Uitkomst = 'melden' | 'hulp' | 'overig';

export function uitkomst(actie: string): Uitkomst {
  if (MELDEN_ACTIES.includes(actie)) return 'melden';
  if (HULP_ACTIES.includes(actie)) return 'hulp';
  return 'overig';
}

/** `2026-03` → `2026-H1`. */
export function halfjaarVan(maand: string): string {
  const [y, m] = maand.split('-');
  return `${y}-H${Number(m) <= 6 ? 1 : 2}`;
}

/** Month range (inclusive, `YYYY-MM`) for a half year `YYYY-H1|H2`. */
export function halfjaarRange(h: string): { from: string; to: string } {
  const m = /^(\d{4})-H([12])$/.exec(h);
  if (!m) throw new Error(`ongeldig halfjaar ${h}`);
  return m[2] === '1' ? { from: `${m[1]}-01`, to: `${m[1]}-06` } : { from: `${m[1]}-07`, to: `${m[1]}-12` };
}

/** First instant of the month after `YYYY-MM`, ISO. */
export function monthAfter(maand: string): string {
  const [y, m] = maand.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1)).toISOString();
}

export function monthStart(maand: string): string {
  return `${maand}-01T00:00:00.000Z`;
}

function nextMonth(maand: string): string {
  return monthAfter(maand).slice(0, 7);
}

export interface TabStats {
  periode: { from: string | null; to: string | null };
  gemeenten: string[];
  totaal: number;
  perMaand: Array<{ maand: string; aantal: number }>;
  perHalfjaar: Array<{ halfjaar: string; aantal: number }>;
  perDoelgroep: Array<{ doelgroep: string; aantal: number }>;
  perHalfjaarDoelgroep: Array<{ halfjaar: string; doelgroep: string; aantal: number }>;
  perStapActie: Array<{ stap: number; actie: string; uitkomst: Uitkomst; aantal: number }>;
  perStatus: Array<{ status: ConsultationStatus; aantal: number }>;
  meldenVsHulp: Record<Uitkomst, number>;
}

/** Keeps buckets inside [from, to] (months, inclusive) — applied on top of the repository's own from/to. */
export function filterCounts(counts: ConsultationCount[], from: string | null, to: string | null): ConsultationCount[] {
  return counts.filter((c) => (!from || c.maand >= from) && (!to || c.maand <= to) && c.aantal > 0);
}

function bump<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

export function aggregate(counts: ConsultationCount[], opts: { from: string | null; to: string | null; gemeenten: string[] }): TabStats {
  const rows = filterCounts(counts, opts.from, opts.to);
  const maand = new Map<string, number>();
  const half = new Map<string, number>();
  const doel = new Map<string, number>();
  const halfDoel = new Map<string, number>();
  const stapActie = new Map<string, number>();
  const status = new Map<ConsultationStatus, number>();
  const mvh: Record<Uitkomst, number> = { melden: 0, hulp: 0, overig: 0 };
  let totaal = 0;
  for (const c of rows) {
    totaal += c.aantal;
    bump(maand, c.maand, c.aantal);
    bump(half, halfjaarVan(c.maand), c.aantal);
    const d = c.doelgroep ?? 'onbekend';
    bump(doel, d, c.aantal);
    bump(halfDoel, `${halfjaarVan(c.maand)}|${d}`, c.aantal);
    bump(stapActie, `${c.stap}|${c.actie}`, c.aantal);
    bump(status, c.status, c.aantal);
    mvh[uitkomst(c.actie)] += c.aantal;
  }
  // Months: a contiguous axis (zeros included) so the chart shows quiet months too.
  const months = [...maand.keys()].sort();
  const perMaand: TabStats['perMaand'] = [];
  const first = opts.from ?? months[0];
  const last = opts.to ?? months[months.length - 1];
  if (first && last) {
    let guard = 0;
    for (let m = first; m <= last && guard < 240; m = nextMonth(m), guard++) perMaand.push({ maand: m, aantal: maand.get(m) ?? 0 });
  }
  const doelKeys: string[] = [...DOELGROEPEN];
  if (doel.has('onbekend')) doelKeys.push('onbekend');
  return {
    periode: { from: opts.from, to: opts.to },
    gemeenten: [...opts.gemeenten].sort(),
    totaal,
    perMaand,
    perHalfjaar: [...half.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([halfjaar, aantal]) => ({ halfjaar, aantal })),
    perDoelgroep: doelKeys.map((d) => ({ doelgroep: d, aantal: doel.get(d) ?? 0 })),
    perHalfjaarDoelgroep: [...halfDoel.entries()]
      .map(([k, aantal]) => {
        const [halfjaar, doelgroep] = k.split('|') as [string, string];
        return { halfjaar, doelgroep, aantal };
      })
      .sort((a, b) => a.halfjaar.localeCompare(b.halfjaar) || doelKeys.indexOf(a.doelgroep) - doelKeys.indexOf(b.doelgroep)),
    perStapActie: [...stapActie.entries()]
      .map(([k, aantal]) => {
        const [s, actie] = k.split('|') as [string, string];
        return { stap: Number(s), actie, uitkomst: uitkomst(actie), aantal };
      })
      .sort((a, b) => a.stap - b.stap || a.actie.localeCompare(b.actie)),
    perStatus: CONSULTATION_STATUSES.map((s) => ({ status: s, aantal: status.get(s) ?? 0 })),
    meldenVsHulp: mvh,
  };
}

export const CSV_HEADER = ['halfjaar', 'maand', 'gemeente', 'doelgroep', 'stap', 'actie', 'uitkomst', 'status', 'aantal'] as const;

function csvCell(v: string | number): string {
  let s = String(v);
  // Spreadsheet formula injection guard (values are codes, but stay safe).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Semicolon-separated (Dutch spreadsheet default), CRLF, header first; aggregated buckets only. */
export function countsToCsv(counts: ConsultationCount[], from: string | null, to: string | null): string {
  const merged = new Map<string, number>();
  for (const c of filterCounts(counts, from, to)) {
    const key = [halfjaarVan(c.maand), c.maand, c.gemeente ?? 'onbekend', c.doelgroep ?? 'onbekend', c.stap, c.actie, uitkomst(c.actie), c.status].join('\u0000');
    bump(merged, key, c.aantal);
  }
  const lines = [CSV_HEADER.join(';')];
  for (const [key, aantal] of [...merged.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push([...key.split('\u0000'), aantal].map(csvCell).join(';'));
  }
  return lines.join('\r\n') + '\r\n';
}
