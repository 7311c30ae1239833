/**
 * The contract between a feature and the host: what a feature (overleg, coordinator list, …) hands the bot. Both
 * hosts (src/bot: botbuilder, src/agents: Agents SDK) use it through the neutral bot core (src/turn/core.ts);
 * features implement it with neutral types only (src/turn/port.ts), so no feature imports a host or an SDK.
 */
import type { NluResult } from '../src/meldcode/nlu';
import type { TurnPort } from '../src/turn/port';
import type { RouteTable } from '../src/turn/routes';
import type { Flow } from './flow';

export interface BotFeature {
  /** Flows the feature runs (started through `start(flowId, options)`). */
  flows?: Flow[];
  /** Handles an intent or an advice-card submit (`card:<mw>.<actie>`); returns true when it handled the turn. */
  onIntent?(intent: NluResult['intent'] | `card:${string}`, context: TurnPort, start: (flowId: string, options?: object) => Promise<void>, value?: Record<string, unknown>): Promise<boolean>;
  /**
   * Commands that work at any point, typed or clicked (e.g. "verder met MW-XXXX"): seen before the running flow;
   * true when handled. When a flow was running and is still the same afterwards, the host shows its question again.
   */
  onCommand?(context: TurnPort, start: (flowId: string, options?: object) => Promise<void>, state: { active: boolean; acuteKnown: boolean }): Promise<boolean>;
  /** Registers typed-message routes (before the bot's understanding) and Action.Execute verbs. */
  register?(routes: RouteTable): void;
}
