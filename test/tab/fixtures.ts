/**
 * Test fixtures for the tab: an in-memory ConsultationRepository & ConsultationStats that follows the port's contract
 * (newest first, filters, cursor paging, compare-and-set update, aggregated counts), and consultation builders.
 * The server tests can also run against the real repository (src/consultation/repository.ts) — see repoFactory.ts.
 */
import type {
  Actor,
  ConsultationCount,
  ConsultationFilter,
  ConsultationPage,
  ConsultationRepository,
  ConsultationStats,
  LocalConsultation,
  NewConsultation,
} from '../../src/consultation/ports';
import type { Actie, Doelgroep } from '../../src/meldcode/types';

export type TabRepo = ConsultationRepository & ConsultationStats;

export interface Seed {
  nummer?: string;
  gemeente?: string;
  doelgroep?: Doelgroep;
  leeftijdsgroep?: '0-3' | '4-11' | '12-17' | '18-64' | '65+';
  requesterId: string;
  status?: LocalConsultation['status'];
  urgentie?: LocalConsultation['urgentie'];
  stap?: 1 | 2 | 3 | 4 | 5;
  actie?: Actie;
  createdAt?: string;
}

export function newConsultation(s: Seed): NewConsultation {
  return {
    case: {
      ...(s.gemeente ? { gemeente: s.gemeente } : {}),
      sector: 'onderwijs',
      ...(s.doelgroep ? { doelgroep: s.doelgroep } : {}),
      ...(s.leeftijdsgroep ? { leeftijdsgroep: s.leeftijdsgroep } : {}),
    },
    advice: { stap: s.stap ?? 2, actie: s.actie ?? 'collega-raadplegen', meldnorm: null, kindcheck: false, contacten: [], tekst: 'Advies' },
    requesterId: s.requesterId,
    overlegGevraagd: true,
    urgentie: s.urgentie ?? null,
  };
}

export class FakeRepo implements TabRepo {
  readonly rows = new Map<string, LocalConsultation>();
  readonly audits: Array<{ nummer: string; at: string; actorId: string; action: string; from: string | null; to: string | null }> = [];
  private seq = 0;

  seed(s: Seed): LocalConsultation {
    const n = newConsultation(s);
    const createdAt = s.createdAt ?? new Date(Date.UTC(2026, 0, 1) + this.seq * 3600_000).toISOString();
    const c: LocalConsultation = {
      // A valid number (src/consultation/ports.ts NUMMER_PATTERN): the sequence with 0/1 written as A/B.
      nummer: s.nummer ?? `MW-T${String(++this.seq).padStart(5, '0').replace(/[01]/g, (d) => (d === '0' ? 'A' : 'B'))}`,
      status: s.status ?? 'open',
      case: n.case,
      advice: n.advice,
      overlegGevraagd: true,
      urgentie: n.urgentie ?? null,
      bereikbaarheid: null,
      contactRol: null,
      requesterId: n.requesterId,
      assigneeId: null,
      assigneeName: null,
      note: null,
      createdAt,
      updatedAt: createdAt,
      version: 1,
    };
    if (s.nummer) this.seq++;
    this.rows.set(c.nummer, c);
    return c;
  }

  async create(input: NewConsultation): Promise<LocalConsultation> {
    return this.seed({ requesterId: input.requesterId, ...(input.case.gemeente ? { gemeente: input.case.gemeente } : {}) });
  }

  async get(nummer: string): Promise<LocalConsultation | null> {
    const c = this.rows.get(nummer);
    return c ? structuredClone(c) : null;
  }

  private matches(c: LocalConsultation, f: ConsultationFilter): boolean {
    if (f.status && !f.status.includes(c.status)) return false;
    if (f.gemeenten && !(c.case.gemeente && f.gemeenten.includes(c.case.gemeente))) return false;
    if (f.doelgroep && c.case.doelgroep !== f.doelgroep) return false;
    if (f.urgentie && c.urgentie !== f.urgentie) return false;
    if (f.requesterId && c.requesterId !== f.requesterId) return false;
    return true;
  }

  async list(f: ConsultationFilter): Promise<ConsultationPage> {
    const all = [...this.rows.values()]
      .filter((c) => this.matches(c, f))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.nummer.localeCompare(a.nummer)));
    const offset = f.cursor ? Number(f.cursor) : 0;
    const limit = f.limit ?? 50;
    const items = all.slice(offset, offset + limit).map((c) => structuredClone(c));
    return { items, nextCursor: offset + limit < all.length ? String(offset + limit) : null };
  }

  async update(
    nummer: string,
    expectedVersion: number,
    patch: Parameters<ConsultationRepository['update']>[2],
    actor: Actor,
    action: string,
  ): Promise<LocalConsultation | null> {
    const c = this.rows.get(nummer);
    if (!c || c.version !== expectedVersion) return null;
    const from = c.status;
    Object.assign(c, patch, { version: c.version + 1, updatedAt: new Date().toISOString() });
    this.audits.push({ nummer, at: c.updatedAt, actorId: actor.userId, action, from, to: c.status });
    return structuredClone(c);
  }

  async audit(nummer: string) {
    return this.audits.filter((a) => a.nummer === nummer).map(({ nummer: _n, ...rest }) => rest);
  }

  async counts(filter: { gemeenten?: string[]; from?: string; to?: string }): Promise<ConsultationCount[]> {
    const buckets = new Map<string, ConsultationCount>();
    for (const c of this.rows.values()) {
      if (filter.gemeenten && !(c.case.gemeente && filter.gemeenten.includes(c.case.gemeente))) continue;
      if (filter.from && c.createdAt < filter.from) continue;
      if (filter.to && c.createdAt >= filter.to) continue;
      const b: ConsultationCount = {
        maand: c.createdAt.slice(0, 7),
        gemeente: c.case.gemeente ?? null,
        doelgroep: c.case.doelgroep ?? null,
        stap: c.advice.stap,
        actie: c.advice.actie,
        status: c.status,
        aantal: 0,
      };
      const key = JSON.stringify({ ...b, aantal: 0 });
      const prev = buckets.get(key) ?? b;
      prev.aantal++;
      buckets.set(key, prev);
    }
    return [...buckets.values()];
  }
}
