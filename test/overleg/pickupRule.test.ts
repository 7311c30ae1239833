/**
 * Issue #9: one pick-up rule, in one place (mayHandleConsultation in src/overleg/routing.ts), for the bot's overleg
 * card, the coordinator list card and the tab; and every status change (card or tab) reaches the requester in the
 * chat exactly once, through the notification outbox.
 */
import type { AddressInfo } from 'node:net';
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { parseAccessPolicy } from '../../src/coordinator/access';
import { MeldwijzerBot } from '../../src/bot/bot';
import { createListFeature } from '../../src/coordinator/listFeature';
import { mayHandleConsultation } from '../../src/overleg/routing';
import { notifyStatusChange } from '../../src/overleg/service';
import { notificationsOf } from '../../src/overleg/outbox';
import { loadPolicy } from '../../src/meldcode/policy';
import { createTabServer } from '../../src/tab/routes';
import type { LocalConsultation } from '../../src/consultation/ports';
import type { ConsultationRepository, ConsultationStats } from '../../src/consultation/ports';
import { OverlegHarness, USERS, fakeTransport, noticeOf, openStore } from '../support/overlegHarness';

const policy = loadPolicy();
const COORD_HEERDE = 'dev-coordinator-heerde';
const COORD_ZWOLLE = 'dev-coordinator-zwolle';
const PROF = 'dev-professional-1';
const access = parseAccessPolicy({
  version: 1,
  users: [
    { id: COORD_HEERDE, kind: 'dev', role: 'coordinator', functie: 'aandachtsfunctionaris', label: 'Coördinator Heerde', gemeenten: ['GM0246'] },
    { id: COORD_ZWOLLE, kind: 'dev', role: 'coordinator', functie: 'procescoordinator', label: 'Coördinator Zwolle', gemeenten: ['GM0193'] },
    { id: PROF, kind: 'dev', role: 'professional', label: 'Professional' },
  ],
});
const coordinator = (id: string, gemeenten: string[]) => ({ id, role: 'coordinator' as const, gemeenten });

describe('mayHandleConsultation: the rule', () => {
  const heerdeKind = { case: { gemeente: 'GM0246', doelgroep: 'kind' as const }, contactRol: 'aandachtsfunctionaris-jeugd' as const };
  const zwolle = { case: { gemeente: 'GM0193', doelgroep: 'kind' as const }, contactRol: 'aandachtsfunctionaris' as const };
  const notRouted = { case: { gemeente: 'GM0246', doelgroep: 'kind' as const }, contactRol: null };
  test.each<[string, Parameters<typeof mayHandleConsultation>[0], Parameters<typeof mayHandleConsultation>[1], boolean]>([
    ['named contact (AF jeugd Heerde) may', { id: 'dev-af-jeugd-heerde' }, heerdeKind, true],
    ['its deputy may', { id: 'dev-af-volwassenen-heerde' }, heerdeKind, true],
    ['a coordinator of Heerde may not: the request is routed to a named person', coordinator(COORD_HEERDE, ['GM0246']), heerdeKind, false],
    ['a contact of another gemeente may not', { id: 'dev-toegang-tilburg' }, heerdeKind, false],
    ['no named contact (Zwolle): a coordinator of Zwolle may', coordinator(COORD_ZWOLLE, ['GM0193']), zwolle, true],
    ['no named contact: a coordinator of another gemeente may not', coordinator(COORD_HEERDE, ['GM0246']), zwolle, false],
    ['no named contact: a professional may not', { id: PROF, role: 'professional' }, zwolle, false],
    ['not routed (no overleg): a coordinator of the gemeente may', coordinator(COORD_HEERDE, ['GM0246']), notRouted, true],
    ['empty id never', { id: '' }, heerdeKind, false],
  ])('%s', (_name, user, c, expected) => {
    expect(mayHandleConsultation(user, c, policy)).toBe(expected);
  });
});

async function setup() {
  const store = await openStore();
  const transport = fakeTransport();
  const h = new OverlegHarness(store, policy, { transport });
  const drain = () => h.feature.worker!.drain({ timeoutMs: 5000 });
  const request = async (requesterId: string, gemeente: string) => {
    const r = await h.feature.service.request({ requesterId, case: { gemeente, doelgroep: 'kind', leeftijdsgroep: '4-11' }, urgentie: 'vandaag', bereikbaarheid: 'teams-chat', lang: 'nl' });
    if (!r.ok) throw new Error(r.reason);
    return r.consultation;
  };
  const statusTexts = (to: string, nummer: string) => transport.textsTo(to).filter((x) => x.includes(nummer) && /opgepakt door|afgerond door/.test(x));
  return { store, transport, h, drain, request, statusTexts };
}

describe('the bot card follows the rule', () => {
  test('a coordinator (not the named contact) clicking Oppakken on the card is refused; the named contact succeeds', async () => {
    const { h, request, store, drain, statusTexts } = await setup();
    const c = await request('aad-leerkracht', 'GM0246');
    const asCoordinator = { id: '29:coord', aadObjectId: COORD_HEERDE, name: 'Coördinator Heerde' };
    const refused = await h.invoke(asCoordinator, 'mw.oppakken', { mw: 'overleg', nummer: c.nummer });
    expect(noticeOf(refused.card)).toContain('Dit verzoek is voor een andere contactpersoon');
    expect((await store.repo.get(c.nummer))!.status).toBe('open');
    await h.invoke(USERS.afJeugd, 'mw.oppakken', { mw: 'overleg', nummer: c.nummer });
    expect((await store.repo.get(c.nummer))!.status).toBe('in-behandeling');
    await drain();
    expect(statusTexts('aad-leerkracht', c.nummer)).toEqual([`Uw verzoek om overleg ${c.nummer} is opgepakt door AF Jeugd.`]);
    await store.db.close();
  });
});

describe('the coordinator list card follows the rule', () => {
  function listUser(h: OverlegHarness, userId: string) {
    const feature = createListFeature({
      repo: h.store.repo,
      access,
      policy,
      act: (verb, nummer, actor, lang, handler) => h.feature.service.act(verb, nummer, actor, lang, handler),
      allowDevIdentities: true,
    });
    const bot = new MeldwijzerBot({ policy, conversationState: new ConversationState(new MemoryStorage()), features: [feature] });
    const adapter = new TestAdapter(async (ctx) => bot.run(ctx));
    const from = { id: userId, name: userId === COORD_ZWOLLE ? 'Coördinator Zwolle' : 'Coördinator Heerde' };
    const turn = async (a: Partial<Activity>) => {
      await adapter.receiveActivity({ locale: 'nl-NL', from, ...a } as Activity);
      return adapter.activeQueue.splice(0);
    };
    return {
      async list() {
        const out = await turn({ type: 'message', text: 'open consultaties' });
        return out.map((o) => o.attachments?.[0]?.content).find(Boolean) as Record<string, any>;
      },
      async execute(verb: string, data: Record<string, unknown>) {
        const out = await turn({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } } } as Partial<Activity>);
        return ((out.find((o) => o.type === 'invokeResponse')!.value as any).body.value) as Record<string, any>;
      },
    };
  }
  const actionsOf = (card: Record<string, any>, nummer: string): string[] => {
    const item = (card.body as any[]).find((b) => b.type === 'Container' && JSON.stringify(b).includes(nummer));
    return JSON.stringify(item ?? {}).match(/"verb":"mw\.list\.[a-z]+"/g) ?? [];
  };

  test('no Oppakken for a coordinator on a request routed to a named aandachtsfunctionaris; a forged click changes nothing', async () => {
    const { h, request, store, drain, statusTexts } = await setup();
    const c = await request('aad-leerkracht', 'GM0246');
    const coord = listUser(h, COORD_HEERDE);
    const card = await coord.list();
    expect(JSON.stringify(card)).toContain(c.nummer);
    expect(actionsOf(card, c.nummer)).toEqual([]);
    const after = await coord.execute('mw.list.oppakken', { nummer: c.nummer });
    expect(JSON.stringify(after)).toContain(`${c.nummer} is niet gewijzigd`);
    expect((await store.repo.get(c.nummer))!.status).toBe('open');
    await drain();
    expect(statusTexts('aad-leerkracht', c.nummer)).toEqual([]);
    await store.db.close();
  });

  test('without a named contact (Zwolle) the coordinator picks up and closes from the list; the requester hears each once', async () => {
    const { h, request, store, drain, statusTexts } = await setup();
    const c = await request('aad-wmo', 'GM0193');
    const coord = listUser(h, COORD_ZWOLLE);
    expect(actionsOf(await coord.list(), c.nummer)).toEqual(['"verb":"mw.list.oppakken"']);
    const picked = await coord.execute('mw.list.oppakken', { nummer: c.nummer });
    expect(JSON.stringify(picked)).toContain(`${c.nummer}: in behandeling bij Coördinator Zwolle`);
    await coord.execute('mw.list.afronden', { nummer: c.nummer });
    await coord.execute('mw.list.afronden', { nummer: c.nummer }); // a second click changes nothing
    await drain();
    expect(statusTexts('aad-wmo', c.nummer)).toEqual([
      `Uw verzoek om overleg ${c.nummer} is opgepakt door Coördinator Zwolle.`,
      `Uw verzoek om overleg ${c.nummer} is afgerond door Coördinator Zwolle.`,
    ]);
    await store.db.close();
  });
});

describe('the tab follows the rule, and its status changes reach the requester', () => {
  async function startTab(h: OverlegHarness) {
    const { db, repo } = h.store;
    const server = createTabServer({
      repo: repo as ConsultationRepository & ConsultationStats,
      access,
      auth: { devAuth: true, devSecret: 'pickup-rule-test-secret-0123456789' },
      env: { NODE_ENV: 'test' },
      policy,
      onStatusChanged: (before: LocalConsultation, after: LocalConsultation, actor) => notifyStatusChange(db, before, after, actor.name),
      logger: { warn: () => {}, error: () => {} },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const tokens: Record<string, string> = {};
    for (const id of [COORD_HEERDE, COORD_ZWOLLE]) {
      const r = await fetch(`${base}/api/tab/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: id }) });
      tokens[id] = ((await r.json()) as { token: string }).token;
    }
    const call = async (who: string, method: string, path: string, body?: unknown) => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: r.status, body: (await r.json()) as any };
    };
    return {
      call,
      setStatus: async (who: string, nummer: string, status: string) => {
        const cur = await call(who, 'GET', `/api/tab/consultations/${nummer}`);
        return call(who, 'POST', `/api/tab/consultations/${nummer}/status`, { status, version: cur.body.item.version });
      },
      close: () =>
        new Promise<void>((r) => {
          server.close(() => r());
          (server.server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
    };
  }

  test('a coordinator cannot pick up in the tab what is routed to a named aandachtsfunctionaris (403, nothing changes)', async () => {
    const { h, request, store } = await setup();
    const tab = await startTab(h);
    const c = await request('aad-leerkracht', 'GM0246');
    const detail = await tab.call(COORD_HEERDE, 'GET', `/api/tab/consultations/${c.nummer}`);
    expect(detail.body).toMatchObject({ canChangeStatus: false, transitions: [] });
    const list = await tab.call(COORD_HEERDE, 'GET', '/api/tab/consultations');
    expect(list.body.items.find((i: any) => i.nummer === c.nummer)).toMatchObject({ mayChangeStatus: false });
    expect((await tab.setStatus(COORD_HEERDE, c.nummer, 'in-behandeling')).status).toBe(403);
    expect((await store.repo.get(c.nummer))!.status).toBe('open');
    await tab.close();
    await store.db.close();
  });

  test('Oppakken and Afronden in the tab reach the requester in the chat, each exactly once', async () => {
    const { h, request, store, drain, statusTexts } = await setup();
    const tab = await startTab(h);
    const c = await request('aad-wmo', 'GM0193');
    expect((await tab.call(COORD_ZWOLLE, 'GET', `/api/tab/consultations/${c.nummer}`)).body).toMatchObject({ canChangeStatus: true, transitions: ['in-behandeling'] });
    const picked = await tab.setStatus(COORD_ZWOLLE, c.nummer, 'in-behandeling');
    expect(picked.status).toBe(200);
    // Setting the same status again (a double click) is a no-op: no second message.
    expect((await tab.setStatus(COORD_ZWOLLE, c.nummer, 'in-behandeling')).status).toBe(200);
    expect((await tab.setStatus(COORD_ZWOLLE, c.nummer, 'afgerond')).status).toBe(200);
    await drain();
    expect(statusTexts('aad-wmo', c.nummer)).toEqual([
      `Uw verzoek om overleg ${c.nummer} is opgepakt door Coördinator Zwolle.`,
      `Uw verzoek om overleg ${c.nummer} is afgerond door Coördinator Zwolle.`,
    ]);
    const rows = (await notificationsOf(store.db, c.nummer)).filter((n) => n.kind === 'message');
    expect(rows.map((n) => n.status)).toEqual(['delivered', 'delivered']);
    await tab.close();
    await store.db.close();
  });
});
