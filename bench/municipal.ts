/**
 * Municipal API on a large table: seeds N records straight through the Db port (multi-row INSERTs inside
 * transactions, not via HTTP), then measures over HTTP: POST /api/v1/consultations (new record, fresh
 * Idempotency-Key) and GET /api/v1/consultations?status=open&gemeente=… (first page).
 */
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { startMunicipalApi, hashToken } from '../src/api';
import { canonicalHash } from '../src/api/store';
import type { Db } from '../src/store/db';
import { openDb, runMigrations } from '../src/store';
import { MUNICIPAL_MIGRATIONS } from '../src/api';
import { silentLogger } from '../src/records/logger';
import type { MunicipalRecord } from '../src/records/schema';
import { request } from '../test/support/mockConnector';
import { closedLoop, summarise, type LatencySummary } from './stats';

const GEMEENTEN = ['GM0246', 'GM1708', 'GM0193', 'GM0148', 'GM0150', 'GM0166', 'GM0175', 'GM0160', 'GM1773', 'GM0177', 'GM1742', 'GM1896', 'GM0855'];
const DOELGROEPEN = ['kind', 'partner', 'oudere', 'volwassene'] as const;
const STATUSES = ['open', 'in-behandeling', 'afgerond', 'ingetrokken'] as const;
const ACTIES = ['signalen-in-kaart', 'collega-raadplegen', 'gesprek', 'wegen', 'melden', 'hulp-organiseren', 'afsluiten'] as const;

export function benchRecord(i: number, pseudonym: string): MunicipalRecord {
  const doelgroep = DOELGROEPEN[i % DOELGROEPEN.length]!;
  const stap = 1 + (i % 5);
  return {
    recordId: randomUUID(),
    gemeente: GEMEENTEN[i % GEMEENTEN.length]!,
    sector: 'onderwijs',
    doelgroep,
    leeftijdsgroep: doelgroep === 'kind' ? '4-11' : doelgroep === 'oudere' ? '65+' : '18-64',
    signalen: ['lichamelijk-letsel'],
    vormen: [],
    acuutGevaar: false,
    plegerIsMedewerker: false,
    disclosure: false,
    stappenGedaan: [1],
    afweging: { vermoeden: null, onveilig: null, zelfHulp: null, hulpAanvaard: null, resultaat: null },
    stap,
    actie: ACTIES[i % ACTIES.length]!,
    meldnorm: null,
    contactRollen: ['veilig-thuis'],
    overlegGevraagd: false,
    urgentie: null,
    // ~30 % open: the list filter has to skip the rest.
    status: i % 10 < 3 ? 'open' : STATUSES[1 + (i % 3)]!,
    maand: `2026-${String(1 + (i % 12)).padStart(2, '0')}`,
    aanvragerPseudoniem: pseudonym,
  };
}

/** Inserts `count` records in transactions of `perTx`, multi-row INSERTs of `perStatement`. */
export async function seedMunicipal(db: Db, count: number, perTx = 5000, perStatement = 250): Promise<number> {
  const pseudonym = randomBytes(32).toString('hex');
  const t0 = performance.now();
  for (let start = 0; start < count; start += perTx) {
    const end = Math.min(count, start + perTx);
    await db.transaction(async (tx) => {
      for (let s = start; s < end; s += perStatement) {
        const rows: string[] = [];
        const params: unknown[] = [];
        for (let i = s; i < Math.min(end, s + perStatement); i++) {
          const r = benchRecord(i, pseudonym);
          const base = params.length;
          rows.push(`(${Array.from({ length: 9 }, (_, k) => `$${base + k + 1}`).join(', ')}, 1)`);
          params.push(r.recordId, canonicalHash(r), r.status, r.gemeente, r.doelgroep, r.maand, r.stap, r.actie, JSON.stringify(r));
        }
        await tx.execute(
          `INSERT INTO municipal_consultations (record_id, body_hash, status, gemeente, doelgroep, maand, stap, actie, doc, version) VALUES ${rows.join(', ')}`,
          params,
        );
      }
    });
  }
  if (db.kind === 'postgres') await db.execute('ANALYZE municipal_consultations');
  else await db.execute('ANALYZE');
  return performance.now() - t0;
}

export interface MunicipalBenchResult {
  kind: 'sqlite' | 'postgres';
  records: number;
  seedMs: number;
  /** At `concurrency` clients. */
  create: LatencySummary;
  list: LatencySummary;
  /** One client at a time (the query's own latency, no queueing). */
  createSequential: LatencySummary;
  listSequential: LatencySummary;
  listItems: number;
  concurrency: number;
}

export async function benchMunicipal(dbUrl: string, opts: { records: number; creates: number; lists: number; concurrency: number }): Promise<MunicipalBenchResult> {
  const db = await openDb({ url: dbUrl });
  try {
    await runMigrations(db, MUNICIPAL_MIGRATIONS);
    const seedMs = await seedMunicipal(db, opts.records);
    const token = randomBytes(24).toString('base64url');
    const api = await startMunicipalApi({
      port: 0,
      host: '127.0.0.1',
      db,
      tokens: [{ name: 'bench', sha256: hashToken(token), scopes: ['consultations:read', 'consultations:write'] }],
      logger: silentLogger,
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
    const headers = { authorization: `Bearer ${token}` };
    const pseudonym = randomBytes(32).toString('hex');
    try {
      // Warm-up (JIT, statement caches, pool).
      for (let i = 0; i < 20; i++) {
        await request(`${api.url}/api/v1/consultations?status=open&gemeente=GM0246`, undefined, { agent, headers, method: 'GET' });
        await request(`${api.url}/api/v1/consultations`, benchRecord(i, pseudonym), { agent, headers: { ...headers, 'idempotency-key': randomUUID() } });
      }
      let bad = 0;
      let items = 0;
      const create = (n: number) =>
        closedLoop({
          concurrency: n,
          durationMs: 30_000,
          maxIterations: opts.creates,
          iteration: async (_w, i) => {
            const r = await request(`${api.url}/api/v1/consultations`, benchRecord(i, pseudonym), { agent, headers: { ...headers, 'idempotency-key': randomUUID() } });
            if (r.status !== 201) bad++;
            return { latencies: [r.ms], errors: r.status === 201 ? 0 : 1 };
          },
        });
      const list = (n: number) =>
        closedLoop({
          concurrency: n,
          durationMs: 30_000,
          maxIterations: opts.lists,
          iteration: async (_w, i) => {
            const g = GEMEENTEN[i % GEMEENTEN.length];
            const r = await request(`${api.url}/api/v1/consultations?status=open&gemeente=${g}`, undefined, { agent, headers, method: 'GET' });
            if (r.status === 200) items = Math.max(items, (JSON.parse(r.body) as { items: unknown[] }).items.length);
            else bad++;
            return { latencies: [r.ms], errors: r.status === 200 ? 0 : 1 };
          },
        });
      const createSequential = await create(1);
      const listSequential = await list(1);
      const creates = await create(opts.concurrency);
      const lists = await list(opts.concurrency);
      if (bad) throw new Error(`municipal bench: ${bad} requests failed`);
      return {
        kind: db.kind,
        records: opts.records,
        seedMs,
        create: summarise(creates.latencies),
        list: summarise(lists.latencies),
        createSequential: summarise(createSequential.latencies),
        listSequential: summarise(listSequential.latencies),
        listItems: items,
        concurrency: opts.concurrency,
      };
    } finally {
      agent.destroy();
      await api.close();
    }
  } finally {
    await db.close();
  }
}
