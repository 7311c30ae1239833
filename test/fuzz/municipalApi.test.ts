/**
 * Fuzzing the municipal API over HTTP (SQLite file): hostile record bodies (valid records with one field replaced,
 * extra and prototype keys, arbitrary JSON, deep nesting, oversized, wrong content types), idempotency keys, query
 * strings, cursors, ids and status patches. Bounded and reproducible (fast-check, fixed seeds).
 *
 * Holds: no 5xx; every 4xx is application/problem+json whose `status` equals the HTTP status; a 2xx create stored
 * exactly what schema validation allows (read back equal); no unhandled rejection; Object.prototype stays clean;
 * the API is healthy afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { hashToken, startMunicipalApi, type RunningMunicipalApi } from '../../src/api';
import { MunicipalRecord } from '../../src/records/schema';
import { memoryLogger } from '../../src/records/logger';
import { sampleRecord } from '../support/fixtures';
import { request, type HttpResult } from '../support/mockConnector';

const TOKEN = 'fuzz-' + 'f'.repeat(30);
const FIELDS = Object.keys(sampleRecord()) as Array<keyof ReturnType<typeof sampleRecord>>;

const weird = fc.constantFrom('\uD800', '\u202E', '\u200B', '\u0000', '__proto__', 'constructor', '', ' ', 'GM0246', 'open', 'x'.repeat(70_000), '1e309', 'NaN', '-0');
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  weird,
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(null, true, [], {}, [null], { $gt: '' }, Array.from({ length: 200 }, () => 'lichamelijk-letsel')),
);
const protoJson = fc.constantFrom(
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"afweging":{"__proto__":{"polluted":true},"vermoeden":null,"onveilig":null,"zelfHulp":null,"hulpAanvaard":null,"resultaat":null}}',
);

describe('fuzz: municipal API', () => {
  let dir: string;
  let api: RunningMunicipalApi;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);
  const logger = memoryLogger();
  const auth = { authorization: `Bearer ${TOKEN}` };
  let created = 0;

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-fuzz-api-'));
    api = await startMunicipalApi({
      port: 0,
      dbUrl: `sqlite:${path.join(dir, 'municipal.db')}`,
      logger,
      tokens: [{ name: 'fuzz', sha256: hashToken(TOKEN), scopes: ['consultations:read', 'consultations:write'] }],
    });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    agent.destroy();
    await api?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function check(r: HttpResult): void {
    if (r.status >= 500) throw new Error(`5xx: ${r.status} ${r.body.slice(0, 300)}`);
    if (r.status >= 400) {
      if (!/^application\/problem\+json/.test(String(r.headers['content-type']))) throw new Error(`4xx without problem+json: ${r.status} ${r.headers['content-type']}`);
      const p = JSON.parse(r.body) as { status?: number; type?: string; title?: string };
      if (p.status !== r.status || typeof p.type !== 'string' || typeof p.title !== 'string') throw new Error(`bad problem body: ${r.body.slice(0, 300)}`);
    }
  }

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    request(`${api.url}/api/v1/consultations`, body, { agent, headers: { ...auth, 'idempotency-key': randomUUID(), ...headers } });

  test('records with one field replaced, removed or added (incl. prototype keys)', async () => {
    const mutation = fc.record({
      field: fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'recordid')),
      value: anyValue,
      remove: fc.boolean(),
      nested: fc.option(fc.constantFrom(...Object.keys(sampleRecord().afweging)), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const record = sampleRecord() as unknown as Record<string, unknown>;
        // Built as JSON text so `__proto__` is an own key, as it is on the wire.
        let text: string;
        if (m.nested) {
          const afweging = { ...(record.afweging as object) } as Record<string, unknown>;
          if (m.remove) delete afweging[m.nested];
          else afweging[m.nested] = m.value;
          text = JSON.stringify({ ...record, afweging });
        } else if (m.remove) {
          delete record[m.field];
          text = JSON.stringify(record);
        } else {
          const rest = JSON.stringify({ ...record, [m.field]: undefined });
          text = `${rest.slice(0, -1)},${JSON.stringify(m.field)}:${JSON.stringify(m.value) ?? 'null'}}`;
        }
        const r = await post(text);
        check(r);
        const valid = MunicipalRecord.safeParse(JSON.parse(text)).success;
        if (r.status === 201) {
          created++;
          if (!valid) throw new Error(`schema-invalid record accepted: ${text.slice(0, 300)}`);
          const id = (JSON.parse(text) as { recordId: string }).recordId;
          const back = await request(`${api.url}/api/v1/consultations/${id}`, undefined, { agent, method: 'GET', headers: auth });
          if (back.status !== 200) throw new Error(`created record not readable: ${back.status}`);
        }
      }),
      { numRuns: 600, seed: 1337, endOnFailure: true },
    );
    expect(created).toBeGreaterThan(0);
  }, 60_000);

  test('arbitrary bodies, content types, lengths and idempotency keys', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 100 }),
      protoJson,
      fc.constantFrom('', '{', 'null', '[]', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '['.repeat(60_000) + ']'.repeat(60_000), `{"a":"${'x'.repeat(70_000)}"}`),
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from([0xc3, 0x28, ...b])),
    );
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/problem+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/json, text/plain');
    const key = fc.oneof(fc.uuid(), fc.string({ unit: 'binary-ascii', minLength: 0, maxLength: 250 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s)), fc.constantFrom('', ' ', '__proto__', 'x'.repeat(201)));
    await fc.assert(
      fc.asyncProperty(body, contentType, key, async (b, ct, k) => {
        const r = await request(`${api.url}/api/v1/consultations`, b, { agent, headers: { ...auth, 'content-type': ct, 'idempotency-key': k } });
        check(r);
        if (r.status < 300 && r.status >= 200) created++;
      }),
      { numRuns: 400, seed: 99, endOnFailure: true },
    );
  }, 60_000);

  test('query strings, cursors, ids and status patches', async () => {
    const existing = sampleRecord();
    expect((await post(existing)).status).toBe(201);
    const param = fc.constantFrom('status', 'gemeente', 'doelgroep', 'from', 'to', 'limit', 'cursor', '__proto__', 'constructor', 'x', 'status[]', 'limit[$gt]');
    const value = fc.oneof(
      fc.constantFrom('open', 'open,afgerond', 'GM0246', 'kind', '2026-01', '2026-13', '0', '1', '100', '101', '-1', '1e2', '', 'eyJzIjoxfQ', 'eyJzIjotMX0', 'eyJzIjoiMSJ9', 'eyJfX3Byb3RvX18iOnsicyI6MX19', 'bnVsbA'),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.base64String({ maxLength: 40 }),
    );
    const request_ = fc.oneof(
      fc.array(fc.tuple(param, value), { maxLength: 5 }).map((pairs) => ({ method: 'GET', path: `/api/v1/consultations?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`, body: undefined as unknown })),
      fc.array(fc.tuple(param, value), { maxLength: 5 }).map((pairs) => ({ method: 'GET', path: `/api/v1/consultations/stats?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`, body: undefined as unknown })),
      fc.oneof(fc.uuid(), fc.string({ unit: 'binary', maxLength: 50 }), fc.constantFrom(existing.recordId, existing.recordId.toUpperCase(), '..', '%2e%2e', '__proto__', 'stats', 'openapi.json')).map((id) => ({ method: 'GET', path: `/api/v1/consultations/${encodeURIComponent(id)}`, body: undefined as unknown })),
      fc.tuple(fc.oneof(fc.uuid(), fc.constant(existing.recordId), fc.string({ maxLength: 20 })), fc.oneof(fc.record({ status: fc.oneof(fc.constantFrom('open', 'in-behandeling', 'afgerond', 'ingetrokken', 'verwijderd'), anyValue) }), anyValue)).map(([id, b]) => ({ method: 'PATCH', path: `/api/v1/consultations/${encodeURIComponent(id)}`, body: JSON.stringify(b) ?? 'null' })),
      fc.constantFrom('DELETE', 'PUT', 'OPTIONS', 'HEAD', 'TRACE').map((m) => ({ method: m, path: '/api/v1/consultations', body: undefined as unknown })),
    );
    await fc.assert(
      fc.asyncProperty(request_, async (q) => {
        const r = await request(`${api.url}${q.path}`, q.body, { agent, method: q.method, headers: q.method === 'PATCH' ? { ...auth, 'idempotency-key': randomUUID() } : auth });
        if (q.method === 'HEAD') {
          if (r.status >= 500) throw new Error(`5xx on HEAD: ${r.status}`);
          return;
        }
        check(r);
      }),
      { numRuns: 600, seed: 31337, endOnFailure: true },
    );
  }, 60_000);

  test('afterwards: no unhandled rejection, prototypes clean, healthy, and the API logged no unhandled errors', async () => {
    expect(rejections).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await request(`${api.url}/healthz`, undefined, { method: 'GET' })).status).toBe(200);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
    const valid = sampleRecord();
    expect((await post(valid)).status).toBe(201);
  });
});
