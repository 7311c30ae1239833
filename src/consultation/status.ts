/**
 * Status transitions of a consultation (and the overleg it carries), in one place, for the repository, the municipal
 * API, the bot's overleg card, the coordinator's list card and the tab:
 * open → in-behandeling → afgerond, and open / in-behandeling → ingetrokken (the requester's). Setting the current
 * status again is a no-op (idempotent), not a transition. The handler of an overleg has two steps: Oppakken
 * (open → in-behandeling) and Afronden (in-behandeling → afgerond).
 */
import type { ConsultationStatus } from './ports';

export const STATUS_TRANSITIONS: Readonly<Record<ConsultationStatus, readonly ConsultationStatus[]>> = {
  open: ['in-behandeling', 'ingetrokken'],
  'in-behandeling': ['afgerond', 'ingetrokken'],
  afgerond: [],
  ingetrokken: [],
};

export function canTransition(from: ConsultationStatus, to: ConsultationStatus): boolean {
  return from === to || STATUS_TRANSITIONS[from].includes(to);
}

/** The handler's steps (bot card buttons mw.oppakken / mw.afronden, list card, tab status actions). */
export const HANDLER_STEPS = {
  oppakken: { from: 'open', to: 'in-behandeling' },
  afronden: { from: 'in-behandeling', to: 'afgerond' },
} as const satisfies Record<string, { from: ConsultationStatus; to: ConsultationStatus }>;
export type HandlerStep = keyof typeof HANDLER_STEPS;

/** The step the handler can take from this status, or null (afgerond, ingetrokken). */
export function handlerStepFrom(status: ConsultationStatus): HandlerStep | null {
  for (const [step, t] of Object.entries(HANDLER_STEPS) as Array<[HandlerStep, { from: ConsultationStatus }]>) if (t.from === status) return step;
  return null;
}

/** The handler's steps as a transition table (a subset of STATUS_TRANSITIONS; `ingetrokken` is the requester's). */
export const HANDLER_TRANSITIONS: Readonly<Record<ConsultationStatus, readonly ConsultationStatus[]>> = {
  open: [HANDLER_STEPS.oppakken.to],
  'in-behandeling': [HANDLER_STEPS.afronden.to],
  afgerond: [],
  ingetrokken: [],
};
