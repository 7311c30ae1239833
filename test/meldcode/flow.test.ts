import { nextQuestion, type FlowProgress } from '../../src/meldcode/flow';
import type { CaseInput } from '../../src/meldcode/types';
import { loadPolicy } from '../../src/meldcode/policy';

const policy = loadPolicy();
const none: FlowProgress = { answered: [] };
const after = (...answered: string[]): FlowProgress => ({ answered });
const school: CaseInput = { acuutGevaar: false, gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11' };
const wmo: CaseInput = { acuutGevaar: false, gemeente: 'GM1708', sector: 'wmo', doelgroep: 'partner' };
const basics = ['acuut', 'gemeente', 'sector', 'doelgroep'];
const steps123: CaseInput = { ...wmo, stappenGedaan: [1, 2, 3] };
const afterSteps = after(...basics, 'signalen', 'stappen');

describe('nextQuestion: what is asked, in which order', () => {
  test.each<[string, CaseInput, FlowProgress, string]>([
    ['nothing known → acute danger first', {}, none, 'acuut'],
    ['acute first even when everything else is pre-filled', { gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11' }, none, 'acuut'],
    ['acute danger yes → advice (112), nothing else', { acuutGevaar: true }, after('acuut'), 'advice'],
    ['acute no → gemeente', { acuutGevaar: false }, after('acuut'), 'gemeente'],
    ['gemeente "anders" (answered, unknown) → not asked again', { acuutGevaar: false }, after('acuut', 'gemeente'), 'sector'],
    ['gemeente pre-filled → sector', { acuutGevaar: false, gemeente: 'GM0246' }, after('acuut'), 'sector'],
    ['gemeente + sector → doelgroep', { acuutGevaar: false, gemeente: 'GM0246', sector: 'wmo' }, after('acuut'), 'doelgroep'],
    ['kind without age → doelgroep again for the age', { acuutGevaar: false, gemeente: 'GM0246', sector: 'wmo', doelgroep: 'kind' }, after('acuut'), 'doelgroep'],
    ['kind, age skipped → not asked again', { acuutGevaar: false, gemeente: 'GM0246', sector: 'wmo', doelgroep: 'kind' }, after('acuut', 'doelgroep'), 'signalen'],
    ['sector skipped → doelgroep', { acuutGevaar: false, gemeente: 'GM0246' }, after('acuut', 'sector'), 'doelgroep'],
    ['onderwijs + kind → employee question', school, after('acuut'), 'medewerker'],
    ['kinderopvang + kind → employee question', { ...school, sector: 'kinderopvang', leeftijdsgroep: '0-3' }, after('acuut'), 'medewerker'],
    ['onderwijs + partner → no employee question', { ...school, doelgroep: 'partner', leeftijdsgroep: undefined }, after('acuut'), 'signalen'],
    ['wmo + kind → no employee question', { ...school, sector: 'wmo' }, after('acuut'), 'signalen'],
    ['jeugdhulp + kind → no employee question', { ...school, sector: 'jeugdhulp' }, after('acuut'), 'signalen'],
    ['employee: yes → advice (meldplicht), no signals', { ...school, plegerIsMedewerker: true }, after('acuut', 'medewerker'), 'advice'],
    ['employee pre-filled yes → advice at once', { ...school, plegerIsMedewerker: true }, after('acuut'), 'advice'],
    ['employee: no → signals', { ...school, plegerIsMedewerker: false }, after('acuut', 'medewerker'), 'signalen'],
    ['employee: weet ik niet (null) → signals, not asked again', { ...school, plegerIsMedewerker: null }, after('acuut', 'medewerker'), 'signalen'],
    ['signals answered with a note → confirm the note', wmo, { answered: [...basics, 'signalen'], noteToConfirm: true }, 'notitie'],
    ['note confirmed → steps', wmo, { answered: [...basics, 'signalen', 'notitie'], noteToConfirm: true }, 'stappen'],
    ['signals without a note → steps', wmo, after(...basics, 'signalen'), 'stappen'],
    ['signals pre-filled are still shown to confirm', { ...wmo, signalen: ['isolatie'] }, after(...basics), 'signalen'],
    ['step 1 done only → advice (step 2)', { ...wmo, stappenGedaan: [1] }, afterSteps, 'advice'],
    ['no steps → advice (step 1)', { ...wmo, stappenGedaan: [] }, afterSteps, 'advice'],
    ['steps skipped → advice', wmo, afterSteps, 'advice'],
    ['steps 1–3 done → afwegingsvraag 1', steps123, afterSteps, 'afweging:vermoeden'],
    ['steps 1–3 + eergerelateerd → Veilig Thuis direct, no afweging', { ...steps123, vormen: ['eergerelateerd'] }, afterSteps, 'advice'],
    ['steps 1–3 + huwelijksdwang → advice', { ...steps123, vormen: ['huwelijksdwang'] }, afterSteps, 'advice'],
    ['steps 1–3 + disclosure → advice (melden)', { ...steps123, disclosure: true }, afterSteps, 'advice'],
    ['afweging 1 nee → advice (afsluiten)', { ...steps123, afweging: { vermoeden: false } }, after(...afterSteps.answered, 'afweging:vermoeden'), 'advice'],
    ['afweging 1 ja → 2', { ...steps123, afweging: { vermoeden: true } }, after(...afterSteps.answered, 'afweging:vermoeden'), 'afweging:onveilig'],
    ['afweging 2 ja → advice (melden)', { ...steps123, afweging: { vermoeden: true, onveilig: true } }, afterSteps, 'advice'],
    ['afweging 2 nee → 3', { ...steps123, afweging: { vermoeden: true, onveilig: false } }, afterSteps, 'afweging:zelfHulp'],
    ['afweging 3 nee → advice', { ...steps123, afweging: { vermoeden: true, onveilig: false, zelfHulp: false } }, afterSteps, 'advice'],
    ['afweging 3 ja → 4', { ...steps123, afweging: { vermoeden: true, onveilig: false, zelfHulp: true } }, afterSteps, 'afweging:hulpAanvaard'],
    ['afweging 4 nee → advice', { ...steps123, afweging: { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: false } }, afterSteps, 'advice'],
    ['afweging 4 ja → 5', { ...steps123, afweging: { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: true } }, afterSteps, 'afweging:resultaat'],
    ['afweging 5 answered → advice', { ...steps123, afweging: { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: true, resultaat: true } }, afterSteps, 'advice'],
    ['weet ik niet at afweging 1 (null, answered) → advice, never asked again', { ...steps123, afweging: { vermoeden: null } }, after(...afterSteps.answered, 'afweging:vermoeden'), 'advice'],
    ['weet ik niet at afweging 3 → advice', { ...steps123, afweging: { vermoeden: true, onveilig: false, zelfHulp: null } }, after(...afterSteps.answered, 'afweging:zelfHulp'), 'advice'],
  ])('%s', (_name, c, progress, expected) => {
    const next = nextQuestion(c, policy, progress);
    expect(next.kind === 'advice' ? 'advice' : next.id).toBe(expected);
  });

  test('a question is never asked again once answered, whatever the case holds', () => {
    // Sector is pre-filled (never asked); kind without age is asked once, then the age counts as skipped.
    const ids = ['acuut', 'gemeente', 'doelgroep', 'medewerker', 'signalen', 'notitie', 'stappen'];
    let answered: string[] = [];
    const c: CaseInput = { sector: 'onderwijs', doelgroep: 'kind' };
    const asked: string[] = [];
    for (let i = 0; i < 20; i++) {
      const next = nextQuestion(c, policy, { answered, noteToConfirm: true });
      if (next.kind === 'advice') break;
      expect(asked).not.toContain(next.id);
      asked.push(next.id);
      answered = [...answered, next.id];
    }
    expect(asked).toEqual(ids);
  });
});
