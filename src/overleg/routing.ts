/**
 * Routing of an overleg (consultation request) to people: gemeente + doelgroep → role (the policy's
 * `overlegRoutering`, via `routeOverleg`) → the contact for that role (gemeente, regio, national) → its Teams
 * users, deputies and channel. Pure: no botbuilder, no HTTP, no storage.
 */
import { routeOverleg } from '../meldcode/engine';
import type { CaseInput, Language, Rol } from '../meldcode/types';
import { localText, resolveContact, type Policy } from '../meldcode/policy';
import type { LocalConsultation } from '../consultation/ports';

export interface OverlegRoute {
  rol: Rol;
  /** Display name of the contact (role name, never a person), or a generic name when not configured. */
  naam: string;
  telefoon: string | null;
  /** Where the contact was found; null when the policy has no contact for the role. */
  level: 'gemeente' | 'regio' | 'nationaal' | null;
  /** Teams user ids (aadObjectId) who handle requests for this role. */
  userIds: string[];
  /** Deputies: reached when none of the users can be reached; may also pick up and close. */
  plaatsvervangers: string[];
  /** Channel conversation id: last resort when no user or deputy can be reached. */
  kanaal: string | null;
}

/** The route for a case: the role from the policy's overleg routing, then that role's contact. */
export function routeOverlegRequest(c: Pick<CaseInput, 'gemeente' | 'doelgroep' | 'leeftijdsgroep'> & Partial<CaseInput>, policy: Policy, lang: Language = 'nl'): OverlegRoute {
  return contactRoute(policy, c.gemeente, routeOverleg(c as CaseInput, policy), lang);
}

/** The contact behind a role that was routed earlier (stored as `contactRol`): read from the current policy. */
export function contactRoute(policy: Policy, gemeente: string | undefined, rol: Rol, lang: Language = 'nl'): OverlegRoute {
  const hit = resolveContact(policy, gemeente, rol);
  const teams = hit?.contact.teams;
  const userIds = unique(teams?.userIds ?? []);
  return {
    rol,
    naam: hit ? localText(hit.contact.naam, lang) : rol,
    telefoon: hit?.contact.telefoon ?? null,
    level: hit?.level ?? null,
    userIds,
    plaatsvervangers: unique(teams?.plaatsvervangers ?? []).filter((u) => !userIds.includes(u)),
    kanaal: teams?.kanaal ?? null,
  };
}

/** May this user pick up or close requests for the route (a routed user or a configured deputy)? */
export function mayHandle(route: Pick<OverlegRoute, 'userIds' | 'plaatsvervangers'>, userId: string): boolean {
  return !!userId && (route.userIds.includes(userId) || route.plaatsvervangers.includes(userId));
}

/** True when the route has anyone the bot can notify in Teams. */
export function hasTeamsTargets(route: OverlegRoute): boolean {
  return route.userIds.length > 0 || route.plaatsvervangers.length > 0 || route.kanaal !== null;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Who wants to handle a request: a Teams / Entra user id, with the coordinator role and gemeenten when known. */
export interface Handler {
  id: string;
  role?: 'coordinator' | 'professional';
  gemeenten?: readonly string[];
}

/**
 * The one pick-up rule (bot card, coordinator list card, tab): a request routed to a named contact (Teams users or
 * deputies configured for the routed role) may be picked up and closed only by those users or deputies; a
 * consultation without such a named contact by a coordinator of its gemeente.
 */
export function mayHandleConsultation(user: Handler, c: Pick<LocalConsultation, 'case' | 'contactRol'>, policy: Policy): boolean {
  if (!user.id) return false;
  const route = c.contactRol ? contactRoute(policy, c.case.gemeente, c.contactRol) : null;
  if (route && (route.userIds.length > 0 || route.plaatsvervangers.length > 0)) return mayHandle(route, user.id);
  const gemeente = c.case.gemeente;
  return user.role === 'coordinator' && !!gemeente && (user.gemeenten ?? []).includes(gemeente);
}
