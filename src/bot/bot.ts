/**
 * MeldwijzerBot: the botbuilder host of the neutral bot core (src/turn/core.ts). It maps the route table onto
 * TeamsActivityHandler: typed-message routes first, then the core's message turn; membersAdded / installationUpdate
 * add; Action.Execute verbs (adaptiveCard/action invoke). The conversation bag is botbuilder's ConversationState
 * object (one read, at most one write per turn, src/bot/state.ts).
 */
import { TeamsActivityHandler, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type ConversationState, type TurnContext } from 'botbuilder';
import { MeldwijzerCore, type CoreDeps } from '../turn/core';
import type { CardActionValue, TurnPort } from '../turn/port';
import { routeText } from '../turn/routes';

export { MAX_TEXT_LENGTH } from '../turn/core';
/** Optional features that plug into the bot (consultation requests, coordinator list). */
export type { BotFeature } from '../../dialogs/feature';

export interface BotDeps extends CoreDeps {
  /** All per-turn state lives in the conversation state: one storage read and at most one write per turn. */
  conversationState: ConversationState;
}

const portOf = (context: TurnContext): TurnPort => context as unknown as TurnPort;

export class MeldwijzerBot extends TeamsActivityHandler {
  readonly core: MeldwijzerCore;

  constructor(private readonly deps: BotDeps) {
    super();
    const core = (this.core = new MeldwijzerCore(deps));
    const bag = (context: TurnContext) => deps.conversationState.load(context) as Promise<Record<string, unknown>>;

    this.onMessage(async (context, next) => {
      const a = context.activity;
      const hit = a.value === undefined && typeof a.text === 'string' ? core.routes.matchMessage(routeText(a.text)) : undefined;
      if (hit) await hit.route.handle(portOf(context), hit.match);
      else await core.message(portOf(context), await bag(context));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== botId)) await core.membersAdded(portOf(context), await bag(context));
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await core.installed(portOf(context), await bag(context));
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const route = this.core.routes.executeRoute(invokeValue?.action?.verb);
    const r = route ? await route.handle(portOf(context), invokeValue as unknown as CardActionValue) : await this.core.unknownExecute(portOf(context));
    return r as unknown as AdaptiveCardInvokeResponse;
  }
}
