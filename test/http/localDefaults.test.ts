/**
 * On the embedded defaults (`npm start` without a municipal API URL) a developer or a privacy officer can read what
 * reaches the municipality: a read-only token, stable across restarts (data/municipal-read.token), lists the records
 * and cannot write them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/testApp';
import { newConsultation } from '../support/fixtures';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const listUrl = () => `${t.app.municipalApi!.url}/api/v1/consultations`;

test('the local read token lists the records that reached the embedded municipal API', async () => {
  const token = t.app.municipalReadToken!;
  expect(token).toMatch(/^[0-9a-f]{64}$/);
  expect(fs.readFileSync(path.join(t.dir, 'municipal-read.token'), 'utf8').trim()).toBe(token);

  const created = await t.app.repo.create(newConsultation());
  t.app.worker!.wake();
  await t.app.worker!.flush();

  const res = await fetch(listUrl(), { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: Array<Record<string, unknown>> };
  expect(body.items.length).toBe(1);
  expect(body.items[0]).toMatchObject({ gemeente: 'GM0246', sector: 'onderwijs' });
  expect(JSON.stringify(body)).not.toContain(created.nummer);
});

test('the read token cannot write, and no token reads nothing', async () => {
  const token = t.app.municipalReadToken!;
  const write = await fetch(listUrl(), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'k-1' }, body: '{}' });
  expect(write.status).toBe(403);
  const anon = await fetch(listUrl());
  expect(anon.status).toBe(401);
});
