/**
 * Question cards come from a render cache (cards/render.ts). Whatever the cache does, every card must be exactly
 * what the template gives for that conversation: its own run id in every button, nothing from another conversation.
 */
import { QUESTION_TEMPLATE, renderCard, questionCard } from '../../cards/render';
import { QUESTIONS, type QuestionContext } from '../../src/consultation/questions';
import { loadPolicy } from '../../src/meldcode/policy';
import type { Language } from '../../src/meldcode/types';

const policy = loadPolicy();

function ctx(lang: Language, runId: string, extra: Partial<QuestionContext> = {}): QuestionContext {
  return { policy, lang, runId, case: { doelgroep: 'kind', leeftijdsgroep: '4-11' }, afwegingKey: 'vermoeden', note: 'Leerling [NAAM] vertelde iets.', ...extra };
}

/** The uncached template render of the same question card, for comparison. */
function direct(q: Parameters<typeof questionCard>[0]) {
  return renderCard(QUESTION_TEMPLATE, {
    title: q.title,
    hint: q.hint ?? null,
    inputs: (q.inputs ?? []).map((i) => ({ id: i.id, label: i.label ?? '', multi: i.multi ?? false, style: i.style ?? 'expanded', value: i.value ?? '', required: i.required ?? false, errorMessage: i.errorMessage ?? '', choices: i.choices })),
    toggles: (q.toggles ?? []).map((t) => ({ ...t, value: t.value ?? 'false' })),
    texts: (q.texts ?? []).map((x) => ({ placeholder: '', value: '', ...x })),
    buttons: q.buttons.map((b) => ({ style: 'default', ...b })),
  });
}

describe('question cards from the render cache', () => {
  const cases = Object.keys(QUESTIONS).flatMap((id) => (['nl', 'en'] as Language[]).map((lang) => [id, lang] as const));

  it.each(cases)('%s (%s): the same as the template, with each conversation’s own run id', (id, lang) => {
    const q = QUESTIONS[id as keyof typeof QUESTIONS]!;
    const a1 = q.card(ctx(lang, 'run-a')) as { actions: Array<{ data: Record<string, unknown> }> };
    const b = q.card(ctx(lang, 'run-b')) as typeof a1;
    const a2 = q.card(ctx(lang, 'run-a')) as typeof a1;
    expect(a2).toEqual(a1);
    expect(a1.actions.length).toBeGreaterThan(0);
    for (const action of a1.actions) expect(action.data.run).toBe('run-a');
    for (const action of b.actions) expect(action.data.run).toBe('run-b');
    // Changing the card handed out must not change the next one.
    a1.actions[0]!.data.run = 'tampered';
    (a1 as Record<string, unknown>).body = [];
    expect(q.card(ctx(lang, 'run-a'))).toEqual(a2);
  });

  it('matches a direct template render, including the hint, inputs and button data', () => {
    const spec = {
      title: 'Welke signalen?',
      hint: 'Kies alles wat past.',
      inputs: [{ id: 'signalen', multi: true, choices: [{ title: 'Letsel', value: 'lichamelijk-letsel' }] }],
      toggles: [{ id: 'disclosure', title: 'Verteld' }],
      texts: [{ id: 'toelichting', label: 'Toelichting', maxLength: 500 }],
      buttons: [{ title: 'Verder', style: 'positive' as const, data: { mw: 'signalen', run: 'r1' } }],
    };
    questionCard(spec); // now cached
    expect(questionCard(spec)).toEqual(direct(spec));
  });

  it('shows each conversation its own note on the notitie card', () => {
    const q = QUESTIONS.notitie!;
    const one = JSON.stringify(q.card(ctx('nl', 'r1', { note: 'Eerste notitie.' })));
    const two = JSON.stringify(q.card(ctx('nl', 'r2', { note: 'Tweede notitie.' })));
    expect(one).toContain('Eerste notitie.');
    expect(two).toContain('Tweede notitie.');
    expect(two).not.toContain('Eerste notitie.');
  });
});
