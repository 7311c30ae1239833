/**
 * The Microsoft 365 Agents SDK host (MELDWIJZER_HOST=agents): an AgentApplication + CloudAdapter of
 * `@microsoft/agents-hosting`, served by the same restify server at the same /api/messages (no express: a small
 * WebResponse shim). The route table maps onto AgentApplication routes; the turn logic is the neutral BotCore.
 *
 * Differences from the SDK defaults, on purpose:
 * - JWT: the shared check (src/turn/jwt.ts) runs first and its payload is handed to `process()` as `request.user`;
 *   the SDK's `authorizeJWT` would accept a token without `exp` and any issuer.
 * - State: the conversation bag is loaded/saved here with botbuilder's key (`msteams/conversations/<id>/`), on the
 *   same storage, so switching host keeps running conversations. AgentApplication gets no storage, so its TurnState
 *   (and the 1.8.1 bug that saves it only when an afterTurn handler exists) is not involved.
 * - onError replaces the SDK's two English error messages; an Action.Execute verb without a route answers 200 with
 *   a message (the SDK would answer 501).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AgentApplication, CloudAdapter, ConnectorClient, RouteRank, TurnState, type AuthConfiguration, type Request, type TurnContext, type WebResponse } from '@microsoft/agents-hosting';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { Logger } from '../records/logger';
import type { CardActionValue, TurnPort } from '../turn/port';
import { conversationKey, routeText, type BotCore } from '../turn/routes';
import { loadBag, type KeyValueStorage } from '../turn/storage';
import type { JwtVerifier } from '../turn/jwt';
import { turnFailed } from '../turn/core';

export interface AgentsHostOptions {
  adapter: CloudAdapter;
  core: BotCore;
  storage: KeyValueStorage;
  /** App registration; appId '' = local development without authentication. */
  auth: { appId: string; appPassword: string; tenantId: string };
  /** The shared JWT check; required when appId is set. */
  verifier: JwtVerifier | null;
  logger: Logger;
}

export interface AgentsHost {
  adapter: CloudAdapter;
  app: AgentApplication<TurnState>;
  /** POST /api/messages after the shared body checks: `body` is the validated activity. */
  process(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
}

/** The Agents SDK's WebResponse (express semantics: send() ends the response) over node's ServerResponse. */
export function webResponse(res: ServerResponse): WebResponse {
  const w = {
    status(code: number) {
      res.statusCode = code;
      return w;
    },
    setHeader(name: string, value: string) {
      res.setHeader(name, value);
      return w;
    },
    send(body?: unknown) {
      if (body === undefined || body === null) {
        if (!res.writableEnded) res.end();
        return w;
      }
      const isText = typeof body === 'string' || Buffer.isBuffer(body);
      if (!isText && !res.hasHeader('content-type')) res.setHeader('content-type', 'application/json');
      if (!res.writableEnded) res.end(isText ? body : JSON.stringify(body));
      return w;
    },
    end() {
      if (!res.writableEnded) res.end();
      return w;
    },
    get headersSent() {
      return res.headersSent;
    },
    get writableEnded() {
      return res.writableEnded;
    },
  };
  return w as unknown as WebResponse;
}

/** Our TurnPort over an Agents TurnContext (the shapes are the same; only the SDK's types differ). */
const portOf = (context: TurnContext): TurnPort => context as unknown as TurnPort;

class TokenlessCloudAdapter extends CloudAdapter {
  override async createConnectorClientWithIdentity(_identity: unknown, activity: { serviceUrl?: string }): Promise<ConnectorClient> {
    return ConnectorClient.createClientWithToken(activity.serviceUrl ?? '', '');
  }
}

/**
 * The Agents SDK CloudAdapter with an explicit configuration from ours (MicrosoftAppId/Password/TenantId, which
 * config.ts also fills from the SDK's Connections__serviceConnection__Settings__* names). `outboundWithoutToken`
 * (tests only) sends replies without requesting an Entra token.
 */
export function createAgentsAdapter(auth: { appId: string; appPassword: string; tenantId: string }, outboundWithoutToken = false): CloudAdapter {
  const authConfig: AuthConfiguration = auth.appId ? { clientId: auth.appId, clientSecret: auth.appPassword, tenantId: auth.tenantId || undefined } : {};
  return outboundWithoutToken ? new TokenlessCloudAdapter(authConfig) : new CloudAdapter(authConfig);
}

export function createAgentsHost(o: AgentsHostOptions): AgentsHost {
  const { core, logger, adapter } = o;
  const app = new AgentApplication<TurnState>({ adapter, removeRecipientMention: false, startTypingTimer: false });

  /** Runs a handler with the conversation bag loaded, and saves it after (one read, at most one write). */
  const withBag = async (context: TurnContext, fn: (bag: Record<string, unknown>) => Promise<void>): Promise<void> => {
    const a = context.activity;
    const { bag, save } = await loadBag(o.storage, conversationKey({ channelId: a.channelId ?? '', conversation: { id: a.conversation?.id ?? '' } }));
    await fn(bag);
    await save();
  };

  app.onError(async (context, error) => turnFailed(portOf(context), error, logger));

  // Action.Execute: one route per registered verb (the card it returns replaces the clicked card), then a catch-all.
  for (const route of core.routes.executes) {
    app.adaptiveCards.actionExecute(route.verb, async (context) => {
      // The invoke value as the botbuilder host sees it (the SDK's handler argument is the action, not its data).
      const r = await route.handle(portOf(context), context.activity.value as CardActionValue);
      return r.value as never;
    });
  }
  app.adaptiveCards.actionExecute(/.*/, async (context) => (await core.unknownExecute(portOf(context))).value as never);

  // Install events.
  app.onConversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if ((context.activity.membersAdded ?? []).some((m) => m.id !== botId)) await withBag(context, (bag) => core.membersAdded(portOf(context), bag));
  });
  app.onActivity(
    async (context) => context.activity.type === ActivityTypes.InstallationUpdate && (context.activity.action ?? 'add').startsWith('add'),
    async (context) => withBag(context, (bag) => core.installed(portOf(context), bag)),
  );

  // Typed messages that features answer before the bot's understanding (e.g. "intrekken MW-…").
  const typed = (context: TurnContext): string | null =>
    context.activity.type === ActivityTypes.Message && context.activity.value === undefined && typeof context.activity.text === 'string' ? routeText(context.activity.text) : null;
  app.onMessage(
    async (context) => {
      const text = typed(context);
      return text !== null && core.routes.matchMessage(text) !== undefined;
    },
    async (context) => {
      const hit = core.routes.matchMessage(typed(context) ?? '');
      if (hit) await hit.route.handle(portOf(context), hit.match);
    },
  );
  // Everything else that is a message: the bot core (danger, stop/opnieuw/help, flows, card submits, intents).
  app.onActivity(ActivityTypes.Message, async (context) => withBag(context, (bag) => core.message(portOf(context), bag)), [], RouteRank.Last);

  return {
    adapter,
    app,
    async process(req, res, body) {
      // The SDK validates activities with its own (stricter) schema and would throw out of process(): the same
      // 400 as the shared gate, before authentication and the turn.
      try {
        Activity.fromObject(body as Record<string, unknown>);
      } catch (err) {
        const issues = (err as { issues?: Array<{ path?: Array<string | number> }> }).issues ?? [];
        res.statusCode = 400;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: 'invalid_activity', message: 'Dit is geen geldige Bot Framework activity.', fields: issues.slice(0, 10).map((i) => (i.path ?? []).join('.') || '(root)') }));
        return;
      }
      const wres = webResponse(res);
      const request: Request = { body: body as Record<string, unknown>, headers: req.headers as Request['headers'], method: req.method };
      if (o.auth.appId) {
        const user = o.verifier ? await o.verifier(req.headers.authorization, body as { serviceUrl?: unknown }) : null;
        if (!user) {
          res.statusCode = 401;
          res.end();
          return;
        }
        (request as { user?: unknown }).user = user;
      }
      await adapter.process(request, wres, (context) => app.run(context));
      if (!res.writableEnded) res.end();
    },
  };
}
