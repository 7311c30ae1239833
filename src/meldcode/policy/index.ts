/**
 * Policy loading and lookups. The policy is data (policy/meldwijzer.json): a municipality changes
 * contacts, routing and texts without a release. Validated with zod at startup and by `meldwijzer policy check`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PolicySchema, type Policy, type PolicyContact } from './schema';
import type { Doelgroep, Language } from '../types';

export { PolicySchema };
export type { Policy, PolicyContact };

let configuredPath: string | null = null;

/**
 * The policy file chosen by the host (src/config.ts reads MELDWIJZER_POLICY; src/app.ts and the CLI pass it in here):
 * the domain core reads no environment. `undefined` goes back to the default.
 */
export function usePolicyFile(file: string | undefined): void {
  configuredPath = file ? path.resolve(file) : null;
}

/**
 * Default policy file: the one passed to `usePolicyFile`, else policy/meldwijzer.json in the package root (the folder
 * with package.json above this file, from src/ and from dist/src/ alike), so an edited policy applies on restart
 * without a rebuild.
 */
export function defaultPolicyPath(): string {
  if (configuredPath) return configuredPath;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'policy', 'meldwijzer.json'))) return path.join(dir, 'policy', 'meldwijzer.json');
    dir = path.dirname(dir);
  }
  return path.resolve('policy/meldwijzer.json');
}

export class PolicyError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** Human-readable list of zod issues: `gemeenten.3.code: …`. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

export function parsePolicy(raw: unknown): Policy {
  const r = PolicySchema.safeParse(raw);
  if (!r.success) throw new PolicyError('De policy is ongeldig', formatIssues(r.error));
  return r.data;
}

const cache = new Map<string, Policy>();
export function loadPolicy(file: string = defaultPolicyPath()): Policy {
  const hit = cache.get(file);
  if (hit) return hit;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PolicyError(`Policy ${file} kan niet worden gelezen`, [(err as Error).message]);
  }
  const policy = parsePolicy(raw);
  cache.set(file, policy);
  return policy;
}

export function gemeenten(policy: Policy): Array<{ code: string; naam: string }> {
  return policy.gemeenten.map((g) => ({ code: g.code, naam: g.naam })).sort((a, b) => a.naam.localeCompare(b.naam, 'nl'));
}

export function findGemeente(policy: Policy, code: string | undefined) {
  return code ? policy.gemeenten.find((g) => g.code === code) : undefined;
}

export function signalCatalogue(policy: Policy, doelgroep: Doelgroep) {
  return policy.signalen.filter((s) => s.doelgroepen.includes(doelgroep)).map((s) => ({ code: s.code, categorie: s.categorie, label: s.label }));
}

export function localText(text: { nl: string; en: string }, lang: Language): string {
  return text[lang] ?? text.nl;
}

/** Contact for a role: gemeente first, then its regio, then national. */
export function resolveContact(policy: Policy, gemeenteCode: string | undefined, rol: string): { contact: PolicyContact; level: 'gemeente' | 'regio' | 'nationaal' } | null {
  const g = findGemeente(policy, gemeenteCode);
  const local = g?.contacten.find((c) => c.rol === rol);
  if (local) return { contact: local, level: 'gemeente' };
  const regio = g?.regio ? policy.regios.find((r) => r.code === g.regio) : undefined;
  const regional = regio?.contacten.find((c) => c.rol === rol);
  if (regional) return { contact: regional, level: 'regio' };
  const national = policy.contacten.nationaal.find((c) => c.rol === rol);
  return national ? { contact: national, level: 'nationaal' } : null;
}
