/**
 * The consultation flow as one pure function: given what is known about a case, the next question to ask, or
 * "advice". Acute danger first, then only what is missing, then the afwegingsvragen one by one once steps 1–3 are
 * done. Which sectors and doelgroepen need which question lives here (and in the engine's precedence, which this
 * function follows); the bot only asks what `nextQuestion` says. Pure: no botbuilder, no HTTP, no storage.
 */
import type { Policy } from './policy/schema';
import { adviceActie, isChildSector, nextAfwegingsvraag } from './engine';
import type { AfwegingKey, CaseInput, Doelgroep } from './types';

export const FLOW_QUESTIONS = ['acuut', 'gemeente', 'sector', 'doelgroep', 'medewerker', 'signalen', 'notitie', 'stappen'] as const;
export type FlowQuestionId = (typeof FLOW_QUESTIONS)[number] | `afweging:${AfwegingKey}`;
export type Next = { kind: 'question'; id: FlowQuestionId } | { kind: 'advice' };

export interface FlowProgress {
  /** Questions answered (or skipped) in this run; an answered question is never asked again. */
  answered: readonly string[];
  /** A note was typed and waits for the professional's confirmation (shown anonymised). */
  noteToConfirm?: boolean;
}

/** The employee question ("is the suspect a colleague?") only applies to children in onderwijs and kinderopvang. */
export function employeeQuestionApplies(c: CaseInput): boolean {
  return isChildSector(c.sector) && c.doelgroep === 'kind';
}

/** The employee route (meldplicht, vertrouwensinspecteur) replaces the rest of the meldcode. */
export function employeeRoute(c: CaseInput): boolean {
  return c.plegerIsMedewerker === true && isChildSector(c.sector);
}

/** The doelgroep needs an age band only for children (older people are always 65+, adults need none). */
export function needsAgeBand(c: CaseInput): boolean {
  return c.doelgroep === 'kind' && c.leeftijdsgroep === undefined;
}

/** Signals of the policy's catalogue that fit a doelgroep (the signal question shows only these). */
export function signalFits(policy: Policy, code: string, doelgroep: Doelgroep | undefined): boolean {
  return policy.signalen.some((s) => s.code === code && s.doelgroepen.includes(doelgroep ?? 'kind'));
}

/** Routes outside the five steps (112, meldplicht medewerker, Veilig Thuis direct) and disclosure skip the afweging. */
export function directRoute(c: CaseInput): boolean {
  const actie = adviceActie(c);
  return actie === '112' || actie === 'meldplicht-medewerker' || actie === 'veilig-thuis-direct' || c.disclosure === true;
}

const question = (id: FlowQuestionId): Next => ({ kind: 'question', id });

export function nextQuestion(c: CaseInput, _policy: Policy, progress: FlowProgress): Next {
  const answered = new Set(progress.answered);
  const open = (id: FlowQuestionId) => !answered.has(id);
  if (c.acuutGevaar === true) return { kind: 'advice' };
  if (c.acuutGevaar === undefined && open('acuut')) return question('acuut');
  if (c.gemeente === undefined && open('gemeente')) return question('gemeente');
  if (c.sector === undefined && open('sector')) return question('sector');
  if ((c.doelgroep === undefined || needsAgeBand(c)) && open('doelgroep')) return question('doelgroep');
  if (employeeQuestionApplies(c) && c.plegerIsMedewerker === undefined && open('medewerker')) return question('medewerker');
  if (employeeRoute(c)) return { kind: 'advice' };
  if (open('signalen')) return question('signalen');
  if (progress.noteToConfirm && open('notitie')) return question('notitie');
  if (open('stappen')) return question('stappen');
  if (directRoute(c)) return { kind: 'advice' };
  const done = new Set(c.stappenGedaan ?? []);
  if (![1, 2, 3].every((s) => done.has(s))) return { kind: 'advice' };
  const key = nextAfwegingsvraag(c);
  // "Weet ik niet" (null) ends the chain: the advice then says to weigh with Veilig Thuis.
  if (!key || !open(`afweging:${key}`)) return { kind: 'advice' };
  return question(`afweging:${key}`);
}
