/**
 * Status transitions of a consultation (and the overleg it carries), in one place, for the repository, the municipal
 * API, the bot's overleg card, the coordinator's list card, the tab and the professional's own commands.
 *
 * The consultation's life: each action with the states it starts from and the state it leads to. `verder` (resume
 * with new answers) keeps the state. Closing (`afronden`) needs a stap 5 outcome from the professional; `heropenen`
 * is allowed within `REOPEN_DAYS` of closing (checked by the repository). Setting the current status again is a
 * no-op (idempotent), not a transition.
 */
import type { ConsultationStatus } from './ports';

export const LIFECYCLE_ACTIONS = {
  oppakken: { from: ['open'], to: 'in-behandeling' },
  afronden: { from: ['open', 'in-behandeling'], to: 'afgerond' },
  heropenen: { from: ['afgerond'], to: 'open' },
  intrekken: { from: ['open', 'in-behandeling'], to: 'ingetrokken' },
  verder: { from: ['open', 'in-behandeling'], to: null },
} as const satisfies Record<string, { from: readonly ConsultationStatus[]; to: ConsultationStatus | null }>;
export type LifecycleAction = keyof typeof LIFECYCLE_ACTIONS;

/** Target states that need a stap 5 outcome. */
export const NEEDS_UITKOMST: ReadonlySet<ConsultationStatus> = new Set(['afgerond']);

/** Open and in overleg: the states the professional's list and the monitoring count as active. */
export const ACTIVE_STATUSES: readonly ConsultationStatus[] = ['open', 'in-behandeling'];

/**
 * Allowed status changes, derived from `LIFECYCLE_ACTIONS`: open → in-behandeling → afgerond, open → afgerond (the
 * professional closes with an outcome), afgerond → open (reopened), open / in-behandeling → ingetrokken.
 */
export const STATUS_TRANSITIONS: Readonly<Record<ConsultationStatus, readonly ConsultationStatus[]>> = (() => {
  const t: Record<ConsultationStatus, ConsultationStatus[]> = { open: [], 'in-behandeling': [], afgerond: [], ingetrokken: [] };
  for (const a of Object.values(LIFECYCLE_ACTIONS)) {
    if (a.to === null) continue;
    for (const from of a.from) if (from !== a.to && !t[from].includes(a.to)) t[from].push(a.to);
  }
  return t;
})();

export function canTransition(from: ConsultationStatus, to: ConsultationStatus): boolean {
  return from === to || STATUS_TRANSITIONS[from].includes(to);
}

/**
 * The handler of an overleg (the aandachtsfunctionaris) has two steps: Oppakken (open → in-behandeling) and Afronden
 * (in-behandeling → afgerond); a subset of the life above.
 */
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
