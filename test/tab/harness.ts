/**
 * Starts the tab routes on 127.0.0.1 with a repository and a test access policy, and seeds a standard data set.
 * Server and browser tests use the real repository (src/consultation/repository.ts on in-memory SQLite); FakeRepo
 * (fixtures.ts) serves the servers that need no data.
 */
import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import { parseAccessPolicy, type AccessPolicy } from '../../src/coordinator/access';
import type { LocalConsultation } from '../../src/consultation/ports';
import { createTabServer } from '../../src/tab/routes';
import type { TabAuthConfig } from '../../src/tab/auth';
import { createConsultationRepository } from '../../src/consultation/repository';
import { migrate, openDb } from '../../src/store';
import { FakeRepo, newConsultation, type Seed, type TabRepo } from './fixtures';

export const COORD_HEERDE = 'dev-coordinator-heerde';
export const COORD_ZWOLLE = 'dev-coordinator-zwolle';
export const PROF = 'dev-professional-1';
export const ENTRA_COORD = '0c0c0c0c-0000-4000-8000-000000000246';
export const ENTRA_UNKNOWN = '0d0d0d0d-0000-4000-8000-000000000999';
export const OTHER_REQUESTER = '0e0e0e0e-0000-4000-8000-000000000001';

export const testPolicy: AccessPolicy = parseAccessPolicy({
  version: 1,
  users: [
    { id: COORD_HEERDE, kind: 'dev', role: 'coordinator', functie: 'aandachtsfunctionaris', label: 'AF Heerde (test)', gemeenten: ['GM0246'] },
    { id: COORD_ZWOLLE, kind: 'dev', role: 'coordinator', functie: 'procescoordinator', label: 'PC Zwolle (test)', gemeenten: ['GM0193'] },
    { id: PROF, kind: 'dev', role: 'professional', label: 'Professional (test)' },
    { id: ENTRA_COORD, kind: 'entra', role: 'coordinator', functie: 'beleidsadviseur', label: 'BA Heerde (test)', gemeenten: ['GM0246'] },
  ],
});

/** A clock the seeding moves, so the real repository stamps createdAt (and the stats month) as the seed says. */
export interface TestClock {
  at: Date | null;
}

/** The real repository (src/consultation/repository.ts) on an in-memory SQLite db, with a settable clock. */
export async function realRepo(): Promise<{ repo: TabRepo; clock: TestClock; close(): Promise<void> }> {
  const db = await openDb({ url: 'sqlite::memory:' });
  await migrate(db);
  const clock: TestClock = { at: null };
  const repo = createConsultationRepository(db, {
    pseudonymSecret: 'test-pseudonym-secret-0123456789abcdef',
    now: () => clock.at ?? new Date(),
  });
  return { repo, clock, close: () => db.close() };
}

export type SeedKey = 'H1' | 'H2' | 'H3' | 'H4' | 'Z1' | 'N1';
export const STANDARD: Record<SeedKey, Seed> = {
  H1: { gemeente: 'GM0246', doelgroep: 'kind', leeftijdsgroep: '4-11', requesterId: PROF, urgentie: 'vandaag', stap: 2, actie: 'collega-raadplegen', createdAt: '2026-02-03T09:00:00.000Z' },
  H2: { gemeente: 'GM0246', doelgroep: 'partner', requesterId: OTHER_REQUESTER, status: 'in-behandeling', urgentie: 'deze-week', stap: 4, actie: 'wegen', createdAt: '2026-03-10T09:00:00.000Z' },
  H3: { gemeente: 'GM0246', doelgroep: 'kind', leeftijdsgroep: '0-3', requesterId: OTHER_REQUESTER, status: 'afgerond', stap: 5, actie: 'melden', createdAt: '2026-08-01T09:00:00.000Z' },
  H4: { gemeente: 'GM0246', doelgroep: 'oudere', requesterId: OTHER_REQUESTER, urgentie: 'geen-haast', stap: 5, actie: 'hulp-organiseren', createdAt: '2026-09-15T09:00:00.000Z' },
  Z1: { gemeente: 'GM0193', doelgroep: 'oudere', requesterId: PROF, stap: 3, actie: 'gesprek', createdAt: '2026-04-01T09:00:00.000Z' },
  N1: { doelgroep: 'volwassene', requesterId: PROF, stap: 1, actie: 'signalen-in-kaart', createdAt: '2026-05-01T09:00:00.000Z' },
};

/** Path through the repository's transitions to reach a seeded status. */
const PATH: Record<LocalConsultation['status'], LocalConsultation['status'][]> = {
  open: [],
  'in-behandeling': ['in-behandeling'],
  afgerond: ['in-behandeling', 'afgerond'],
  ingetrokken: ['ingetrokken'],
};

/** Seeds a set (default: STANDARD); returns key → nummer. Statuses are reached through repo.update. */
export async function seedStandard<K extends string = SeedKey>(repo: TabRepo, clock?: TestClock, seeds: Record<K, Seed> = STANDARD as unknown as Record<K, Seed>): Promise<Record<K, string>> {
  const out = {} as Record<K, string>;
  for (const key of Object.keys(seeds) as K[]) {
    const s = seeds[key];
    let c: LocalConsultation;
    if (repo instanceof FakeRepo) c = repo.seed(s);
    else {
      if (clock) clock.at = s.createdAt ? new Date(s.createdAt) : null;
      c = await repo.create(newConsultation(s));
      for (const status of PATH[s.status ?? 'open']) {
        const u = await repo.update(c.nummer, c.version, { status }, { userId: 'seed' }, 'seed');
        if (!u) throw new Error('seed update failed');
        c = u;
      }
      if (clock) clock.at = null;
    }
    out[key] = c.nummer;
  }
  return out;
}

export interface RunningTab {
  baseUrl: string;
  server: restify.Server;
  repo: TabRepo;
  close(): Promise<void>;
}

export async function startTab(opts: { repo: TabRepo; auth: TabAuthConfig; access?: AccessPolicy; env?: NodeJS.ProcessEnv }): Promise<RunningTab> {
  const server = createTabServer({
    repo: opts.repo,
    access: opts.access ?? testPolicy,
    auth: opts.auth,
    env: opts.env ?? { NODE_ENV: 'test' },
    logger: { warn: () => {}, error: (m, meta) => console.error(m, meta) },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    server,
    repo: opts.repo,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        (server.server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
