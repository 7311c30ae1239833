/**
 * Issue #9: a route outside the five steps (meldplicht medewerker, 112, Veilig Thuis direct) carries its own title
 * on every surface — the overleg card, the coordinator list card and the tab — never "Stap N".
 */
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { parseAccessPolicy } from '../../src/coordinator/access';
import { MeldwijzerBot } from '../../src/bot/bot';
import { createListFeature } from '../../src/coordinator/listFeature';
import { advise } from '../../src/meldcode/engine';
import type { CaseInput } from '../../src/meldcode/types';
import { loadPolicy } from '../../src/meldcode/policy';
import { toTabConsultation } from '../../src/tab/routes';
import { OverlegHarness, factsOf, fakeTransport, openStore } from '../support/overlegHarness';

const policy = loadPolicy();
const COORD = 'dev-coordinator-heerde';
const access = parseAccessPolicy({
  version: 1,
  users: [{ id: COORD, kind: 'dev', role: 'coordinator', functie: 'aandachtsfunctionaris', label: 'Coördinator Heerde', gemeenten: ['GM0246'] }],
});

test.each<[string, CaseInput, string]>([
  ['meldplicht medewerker', { gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11', plegerIsMedewerker: true }, 'Buiten de meldcode: meldplicht bij een medewerker als vermoedelijke pleger'],
  ['Veilig Thuis direct', { gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11', vormen: ['seksueel'] }, 'Direct naar Veilig Thuis'],
])('%s: overleg card, list card and tab show the route title, not "Stap N"', async (_name, input, title) => {
  const store = await openStore();
  const h = new OverlegHarness(store, policy, { transport: fakeTransport() });
  const created = await store.repo.create({ case: input, advice: advise(input, policy), requesterId: 'aad-leerkracht' });
  const r = await h.feature.service.request({ requesterId: 'aad-leerkracht', nummer: created.nummer, case: input, urgentie: 'vandaag', bereikbaarheid: 'teams-chat', lang: 'nl' });
  expect(r.ok).toBe(true);
  const c = (await store.repo.get(created.nummer))!;

  // The overleg card (what the aandachtsfunctionaris gets in Teams).
  const card = await h.feature.service.cardFor(c, 'dev-af-jeugd-heerde', 'nl');
  expect(factsOf(card)['Geadviseerde stap']).toBe(title);
  expect(JSON.stringify(card)).not.toMatch(/Stap \d/);

  // The tab.
  expect(toTabConsultation(c)).toMatchObject({ route: true, titel: title });

  // The coordinator list card.
  const feature = createListFeature({ repo: store.repo, access, policy, allowDevIdentities: true });
  const bot = new MeldwijzerBot({ policy, conversationState: new ConversationState(new MemoryStorage()), features: [feature] });
  const adapter = new TestAdapter(async (ctx) => bot.run(ctx));
  await adapter.receiveActivity({ type: 'message', text: 'open consultaties', locale: 'nl-NL', from: { id: COORD, name: 'Coördinator' } } as Activity);
  const list = JSON.stringify(adapter.activeQueue.splice(0).map((o) => o.attachments?.[0]?.content).find(Boolean));
  expect(list).toContain(`${c.nummer} · ${title} · vandaag`);
  expect(list).not.toMatch(/stap \d/i);
  await store.db.close();
});
