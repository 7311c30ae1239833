/**
 * Starts the tab routes on 127.0.0.1 with a repository and a test access policy, and seeds a standard data set.
 * Uses the real repository (src/records/repository.ts on an in-memory SQLite db) when it exists, else FakeRepo.
 */
import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import { parseAccessPolicy, type AccessPolicy } from '../../src/access';
import type { LocalConsultation } from '../../src/consultations/ports';
import { createTabServer } from '../../src/tab/routes';
import type { TabAuthConfig } from '../../src/tab/auth';
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

/** The real repository when the records module exists; null otherwise. */
export async function realRepo(): Promise<{ repo: TabRepo; close(): Promise<void> } | null> {
  let store: { openDb(c: { url: string }): Promise<unknown> | unknown; migrate(db: unknown): Promise<unknown> | unknown };
  let records: { createConsultationRepository(db: unknown, o: { pseudonymSecret: string }): TabRepo };
  try {
    // Runtime paths (not static imports) so this file compiles before the module lands.
    const storePath = '../../src/store';
    const recordsPath = '../../src/records/repository';
    store = require(storePath);
    records = require(recordsPath);
  } catch {
    return null;
  }
  if (typeof store.openDb !== 'function' || typeof records.createConsultationRepository !== 'function') return null;
  const db = (await store.openDb({ url: 'sqlite::memory:' })) as { close?: () => Promise<void> };
  await store.migrate(db);
  const repo = records.createConsultationRepository(db, { pseudonymSecret: 'test-pseudonym-secret-0123456789abcdef' });
  return { repo, close: async () => void (await db.close?.()) };
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

/** Seeds the standard set; returns key → nummer. With the real repository createdAt is "now" and statuses are set via update. */
export async function seedStandard(repo: TabRepo): Promise<Record<SeedKey, string>> {
  const out = {} as Record<SeedKey, string>;
  for (const key of Object.keys(STANDARD) as SeedKey[]) {
    const s = STANDARD[key];
    let c: LocalConsultation;
    if (repo instanceof FakeRepo) c = repo.seed(s);
    else {
      c = await repo.create(newConsultation(s));
      if (s.status && s.status !== c.status) {
        const u = await repo.update(c.nummer, c.version, { status: s.status }, { userId: 'seed' }, 'seed');
        if (!u) throw new Error('seed update failed');
      }
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
