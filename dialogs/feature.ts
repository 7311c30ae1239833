/**
 * The contract between a feature and the host: what a feature (overleg, coordinator list, …) hands the bot. The host
 * (src/bot) imports this; features implement it, so no feature needs to import the host.
 */
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import type { NluResult } from '../src/meldcode/nlu';
import type { Flow } from './flow';

export interface BotFeature {
  /** Flows the feature runs (started through `start(flowId, options)`). */
  flows?: Flow[];
  /** Handles an intent or an advice-card action; returns true when it handled the turn. */
  onIntent?(intent: NluResult['intent'] | `card:${string}`, context: TurnContext, start: (flowId: string, options?: object) => Promise<void>, value?: Record<string, unknown>): Promise<boolean>;
  /** Handles an Action.Execute (adaptiveCard/action) invoke; undefined when not its verb. */
  onCardAction?(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse | undefined>;
}
