import { routeOverlegRequest, contactRoute, mayHandle, hasTeamsTargets } from '../../src/overleg/routing';
import { loadPolicy } from '../../src/meldcode/policy';
import type { CaseInput } from '../../src/meldcode/types';
import { testPolicy } from '../support/overlegHarness';

describe('overleg routing: gemeente + doelgroep → role → Teams users', () => {
  const policy = testPolicy();
  test.each<[string, Partial<CaseInput>, string, string[], string[]]>([
    ['Heerde, kind → aandachtsfunctionaris jeugd', { gemeente: 'GM0246', doelgroep: 'kind', leeftijdsgroep: '4-11' }, 'aandachtsfunctionaris-jeugd', ['dev-af-jeugd-heerde'], ['dev-af-volwassenen-heerde']],
    ['Heerde, oudere → volwassenen en ouderen', { gemeente: 'GM0246', doelgroep: 'oudere' }, 'aandachtsfunctionaris-volwassenen-ouderen', ['dev-af-volwassenen-heerde'], ['dev-af-jeugd-heerde']],
    ['Heerde, partner → volwassenen en ouderen', { gemeente: 'GM0246', doelgroep: 'partner' }, 'aandachtsfunctionaris-volwassenen-ouderen', ['dev-af-volwassenen-heerde'], ['dev-af-jeugd-heerde']],
    ['Heerde, volwassene → volwassenen en ouderen', { gemeente: 'GM0246', doelgroep: 'volwassene' }, 'aandachtsfunctionaris-volwassenen-ouderen', ['dev-af-volwassenen-heerde'], ['dev-af-jeugd-heerde']],
    ['Steenwijkerland, kind → procescoördinator', { gemeente: 'GM1708', doelgroep: 'kind', leeftijdsgroep: '0-3' }, 'procescoordinator', ['dev-procescoordinator-steenwijkerland'], ['test-pc-plaatsvervanger']],
    ['Steenwijkerland, oudere → procescoördinator', { gemeente: 'GM1708', doelgroep: 'oudere' }, 'procescoordinator', ['dev-procescoordinator-steenwijkerland'], ['test-pc-plaatsvervanger']],
    ['Tilburg, kind → de Toegang', { gemeente: 'GM0855', doelgroep: 'kind', leeftijdsgroep: '12-17' }, 'toegang', ['dev-toegang-tilburg'], []],
    ['Tilburg, partner → de Toegang', { gemeente: 'GM0855', doelgroep: 'partner' }, 'toegang', ['dev-toegang-tilburg'], []],
    ['Zwolle (no local arrangement) → own aandachtsfunctionaris', { gemeente: 'GM0193', doelgroep: 'kind', leeftijdsgroep: '4-11' }, 'aandachtsfunctionaris', ['test-eigen-af'], []],
    ['unknown gemeente → own aandachtsfunctionaris', { doelgroep: 'oudere' }, 'aandachtsfunctionaris', ['test-eigen-af'], []],
    ['gemeente not in the policy → own aandachtsfunctionaris', { gemeente: 'GM0363', doelgroep: 'partner' }, 'aandachtsfunctionaris', ['test-eigen-af'], []],
  ])('%s', (_name, c, rol, users, deputies) => {
    const r = routeOverlegRequest(c, policy);
    expect(r.rol).toBe(rol);
    expect(r.userIds).toEqual(users);
    expect(r.plaatsvervangers).toEqual(deputies);
    expect(hasTeamsTargets(r)).toBe(true);
  });

  test('contact names come from the policy, per language', () => {
    expect(routeOverlegRequest({ gemeente: 'GM0246', doelgroep: 'kind' }, policy, 'nl').naam).toBe('Aandachtsfunctionaris Jeugd (team STIP Heerde)');
    expect(routeOverlegRequest({ gemeente: 'GM0246', doelgroep: 'kind' }, policy, 'en').naam).toBe('Aandachtsfunctionaris Youth (team STIP Heerde)');
    expect(routeOverlegRequest({ gemeente: 'GM1708', doelgroep: 'kind' }, policy).kanaal).toBe('19:stw-veiligheid@thread.tacv2');
  });

  test('the shipped policy has no Teams users for the national "own aandachtsfunctionaris": nothing to notify', () => {
    const r = routeOverlegRequest({ doelgroep: 'kind' }, loadPolicy());
    expect(r).toMatchObject({ rol: 'aandachtsfunctionaris', userIds: [], plaatsvervangers: [], kanaal: null, level: 'nationaal' });
    expect(hasTeamsTargets(r)).toBe(false);
  });

  test('only routed users and configured deputies may handle a request', () => {
    const r = contactRoute(policy, 'GM0246', 'aandachtsfunctionaris-jeugd');
    expect(mayHandle(r, 'dev-af-jeugd-heerde')).toBe(true);
    expect(mayHandle(r, 'dev-af-volwassenen-heerde')).toBe(true);
    expect(mayHandle(r, 'dev-toegang-tilburg')).toBe(false);
    expect(mayHandle(r, '')).toBe(false);
  });
});
