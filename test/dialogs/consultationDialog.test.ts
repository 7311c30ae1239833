/**
 * The ConsultationDialog on its own with botbuilder-testing's DialogTestClient: which question comes after the
 * acute question, given what the free text already told us (table-driven, like the core-bot sample).
 */
import { DialogTestClient, DialogTestLogger } from 'botbuilder-testing';
import { ConsultationDialog } from '../../dialogs/consultationDialog';
import { loadPolicy } from '../../src/policy';
import type { CaseInput } from '../../src/meldcode/types';

const policy = loadPolicy();
const title = (a: { attachments?: Array<{ content?: any }> } | undefined) => a?.attachments?.[0]?.content?.body?.[0]?.text as string | undefined;

test.each<[string, Partial<CaseInput>, string]>([
  ['nothing known → gemeente', {}, 'In welke gemeente speelt dit?'],
  ['gemeente known → sector', { gemeente: 'GM0246' }, 'In welke sector werkt u?'],
  ['gemeente + sector → doelgroep', { gemeente: 'GM0246', sector: 'wmo' }, 'Over wie maakt u zich zorgen?'],
  ['kind without age → doelgroep card again for the age', { gemeente: 'GM0246', sector: 'wmo', doelgroep: 'kind' }, 'Over wie maakt u zich zorgen?'],
  ['school + kind → employee question', { gemeente: 'GM0855', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11' }, 'Is het vermoeden dat een medewerker of collega (van de school of kinderopvang) de pleger is?'],
  ['wmo + oudere → straight to signals', { gemeente: 'GM0855', sector: 'wmo', doelgroep: 'oudere' }, 'Welke signalen ziet u? Kies alles wat past.'],
  ['employee already known (no) → signals', { gemeente: 'GM0855', sector: 'kinderopvang', doelgroep: 'kind', leeftijdsgroep: '0-3', plegerIsMedewerker: false }, 'Welke signalen ziet u? Kies alles wat past.'],
])('%s', async (_name, prefill, expected) => {
  const client = new DialogTestClient('msteams', new ConsultationDialog({ policy }), { prefill }, [new DialogTestLogger({ log: () => undefined })]);
  const first = await client.sendActivity('start');
  expect(title(first)).toBe('Is er nu iemand in acuut gevaar?');
  const data = first.attachments[0].content.actions.find((a: { title: string }) => a.title === 'Nee').data;
  const next = await client.sendActivity({ type: 'message', value: data } as never);
  // The privacy warning travels in the same message as the next question.
  expect(next.text).toContain('typ geen namen');
  expect(title(next)).toBe(expected);
  expect(client.getNextReply()).toBeUndefined();
});

test('acute yes ends the dialog after the 112 message', async () => {
  const client = new DialogTestClient('msteams', new ConsultationDialog({ policy }), {});
  const first = await client.sendActivity('start');
  const data = first.attachments[0].content.actions.find((a: { title: string }) => a.title === 'Ja').data;
  const reply = await client.sendActivity({ type: 'message', value: data } as never);
  expect(reply.text).toMatch(/112/);
  expect(client.dialogTurnResult.status).toBe('complete');
});
