/** One consultation-number pattern and one transition table, used by the repository, the cards and the tab. */
import { generateNummer, NUMMER_PATTERN } from '../../src/consultation/repository';
import { NUMMER_PATTERN as PORT_PATTERN } from '../../src/consultation/ports';
import { canTransition, handlerStepFrom, HANDLER_TRANSITIONS, STATUS_TRANSITIONS } from '../../src/consultation/status';
import { canTransition as recordCanTransition } from '../../src/records/schema';
import { TAB_TRANSITIONS } from '../../src/tab/routes';
import { notificationCard } from '../../src/overleg/cards';

test('every generated number matches the one pattern; look-alike characters do not', () => {
  expect(NUMMER_PATTERN).toBe(PORT_PATTERN);
  for (let i = 0; i < 200; i++) expect(generateNummer()).toMatch(NUMMER_PATTERN);
  for (const bad of ['MW-A0BCDE', 'MW-ABCDE1', 'MW-ABCDEO', 'MW-ABCDEI', 'mw-ABCDEF', 'MW-ABCDEFG', '<script>']) expect(NUMMER_PATTERN.test(bad)).toBe(false);
});

test('the handler steps are transitions of the one table, and the tab and the municipal record use that table', () => {
  for (const [from, tos] of Object.entries(HANDLER_TRANSITIONS)) for (const to of tos) expect(STATUS_TRANSITIONS[from as keyof typeof STATUS_TRANSITIONS]).toContain(to);
  expect(TAB_TRANSITIONS).toBe(HANDLER_TRANSITIONS);
  expect(recordCanTransition).toBe(canTransition);
  expect(['open', 'in-behandeling', 'afgerond', 'ingetrokken'].map((s) => handlerStepFrom(s as never))).toEqual(['oppakken', 'afronden', null, null]);
  // Reopening a closed consultation (within 30 days, checked by the repository) is in the table; a withdrawn one is final.
  expect(canTransition('afgerond', 'open')).toBe(true);
  expect(canTransition('ingetrokken', 'open')).toBe(false);
  expect(canTransition('afgerond', 'in-behandeling')).toBe(false);
  expect(canTransition('open', 'open')).toBe(true);
});

test('the contact card offers exactly the handler step of the status', () => {
  const verbs = (status: 'open' | 'in-behandeling' | 'afgerond') =>
    JSON.stringify(notificationCard({ nummer: 'MW-ABCDEF', status, audience: 'contact' } as never, 'nl')).match(/mw\.(oppakken|afronden)/g) ?? [];
  expect(new Set(verbs('open'))).toEqual(new Set(['mw.oppakken']));
  expect(new Set(verbs('in-behandeling'))).toEqual(new Set(['mw.afronden']));
  expect(verbs('afgerond')).toEqual([]);
});
