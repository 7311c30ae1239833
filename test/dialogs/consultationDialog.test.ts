/**
 * The consultation flow on its own (no bot around it, no botbuilder-dialogs): which question comes after the acute
 * question, given what the free text already told us (table-driven), and the run ending after acute danger.
 */
import { TestAdapter, type Activity } from 'botbuilder';
import { createConsultationFlow } from '../../src/consultation/dialog';
import type { ConversationData } from '../../dialogs/flow';
import { loadPolicy } from '../../src/meldcode/policy';
import type { CaseInput } from '../../src/meldcode/types';

const policy = loadPolicy();
const title = (a: Partial<Activity> | undefined) => a?.attachments?.[0]?.content?.body?.[0]?.text as string | undefined;

function client(prefill: Partial<CaseInput>) {
  const flow = createConsultationFlow({ policy });
  const conv: ConversationData = {};
  const adapter = new TestAdapter(async (context) => {
    const turn = { context, lang: 'nl' as const, conv };
    if (conv.flow) await flow.continue(turn);
    else await flow.begin(turn, { prefill });
  });
  return {
    conv,
    async send(activity: Partial<Activity>): Promise<Array<Partial<Activity>>> {
      await adapter.receiveActivity({ type: 'message', ...activity } as Activity);
      return adapter.activeQueue.splice(0);
    },
  };
}

test.each<[string, Partial<CaseInput>, string]>([
  ['nothing known → gemeente', {}, 'In welke gemeente speelt dit?'],
  ['gemeente known → sector', { gemeente: 'GM0246' }, 'In welke sector werkt u?'],
  ['gemeente + sector → doelgroep', { gemeente: 'GM0246', sector: 'wmo' }, 'Over wie maakt u zich zorgen?'],
  ['kind without age → doelgroep card again for the age', { gemeente: 'GM0246', sector: 'wmo', doelgroep: 'kind' }, 'Over wie maakt u zich zorgen?'],
  ['school + kind → employee question', { gemeente: 'GM0855', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11' }, 'Is het vermoeden dat een medewerker of collega (van de school of kinderopvang) de pleger is?'],
  ['wmo + oudere → straight to signals', { gemeente: 'GM0855', sector: 'wmo', doelgroep: 'oudere' }, 'Welke signalen ziet u? Kies alles wat past.'],
  ['employee already known (no) → signals', { gemeente: 'GM0855', sector: 'kinderopvang', doelgroep: 'kind', leeftijdsgroep: '0-3', plegerIsMedewerker: false }, 'Welke signalen ziet u? Kies alles wat past.'],
])('%s', async (_name, prefill, expected) => {
  const c = client(prefill);
  const [first] = await c.send({ text: 'start' });
  expect(title(first)).toBe('Is er nu iemand in acuut gevaar?');
  const data = first!.attachments![0]!.content.actions.find((a: { title: string }) => a.title === 'Nee').data;
  const replies = await c.send({ value: data });
  // The privacy warning travels in the same message as the next question.
  expect(replies).toHaveLength(1);
  expect(replies[0]!.text).toContain('typ geen namen');
  expect(title(replies[0])).toBe(expected);
});

test('acute yes ends the run after the 112 message', async () => {
  const c = client({});
  const [first] = await c.send({ text: 'start' });
  const data = first!.attachments![0]!.content.actions.find((a: { title: string }) => a.title === 'Ja').data;
  const replies = await c.send({ value: data });
  expect(replies[0]!.text).toMatch(/112/);
  expect(c.conv.flow).toBeUndefined();
});
