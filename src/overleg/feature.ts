/**
 * The overleg feature for MeldwijzerBot: the request flow (typed "ik wil de aandachtsfunctionaris spreken" or
 * the advice card's "Overleg aanvragen"), the Action.Execute handler for the notification card
 * (mw.refresh / mw.oppakken / mw.afronden / mw.intrekken), typed "intrekken MW-XXXXXX", and the notification
 * outbox worker that delivers proactive messages through the Teams transport.
 */
import { UITKOMSTEN, type Uitkomst } from '../consultation/ports';
import { z } from 'zod';
import { messageResponse, type CardActionResponse, type CardActionValue, type TurnPort } from '../turn/port';
import type { RouteTable } from '../turn/routes';
import type { BotFeature } from '../../dialogs/feature';
import { languageOf, t } from '../texts';
import { understand } from '../meldcode/nlu';
import type { Policy } from '../meldcode/policy';
import type { CaseInput } from '../meldcode/types';
import type { ConsultationRepository, ConversationRefStore } from '../consultation/ports';
import type { Db } from '../store/db';
import { silentLogger, type Logger } from '../records/logger';
import { NUMMER_PATTERN } from '../consultation/repository';
import { OVERLEG_VERBS } from './cards';
import { OVERLEG_FLOW, createOverlegFlow, type OverlegDialogOptions } from './dialog';
import { userIdOf } from '../identity';
import { createOverlegService, pickRouting, type OverlegService } from './service';
import { startNotificationWorker, type NotificationWorker, type NotificationWorkerOptions } from './outbox';
import { createTeamsTransport, type ProactiveAdapter } from './teamsTransport';
import type { NotificationTransport } from './transport';

export interface OverlegFeatureDeps {
  policy: Policy;
  repo: ConsultationRepository;
  refs: ConversationRefStore;
  db: Db;
  /** The host's proactive-send port (botbuilder CloudAdapter, or the Agents SDK one through src/agents/proactive.ts). */
  adapter?: ProactiveAdapter;
  /** Microsoft App Id (config.appId); '' for local development. Retention of delivered notifications (config.outboxRetentionMs). */
  config?: { appId: string; outboxRetentionMs?: number };
  appId?: string;
  /** Use this transport instead of the Teams one (tests). */
  transport?: NotificationTransport;
  /** Service URL for channel posts when no stored reference gives one. */
  serviceUrl?: string;
  /** Notification worker options (tests: pollMs 0 and drain by hand); false = no worker (nothing is delivered). */
  notificationWorker?: false | Omit<NotificationWorkerOptions, 'db' | 'process' | 'logger'>;
  fallbackAfterAttempts?: number;
  logger?: Logger;
  now?: () => Date;
}

export interface OverlegFeature extends BotFeature {
  readonly service: OverlegService;
  readonly worker: NotificationWorker | null;
  stop(): Promise<void>;
}

const CardData = z.object({ nummer: z.string().regex(NUMMER_PATTERN) });
const AdviceValue = z.object({ mw: z.literal('advies'), actie: z.literal('overleg'), nummer: z.string().regex(NUMMER_PATTERN) });
const WITHDRAW = /^\s*(?:overleg\s+)?(?:intrekken|intrekking|trek|withdraw)\s+(mw-[23456789a-z]{6})(?:\s+in)?\s*[.!]?\s*$/i;

export function createOverlegFeature(deps: OverlegFeatureDeps): OverlegFeature {
  const logger = deps.logger ?? silentLogger;
  const appId = deps.appId ?? deps.config?.appId ?? '';
  const transport =
    deps.transport ?? (deps.adapter ? createTeamsTransport({ adapter: deps.adapter, appId, refs: deps.refs, serviceUrl: deps.serviceUrl, logger }) : undefined);
  let worker: NotificationWorker | null = null;
  const service = createOverlegService({
    policy: deps.policy,
    repo: deps.repo,
    refs: deps.refs,
    db: deps.db,
    transport,
    fallbackAfterAttempts: deps.fallbackAfterAttempts,
    onEnqueued: () => worker?.wake(),
    logger,
    now: deps.now,
  });
  if (deps.notificationWorker !== false && transport) {
    worker = startNotificationWorker({
      retentionMs: deps.config?.outboxRetentionMs,
      ...(deps.notificationWorker ?? {}),
      db: deps.db,
      process: (row, payload) => service.process(row, payload),
      logger,
      now: deps.now,
    });
    // A crash between recording a request and queueing its notification must not lose it.
    service.reconcile().catch((err: unknown) => logger.error('overleg.reconcile_failed', { error: (err as Error)?.name }));
    // The worker must not outlive the database: stop it (waiting for a running round) before the db closes.
    const db = deps.db as Db & { close(): Promise<void> };
    const closeDb = db.close.bind(db);
    db.close = async () => {
      await worker?.stop();
      return closeDb();
    };
  }
  const flow = createOverlegFlow({ policy: deps.policy, service, logger });

  async function withdrawTyped(context: TurnPort, nummer: string): Promise<void> {
    const lang = languageOf(context);
    const r = await service.withdraw(nummer, { userId: userIdOf(context), name: context.activity.from?.name });
    if (r.ok) await context.sendActivity(t(lang, 'overleg.withdrawn', { nummer }));
    else {
      const key = r.reason === 'not-found' ? 'overleg.not.found' : r.reason === 'not-yours' ? 'overleg.not.yours' : r.reason === 'not-open' ? 'overleg.not.open' : 'overleg.failed';
      await context.sendActivity(t(lang, key, { nummer }));
    }
  }

  const feature: OverlegFeature = {
    service,
    get worker() {
      return worker;
    },
    flows: [flow],

    async onIntent(intent, context, start, value) {
      if (intent === 'overleg') {
        const prefill = understand(context.activity.text ?? '', deps.policy).prefill;
        await start(OVERLEG_FLOW, { askGemeente: true, case: pickRouting(prefill) } satisfies OverlegDialogOptions);
        return true;
      }
      if (intent === 'card:advies.overleg') {
        const lang = languageOf(context);
        const v = AdviceValue.safeParse(value ?? {});
        if (!v.success) {
          await context.sendActivity(t(lang, 'action.unknown'));
          return true;
        }
        const c = await deps.repo.get(v.data.nummer);
        const requesterId = userIdOf(context);
        if (!c) await context.sendActivity(t(lang, 'overleg.not.found', { nummer: v.data.nummer }));
        else if (c.requesterId !== requesterId) await context.sendActivity(t(lang, 'overleg.not.yours'));
        else if (c.overlegGevraagd) await context.sendActivity(t(lang, 'overleg.already', { nummer: c.nummer }));
        else if (c.status !== 'open') await context.sendActivity(t(lang, 'overleg.not.open', { nummer: c.nummer }));
        else await start(OVERLEG_FLOW, { nummer: c.nummer, case: pickRouting(c.case), askGemeente: false } satisfies OverlegDialogOptions);
        return true;
      }
      return false;
    },

    register(routes: RouteTable) {
      for (const verb of OVERLEG_VERBS) routes.execute(verb, (context, value) => cardAction(context, value));
      // Typed "intrekken MW-XXXXXX", before the bot's NLU (which has no intent for it).
      routes.message(WITHDRAW, async (context, m) => {
        try {
          await withdrawTyped(context, m[1]!.toUpperCase());
        } catch (err) {
          logger.error('overleg.withdraw_failed', { error: (err as Error)?.name });
          await context.sendActivity(t(languageOf(context), 'overleg.failed'));
        }
      });
    },

    async stop() {
      await worker?.stop();
    },
  };
  return feature;

  async function cardAction(context: TurnPort, invoke: CardActionValue): Promise<CardActionResponse> {
    const verb = invoke.action.verb;
    const lang = languageOf(context);
    const data = CardData.safeParse(invoke.action.data ?? {});
    if (!data.success) return messageResponse(t(lang, 'action.unknown'));
    const from = context.activity.from ?? { id: '', name: '' };
    // Afronden carries the stap 5 outcome from the card's choice (issue 13); older cards close without one.
    const uitkomst = (UITKOMSTEN as readonly unknown[]).includes((invoke.action.data as Record<string, unknown> | undefined)?.uitkomst)
      ? ((invoke.action.data as Record<string, unknown>).uitkomst as Uitkomst)
      : undefined;
    const r = await service.act(verb as (typeof OVERLEG_VERBS)[number], data.data.nummer, { userId: userIdOf(context), name: from.name || undefined }, lang, undefined, uitkomst);
    if (!r) return messageResponse(t(lang, 'overleg.not.found', { nummer: data.data.nummer }));
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: r.card as Record<string, unknown> };
  }
}
