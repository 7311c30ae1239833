/**
 * Proactive notifications through the real CloudAdapter (no app id → unauthenticated) against a mock Bot
 * Framework connector on loopback: delivery, 403/404 → deputy → channel → "call them / Veilig Thuis",
 * 412/429 retries honouring Retry-After, the durable outbox, and a restart between request and pick-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { createAdapter } from '../../src/bot/adapter';
import { silentLogger } from '../../src/records/logger';
import { notificationsOf } from '../../src/overleg/outbox';
import { advise } from '../../src/meldcode/engine';
import { OverlegHarness, USERS, buttonsOf, factsOf, openStore, requestTyped, startMockConnector, testPolicy, type User } from '../support/overlegHarness';

type Connector = Awaited<ReturnType<typeof startMockConnector>>;
const conv = (u: User) => `personal-${u.id}`;
const KANAAL = '19:stw-veiligheid@thread.tacv2';

let connector: Connector;
beforeAll(async () => {
  connector = await startMockConnector();
});
afterAll(async () => {
  await connector.close();
});
beforeEach(() => {
  connector.reset();
});

async function setup(opts: { url?: string; fallbackAfterAttempts?: number } = {}) {
  const store = await openStore(opts.url);
  const adapter = createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', tenantId: '' }, silentLogger);
  const h = new OverlegHarness(
    store,
    testPolicy(),
    { adapter, fallbackAfterAttempts: opts.fallbackAfterAttempts },
    new MemoryStorage(),
    connector.url,
  );
  const drain = () => h.feature.worker!.drain({ timeoutMs: 15_000 });
  return { h, store, drain };
}

/** The user talks to the bot once, so the bot stores their conversation reference (as in Teams). */
async function hello(h: OverlegHarness, ...users: User[]) {
  for (const u of users) await h.say(u, 'help');
}

const textsTo = (u: User) => connector.to(conv(u)).map((r) => r.body?.text as string);
const cardsTo = (id: string) => connector.to(id).map((r) => (r.body?.attachments ?? r.body?.activity?.attachments)?.[0]?.content).filter(Boolean);

describe('proactive overleg notifications via CloudAdapter on a loopback connector', () => {
  test('the contact gets an Adaptive Card 1.5 in their own chat; after pick-up the requester is told, by name', async () => {
    const { h, store, drain } = await setup();
    await hello(h, USERS.afJeugd, USERS.afVolwassenen);
    const { nummer } = await requestTyped(h, USERS.leerkracht, { gemeente: 'GM0246', doelgroep: 'kind' });
    expect(connector.requests).toHaveLength(0); // sent by the worker, not in the requester's turn
    await drain();
    const posts = connector.to(conv(USERS.afJeugd));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.method).toBe('POST');
    expect(posts[0]!.path).toBe(`/v3/conversations/${encodeURIComponent(conv(USERS.afJeugd))}/activities`);
    const att = posts[0]!.body.attachments[0];
    expect(att.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(att.content.version).toBe('1.5');
    expect(att.content.refresh.userIds).toEqual(['29:af-jeugd', '29:af-volw', '29:leerkracht']);
    expect(buttonsOf(att.content)).toEqual(['Oppakken', 'Chat met aanvrager']);
    expect(posts[0]!.body.recipient).toMatchObject({ id: '29:af-jeugd' });
    expect(connector.to(conv(USERS.afVolwassenen))).toHaveLength(0);

    const r = await h.click(USERS.afJeugd, att.content, 'Oppakken');
    expect(factsOf(r.card).Status).toBe('Opgepakt door AF Jeugd');
    await drain();
    expect(textsTo(USERS.leerkracht).filter((x) => x.includes(nummer))).toEqual([`Uw verzoek om overleg ${nummer} is bezorgd bij: Aandachtsfunctionaris Jeugd (team STIP Heerde). U hoort het hier zodra het is opgepakt.`, `Uw verzoek om overleg ${nummer} is opgepakt door AF Jeugd.`]);
    const rows = await notificationsOf(store.db, nummer);
    expect(rows.map((n) => [n.kind, n.status])).toEqual([
      ['request', 'delivered'],
      ['message', 'delivered'], // "bezorgd"
      ['message', 'delivered'], // "opgepakt"
    ]);
    expect(JSON.parse(rows[0]!.result!)).toMatchObject({ resolution: 'direct', reached: 1 });
  });

  test('403 (bot blocked) for the contact → the deputy gets it, and the requester is told which fallback was used', async () => {
    const { h, store, drain } = await setup();
    await hello(h, USERS.afJeugd, USERS.afVolwassenen);
    connector.fail(conv(USERS.afJeugd), 403, 10);
    const { nummer } = await requestTyped(h, USERS.leerkracht, { gemeente: 'GM0246', doelgroep: 'kind' });
    await drain();
    expect(connector.to(conv(USERS.afJeugd))).toHaveLength(1); // 403 is not retried
    expect(cardsTo(conv(USERS.afVolwassenen))).toHaveLength(1);
    expect(textsTo(USERS.leerkracht)).toEqual([
      `Aandachtsfunctionaris Jeugd (team STIP Heerde) kon niet rechtstreeks worden bereikt. Uw verzoek ${nummer} is bezorgd bij de plaatsvervanger.`,
    ]);
    const [req] = await notificationsOf(store.db, nummer);
    expect(JSON.parse(req!.result!)).toMatchObject({ resolution: 'plaatsvervanger' });
    expect(JSON.parse(req!.progress!)).toEqual({ delivered: ['dev-af-volwassenen-heerde'], gone: ['dev-af-jeugd-heerde'] });
    // The deputy may pick it up.
    const r = await h.click(USERS.afVolwassenen, cardsTo(conv(USERS.afVolwassenen))[0], 'Oppakken');
    expect(factsOf(r.card).Status).toBe('Opgepakt door AF Volwassenen');
  });

  test('contact gone (404) and deputy never talked to the bot → a new post in the contact\'s Teams channel', async () => {
    const { h, store, drain } = await setup();
    await hello(h, USERS.procescoordinator);
    connector.fail(conv(USERS.procescoordinator), 404, 10);
    const { nummer } = await requestTyped(h, USERS.consulent, { gemeente: 'GM1708', doelgroep: 'oudere' });
    await drain();
    const create = connector.requests.filter((r) => r.path === '/v3/conversations');
    expect(create).toHaveLength(1);
    expect(create[0]!.body).toMatchObject({ isGroup: true, channelData: { channel: { id: KANAAL }, tenant: { id: 'tenant-1' } }, tenantId: 'tenant-1' });
    const card = create[0]!.body.activity.attachments[0].content;
    expect(factsOf(card)).toMatchObject({ Consultatienummer: nummer, Doelgroep: 'Een oudere' });
    expect(textsTo(USERS.consulent)).toEqual([
      `Procescoördinator huiselijk geweld (gemeente Steenwijkerland) kon niet rechtstreeks worden bereikt. Uw verzoek ${nummer} is geplaatst in het Teams-kanaal van Procescoördinator huiselijk geweld (gemeente Steenwijkerland).`,
    ]);
    expect(JSON.parse((await notificationsOf(store.db, nummer))[0]!.result!)).toMatchObject({ resolution: 'kanaal' });
  });

  test('nobody reachable (contact 403, no deputy reference, channel 403) → the requester is told to call, or Veilig Thuis 0800-2000', async () => {
    const { h, store, drain } = await setup();
    await hello(h, USERS.procescoordinator);
    connector.fail(conv(USERS.procescoordinator), 403, 10);
    connector.fail(KANAAL, 403, 10);
    const { nummer } = await requestTyped(h, USERS.consulent, { gemeente: 'GM1708', doelgroep: 'kind' });
    await drain();
    const [msg] = textsTo(USERS.consulent);
    expect(msg).toContain(`kon via Teams niet worden bereikt voor uw verzoek ${nummer}`);
    expect(msg).toContain('of bel Veilig Thuis: 0800-2000');
    expect(JSON.parse((await notificationsOf(store.db, nummer))[0]!.result!)).toMatchObject({ resolution: 'geen', reached: 0 });
    expect((await store.repo.get(nummer))!.status).toBe('open');
  });

  test('412 is retried by the notification outbox with exponential backoff until Teams accepts it', async () => {
    const { h, store, drain } = await setup();
    await hello(h, USERS.toegang);
    connector.fail(conv(USERS.toegang), 412, 2);
    const { nummer } = await requestTyped(h, USERS.leerkracht, { gemeente: 'GM0855', doelgroep: 'kind' });
    await drain();
    const posts = connector.to(conv(USERS.toegang));
    expect(posts).toHaveLength(3);
    // The waits between the tries are the outbox backoff (full jitter, so not monotonic per run; see sending.test.ts).
    const [req] = await notificationsOf(store.db, nummer);
    expect(req).toMatchObject({ status: 'delivered', attempts: 3 }); // one HTTP call per outbox attempt (412 is not retried by the connector)
    expect(textsTo(USERS.leerkracht)).toEqual([`Uw verzoek om overleg ${nummer} is bezorgd bij: De Toegang Tilburg (GGD, IMW, MEE): eerste aanspreekpunt. U hoort het hier zodra het is opgepakt.`]); // reached directly: "bezorgd", no fallback message
  });

  test('429 with Retry-After: the wait is honoured before trying again', async () => {
    const { h, store, drain } = await setup();
    await hello(h, USERS.toegang);
    // The connector client itself retries 429 three times; the fifth request is the notification outbox's next attempt.
    connector.fail(conv(USERS.toegang), 429, 4, { 'Retry-After': '1' });
    const { nummer } = await requestTyped(h, USERS.leerkracht, { gemeente: 'GM0855', doelgroep: 'partner' });
    await drain();
    const posts = connector.to(conv(USERS.toegang));
    expect(posts).toHaveLength(5);
    expect(posts[4]!.at - posts[3]!.at).toBeGreaterThanOrEqual(950); // Retry-After: 1 s, our own backoff is 20 ms
    expect((await notificationsOf(store.db, nummer))[0]).toMatchObject({ status: 'delivered' });
  }, 20_000);

  test('a notification that keeps failing stays in the durable outbox and is delivered by a later round', async () => {
    const { h, store } = await setup({ fallbackAfterAttempts: 10 });
    await hello(h, USERS.toegang);
    connector.fail(conv(USERS.toegang), 412, 3);
    const { nummer } = await requestTyped(h, USERS.leerkracht, { gemeente: 'GM0855', doelgroep: 'kind' });
    await h.feature.worker!.flush();
    let [req] = await notificationsOf(store.db, nummer);
    expect(req).toMatchObject({ status: 'pending', attempts: 1, last_status: 412 });
    expect(Date.parse(req!.next_attempt_at)).toBeGreaterThan(Date.now() - 5);
    await h.feature.worker!.drain({ timeoutMs: 10_000 });
    [req] = await notificationsOf(store.db, nummer);
    expect(req).toMatchObject({ status: 'delivered', attempts: 4 });
    expect(connector.to(conv(USERS.toegang))).toHaveLength(4);
    expect(JSON.parse(req!.result!)).toMatchObject({ resolution: 'direct' });
  });

  test('a restart between request and pick-up loses nothing: references and notifications are in the database', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mw-overleg-'));
    const url = `sqlite:${path.join(dir, 'bot.db')}`;
    try {
      // Instance 1: the contact has talked to the bot; a request is made; the process stops before delivering.
      const one = await setup({ url });
      await hello(one.h, USERS.afJeugd);
      const { nummer } = await requestTyped(one.h, USERS.leerkracht, { gemeente: 'GM0246', doelgroep: 'kind' });
      // A request recorded just before a crash, whose notification was never queued.
      const orphan = await one.store.repo.create({
        case: { gemeente: 'GM0246', doelgroep: 'kind', leeftijdsgroep: '0-3' },
        advice: advise({ gemeente: 'GM0246', doelgroep: 'kind' }, one.h.policy),
        requesterId: 'aad-leerkracht',
        overlegGevraagd: true,
        urgentie: 'deze-week',
        bereikbaarheid: 'telefoon',
        contactRol: 'aandachtsfunctionaris-jeugd',
      });
      await one.store.db.close();
      expect(connector.requests).toHaveLength(0);

      // Instance 2: new bot, new memory state, same database file.
      const two = await setup({ url });
      await two.h.feature.service.reconcile();
      await two.drain();
      const cards = cardsTo(conv(USERS.afJeugd));
      expect(cards.map((c) => factsOf(c).Consultatienummer).sort()).toEqual([nummer, orphan.nummer].sort());
      const card = cards.find((c) => factsOf(c).Consultatienummer === nummer);
      const r = await two.h.click(USERS.afJeugd, card, 'Oppakken');
      expect(factsOf(r.card).Status).toBe('Opgepakt door AF Jeugd');
      await two.drain();
      expect(textsTo(USERS.leerkracht).filter((x) => x.includes(nummer))).toEqual([`Uw verzoek om overleg ${nummer} is bezorgd bij: Aandachtsfunctionaris Jeugd (team STIP Heerde). U hoort het hier zodra het is opgepakt.`, `Uw verzoek om overleg ${nummer} is opgepakt door AF Jeugd.`]);
      expect((await two.store.repo.get(nummer))!.status).toBe('in-behandeling');
      await two.store.db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
