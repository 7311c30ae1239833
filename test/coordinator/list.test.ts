/** "open consultaties" in chat: role-scoped list card with filters, paging and item actions (Action.Execute). */
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { MeldwijzerBot } from '../../src/bot/bot';
import { createListFeature, MAX_CARD_BYTES } from '../../src/coordinator/listFeature';
import { parseAccessPolicy } from '../../src/coordinator/access';
import { loadPolicy } from '../../src/meldcode/policy';
import { advise } from '../../src/meldcode/engine';
import { openDb, migrate, type Db } from '../../src/store';
import { createConsultationRepository } from '../../src/consultation/repository';
import type { CaseInput } from '../../src/meldcode/types';
import type { Actor, ConsultationRepository, LocalConsultation, Urgentie } from '../../src/consultation/ports';

const COORD_HEERDE = '11111111-1111-1111-1111-111111111111';
const COORD_IJSSEL = '22222222-2222-2222-2222-222222222222';
const PROF = '33333333-3333-3333-3333-333333333333';
const policy = loadPolicy();
const access = parseAccessPolicy({
  version: 1,
  users: [
    { id: COORD_HEERDE, kind: 'entra', role: 'coordinator', functie: 'aandachtsfunctionaris', label: 'AF Heerde', gemeenten: ['GM0246'] },
    { id: COORD_IJSSEL, kind: 'entra', role: 'coordinator', functie: 'beleidsadviseur', label: 'Regio', gemeenten: ['GM0193', 'GM1708'] },
  ],
});

let db: Db;
let repo: ConsultationRepository;
let acted: Array<{ verb: string; nummer: string; actor: Actor }>;

async function add(c: CaseInput, requesterId: string, urgentie: Urgentie | null = null): Promise<LocalConsultation> {
  return repo.create({ case: c, advice: advise(c, policy), requesterId, overlegGevraagd: urgentie !== null, urgentie });
}

function harness(userId: string) {
  const storage = new MemoryStorage();
  const feature = createListFeature({
    repo,
    access,
    policy,
    act: async (verb, nummer, actor) => {
      acted.push({ verb, nummer, actor });
      const c = await repo.get(nummer);
      if (!c) return null;
      if (actor.userId !== COORD_HEERDE) return { changed: false, consultation: c };
      const after = await repo.update(nummer, c.version, { status: verb === 'mw.oppakken' ? 'in-behandeling' : 'afgerond', assigneeId: actor.userId, assigneeName: 'AF' }, actor, verb);
      return { changed: Boolean(after), consultation: after ?? c };
    },
  });
  const bot = new MeldwijzerBot({ policy, conversationState: new ConversationState(storage), features: [feature] });
  const adapter = new TestAdapter(async (ctx) => bot.run(ctx));
  const from = { id: `29:${userId}`, name: 'Gebruiker', aadObjectId: userId };
  const turn = async (a: Partial<Activity>) => {
    await adapter.receiveActivity({ locale: 'nl-NL', from, ...a } as Activity);
    return adapter.activeQueue.splice(0);
  };
  return {
    async say(text: string) {
      const out = await turn({ type: 'message', text });
      return out.map((o) => o.attachments?.[0]?.content).find(Boolean) as Record<string, any>;
    },
    async execute(verb: string, data: Record<string, unknown>) {
      const out = await turn({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } } } as Partial<Activity>);
      const res = out.find((o) => o.type === 'invokeResponse')!.value as { status: number; body: { statusCode: number; value: Record<string, any> } };
      expect(res.status).toBe(200);
      return res.body.value;
    },
  };
}

const headings = (card: Record<string, any>) =>
  (card.body as any[]).filter((b) => b.type === 'Container' && b.separator).map((b) => b.items[0].text as string);

beforeEach(async () => {
  db = await openDb({ url: 'sqlite::memory:' });
  await migrate(db);
  repo = createConsultationRepository(db, { pseudonymSecret: 'test-secret' });
  acted = [];
});
afterEach(async () => db.close());

test('a coordinator sees only the open consultations of their gemeente, newest first, with urgency', async () => {
  const a = await add({ gemeente: 'GM0246', doelgroep: 'kind' }, PROF, 'deze-week');
  const b = await add({ gemeente: 'GM0246', doelgroep: 'oudere' }, 'someone-else', 'vandaag');
  await add({ gemeente: 'GM0855', doelgroep: 'kind' }, PROF, 'vandaag');
  const closed = await add({ gemeente: 'GM0246', doelgroep: 'kind' }, PROF);
  await repo.update(closed.nummer, closed.version, { status: 'in-behandeling' }, { userId: 'x' }, 'test');
  const c2 = (await repo.get(closed.nummer))!;
  await repo.update(closed.nummer, c2.version, { status: 'afgerond' }, { userId: 'x' }, 'test');

  const card = await harness(COORD_HEERDE).say('open consultaties');
  expect(card.body[0].text).toBe('Open consultaties (2)');
  const hs = headings(card);
  expect(hs).toEqual([`${b.nummer} · stap 1 · vandaag`, `${a.nummer} · stap 1 · deze week`]);
  expect(JSON.stringify(card)).not.toContain(PROF);
  expect(JSON.stringify(card).length).toBeLessThan(MAX_CARD_BYTES);
  expect(card.refresh.action.verb).toBe('mw.list');
});

test('a professional who is not a coordinator sees only their own requests; nobody sees case details', async () => {
  await add({ gemeente: 'GM0246', doelgroep: 'kind', signalen: ['lichamelijk-letsel'] }, PROF, 'vandaag');
  await add({ gemeente: 'GM0246', doelgroep: 'kind' }, 'other-user', 'vandaag');
  const card = await harness(PROF).say('open consultaties');
  expect(headings(card)).toHaveLength(1);
  expect(card.body[1].text).toBe('U ziet uw eigen open aanvragen.');
  expect(JSON.stringify(card)).not.toMatch(/lichamelijk|letsel/);
});

test('filters: doelgroep and gemeente (only own gemeenten), unknown values are ignored with a notice', async () => {
  await add({ gemeente: 'GM0193', doelgroep: 'kind' }, PROF, 'vandaag');
  await add({ gemeente: 'GM1708', doelgroep: 'partner' }, PROF, 'geen-haast');
  await add({ gemeente: 'GM0246', doelgroep: 'partner' }, PROF, 'geen-haast');
  const h = harness(COORD_IJSSEL);
  expect(headings(await h.execute('mw.list', { doelgroep: 'partner' }))).toHaveLength(1);
  expect(headings(await h.execute('mw.list', { gemeente: 'GM0193' }))).toHaveLength(1);
  const sneaky = await h.execute('mw.list', { gemeente: 'GM0246' });
  expect(headings(sneaky)).toHaveLength(2);
  expect(JSON.stringify(sneaky)).toContain('Die filterwaarde ken ik niet');
  expect(headings(await h.execute('mw.list', { urgentie: 'geen-haast', doelgroep: 'kind' }))).toHaveLength(0);
});

test('paging: next page continues where the first stopped', async () => {
  for (let i = 0; i < 11; i++) await add({ gemeente: 'GM0246', doelgroep: 'kind' }, PROF, 'deze-week');
  const h = harness(COORD_HEERDE);
  const first = await h.say('open consultaties');
  expect(headings(first)).toHaveLength(8);
  const next = first.actions.find((a: { title: string }) => a.title === 'Volgende pagina');
  const second = await h.execute(next.verb, next.data);
  expect(headings(second)).toHaveLength(3);
  expect(new Set([...headings(first), ...headings(second)]).size).toBe(11);
});

test('item actions go through the overleg service; a refused click changes nothing and says why', async () => {
  const c = await add({ gemeente: 'GM0246', doelgroep: 'kind' }, PROF, 'vandaag');
  const refused = await harness(COORD_IJSSEL).execute('mw.list.oppakken', { nummer: c.nummer });
  expect(JSON.stringify(refused)).toContain('is niet gewijzigd');
  expect((await repo.get(c.nummer))!.status).toBe('open');

  const h = harness(COORD_HEERDE);
  const card = await h.say('open consultaties');
  const pick = (card.body as any[]).find((b) => b.separator).items[2].actions[0];
  expect(pick.title).toBe('Oppakken');
  const after = await h.execute(pick.verb, pick.data);
  expect(JSON.stringify(after)).toContain(`${c.nummer}: in behandeling bij AF`);
  expect((await repo.get(c.nummer))!.status).toBe('in-behandeling');
  expect(acted.map((x) => x.verb)).toEqual(['mw.oppakken', 'mw.oppakken']);
});

test('a malformed action value gets a friendly notice, not an error', async () => {
  const card = await harness(COORD_HEERDE).execute('mw.list.afronden', { nummer: '<script>' });
  expect(JSON.stringify(card)).toContain('niet (meer) beschikbaar');
});
