import {
  canChangeStatus,
  canList,
  canView,
  canViewStats,
  devUsers,
  loadAccessPolicy,
  parseAccessPolicy,
  resolveUser,
  visibleFilter,
  AccessPolicyError,
} from '../../src/coordinator/access';
import { newConsultation } from './fixtures';

const policy = parseAccessPolicy({
  version: 1,
  users: [
    { id: 'dev-coordinator-heerde', kind: 'dev', role: 'coordinator', functie: 'aandachtsfunctionaris', label: 'AF Heerde', gemeenten: ['GM0246'] },
    { id: 'dev-professional-1', kind: 'dev', role: 'professional', label: 'Prof 1' },
    { id: '00000000-0000-4000-8000-000000000246', kind: 'entra', role: 'coordinator', functie: 'beleidsadviseur', label: 'BA', gemeenten: ['GM0246', 'GM0193'] },
  ],
});

const c = (gemeente: string | undefined, requesterId: string) => {
  const n = newConsultation({ requesterId, ...(gemeente ? { gemeente } : {}) });
  return { case: n.case, requesterId };
};

test('the shipped policy/access.json is valid and has placeholder dev accounts only', () => {
  const p = loadAccessPolicy();
  const heerde = p.data.users.find((u) => u.id === 'dev-coordinator-heerde');
  expect(heerde).toMatchObject({ role: 'coordinator', kind: 'dev', gemeenten: ['GM0246'] });
  expect(devUsers(p).length).toBeGreaterThan(0);
});

test('invalid policies are refused with every problem listed', () => {
  expect(() => parseAccessPolicy({ version: 1, users: [{ id: 'jan', kind: 'entra', role: 'coordinator', functie: 'x', label: 'J', gemeenten: ['Heerde'] }] })).toThrow(AccessPolicyError);
  try {
    parseAccessPolicy({
      version: 1,
      users: [
        { id: 'dev-a', kind: 'dev', role: 'professional', label: 'a' },
        { id: 'DEV-A', kind: 'dev', role: 'professional', label: 'a' },
      ],
    });
    throw new Error('expected failure');
  } catch (e) {
    expect((e as AccessPolicyError).issues.join('\n')).toMatch(/dubbele gebruiker|dev-/);
  }
  expect(() => loadAccessPolicy('/nonexistent/access.json')).toThrow(/niet gevonden/);
});

test('listed coordinator: their gemeenten', () => {
  const u = resolveUser(policy, { id: 'dev-coordinator-heerde', source: 'dev' });
  expect(u).toMatchObject({ role: 'coordinator', gemeenten: ['GM0246'] });
  expect(visibleFilter(u)).toEqual({ gemeenten: ['GM0246'] });
  expect(canList(u, {})).toBe(true);
  expect(canList(u, { gemeenten: ['GM0246'] })).toBe(true);
  expect(canList(u, { gemeenten: ['GM0193'] })).toBe(false);
  expect(canList(u, { requesterId: 'someone' })).toBe(false);
  expect(canView(u, c('GM0246', 'x'))).toBe(true);
  expect(canView(u, c('GM0193', 'x'))).toBe(false);
  expect(canView(u, c(undefined, 'x'))).toBe(false);
  expect(canChangeStatus(u, c('GM0246', 'x'))).toBe(true);
  expect(canChangeStatus(u, c('GM0193', 'x'))).toBe(false);
  expect(canViewStats(u)).toBe(true);
  expect(canViewStats(u, ['GM0193'])).toBe(false);
});

test('Entra coordinator is matched by oid (case-insensitive) and only as entra, not as dev', () => {
  expect(resolveUser(policy, { id: '00000000-0000-4000-8000-000000000246'.toUpperCase(), source: 'entra' }).role).toBe('coordinator');
  expect(resolveUser(policy, { id: '00000000-0000-4000-8000-000000000246', source: 'dev' }).role).toBe('professional');
  expect(resolveUser(policy, { id: 'dev-coordinator-heerde', source: 'entra' }).role).toBe('professional');
});

test('anybody else is a professional for their own requests only', () => {
  for (const id of ['dev-professional-1', '12345678-1234-4234-8234-123456789012']) {
    const u = resolveUser(policy, { id, source: id.startsWith('dev-') ? 'dev' : 'entra' });
    expect(u.role).toBe('professional');
    expect(visibleFilter(u)).toEqual({ requesterId: id });
    expect(canList(u, {})).toBe(true);
    expect(canList(u, { requesterId: 'other' })).toBe(false);
    expect(canView(u, c('GM0246', id))).toBe(true);
    expect(canView(u, c('GM0246', 'other'))).toBe(false);
    expect(canChangeStatus(u, c('GM0246', id))).toBe(false);
    expect(canViewStats(u)).toBe(false);
  }
});
