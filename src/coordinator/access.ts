/**
 * Access policy for the coordinator tab, as data (`policy/access.json`), validated with zod.
 * Pure: no HTTP, no restify, no botbuilder. The tab routes (src/tab/routes.ts) ask these functions.
 *
 * Rules
 * - A user is identified by their Entra object id (`oid`, kind `entra`) or, in local development only, by a dev id
 *   (kind `dev`, usable only through the dev sign-in, which never exists in production).
 * - `coordinator` (aandachtsfunctionaris, procescoördinator, beleidsadviseur): sees and changes the consultations of
 *   the gemeenten (CBS codes) listed for them, and their aggregated figures.
 * - Anybody else with a valid identity is a `professional`: sees only consultations whose `requesterId` equals their
 *   own id, cannot change a status, and sees no monitoring figures.
 * - Without a valid identity nobody sees anything (the routes answer 401 before asking this module).
 * - Consultations without a gemeente are visible to their requester only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ConsultationFilter, LocalConsultation } from '../consultation/ports';
import { GemeenteCode } from '../meldcode/types';

export const COORDINATOR_FUNCTIES = ['aandachtsfunctionaris', 'procescoordinator', 'beleidsadviseur'] as const;
export type CoordinatorFunctie = (typeof COORDINATOR_FUNCTIES)[number];

const DEV_ID = /^dev-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const Base = {
  label: z.string().min(1).max(200),
};

const CoordinatorEntry = z
  .object({
    ...Base,
    id: z.string(),
    kind: z.enum(['entra', 'dev']),
    role: z.literal('coordinator'),
    functie: z.enum(COORDINATOR_FUNCTIES),
    gemeenten: z.array(GemeenteCode).min(1).max(500),
  })
  .strict();

const ProfessionalEntry = z
  .object({
    ...Base,
    id: z.string(),
    kind: z.enum(['entra', 'dev']),
    role: z.literal('professional'),
  })
  .strict();

export const AccessEntry = z
  .discriminatedUnion('role', [CoordinatorEntry, ProfessionalEntry])
  .superRefine((e, ctx) => {
    if (e.kind === 'entra' && !GUID.test(e.id)) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: 'een Entra-gebruiker heeft een object-id (GUID) als id' });
    }
    if (e.kind === 'dev' && !DEV_ID.test(e.id)) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: 'een ontwikkelaccount heeft een id die begint met "dev-" (kleine letters, cijfers, streepjes)' });
    }
  });

export const AccessPolicySchema = z
  .object({
    $comment: z.string().optional(),
    version: z.literal(1),
    users: z.array(AccessEntry).max(10000),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.users.forEach((u, i) => {
      const key = u.id.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['users', i, 'id'], message: `dubbele gebruiker ${u.id}` });
      seen.add(key);
    });
  });

export type AccessEntry = z.infer<typeof AccessEntry>;
export type AccessPolicyData = z.infer<typeof AccessPolicySchema>;

/** The validated policy with a lookup index. Plain data: safe to share. */
export interface AccessPolicy {
  readonly data: AccessPolicyData;
  /** Entries by `${kind}:${lowercased id}`. */
  readonly byKey: ReadonlyMap<string, AccessEntry>;
}

/** Who is asking, as established by authentication (src/tab/auth.ts). */
export interface Identity {
  /** Entra object id (`oid`) or dev id. Compared with `LocalConsultation.requesterId`. */
  id: string;
  source: 'entra' | 'dev';
  name?: string;
}

/** What the policy makes of an identity. */
export type AccessUser =
  | { id: string; name?: string; source: Identity['source']; role: 'coordinator'; functie: CoordinatorFunctie; gemeenten: string[]; label: string }
  | { id: string; name?: string; source: Identity['source']; role: 'professional' };

export class AccessPolicyError extends Error {
  constructor(message: string, readonly issues: string[] = []) {
    super(message);
    this.name = 'AccessPolicyError';
  }
}

/** Validates policy JSON; throws AccessPolicyError listing every problem (path: message). */
export function parseAccessPolicy(json: unknown): AccessPolicy {
  const r = AccessPolicySchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new AccessPolicyError(`policy/access.json is ongeldig:\n  ${issues.join('\n  ')}`, issues);
  }
  const byKey = new Map<string, AccessEntry>();
  for (const u of r.data.users) byKey.set(`${u.kind}:${u.id.toLowerCase()}`, u);
  return { data: r.data, byKey };
}

/** Nearest directory upwards from here that holds the project's package.json (works from src/ and dist/src/). */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'policy'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export function defaultAccessPolicyPath(): string {
  return path.join(projectRoot(), 'policy', 'access.json');
}

/** Reads and validates the policy file: `file` (the host passes MELDWIJZER_ACCESS_POLICY in), else `policy/access.json`. */
export function loadAccessPolicy(file?: string): AccessPolicy {
  const p = file ?? defaultAccessPolicyPath();
  let text: string;
  try {
    text = fs.readFileSync(p, 'utf8');
  } catch (e) {
    throw new AccessPolicyError(`toegangsbeleid niet gevonden: ${p} (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AccessPolicyError(`toegangsbeleid ${p} is geen geldige JSON: ${(e as Error).message}`);
  }
  return parseAccessPolicy(json);
}

/** The policy entry for an identity, if any. */
export function findEntry(policy: AccessPolicy, identity: Pick<Identity, 'id' | 'source'>): AccessEntry | undefined {
  return policy.byKey.get(`${identity.source}:${identity.id.toLowerCase()}`);
}

/** Dev accounts offered by the dev sign-in (only used when dev auth is on). */
export function devUsers(policy: AccessPolicy): Array<{ id: string; label: string; role: AccessEntry['role'] }> {
  return policy.data.users.filter((u) => u.kind === 'dev').map((u) => ({ id: u.id, label: u.label, role: u.role }));
}

/** Applies the policy: listed coordinators get their gemeenten, everybody else is a professional. */
export function resolveUser(policy: AccessPolicy, identity: Identity): AccessUser {
  const e = findEntry(policy, identity);
  const base = { id: identity.id, source: identity.source, ...(identity.name ? { name: identity.name } : {}) };
  if (e && e.role === 'coordinator') {
    return { ...base, role: 'coordinator', functie: e.functie, gemeenten: [...new Set(e.gemeenten)], label: e.label };
  }
  return { ...base, role: 'professional' };
}

/** The constraints every list/get/stat query of this user must carry. */
export function visibleFilter(user: AccessUser): Pick<ConsultationFilter, 'gemeenten' | 'requesterId'> {
  return user.role === 'coordinator' ? { gemeenten: [...user.gemeenten] } : { requesterId: user.id };
}

/**
 * May this user run this list query? A coordinator may narrow to their own gemeenten only; a professional may only
 * ask for their own requests (a requesterId filter, when given, must be their own id).
 */
export function canList(user: AccessUser, filter: Pick<ConsultationFilter, 'gemeenten' | 'requesterId'>): boolean {
  if (user.role === 'coordinator') {
    if (filter.requesterId !== undefined && filter.requesterId !== user.id) return false;
    return (filter.gemeenten ?? []).every((g) => user.gemeenten.includes(g));
  }
  return filter.requesterId === undefined || filter.requesterId === user.id;
}

/** May this user see this consultation? */
export function canView(user: AccessUser, c: Pick<LocalConsultation, 'requesterId' | 'case'>): boolean {
  if (c.requesterId === user.id) return true;
  return user.role === 'coordinator' && !!c.case.gemeente && user.gemeenten.includes(c.case.gemeente);
}

/** Coordinators of the consultation's gemeente only. */
export function canChangeStatus(user: AccessUser, c: Pick<LocalConsultation, 'case'>): boolean {
  return user.role === 'coordinator' && !!c.case.gemeente && user.gemeenten.includes(c.case.gemeente);
}

/** Monitoring figures: coordinators only, for (a subset of) their gemeenten. */
export function canViewStats(user: AccessUser, gemeenten?: string[]): boolean {
  return user.role === 'coordinator' && (gemeenten ?? []).every((g) => user.gemeenten.includes(g));
}
