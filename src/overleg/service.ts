/**
 * Overleg (consultation request) service: records the request on the consultation, routes it by policy to the
 * contact's Teams users, queues the proactive notification, handles pick-up / close / withdraw with
 * authorisation and compare-and-set (exactly one of two simultaneous pick-ups wins), and decides the delivery
 * order users → deputies → channel for the notification outbox. Every status change goes through
 * `repo.update`, which writes the audit trail and queues the municipal status update.
 * No botbuilder: sending goes through the NotificationTransport port.
 */
import { adviceTitle, advise, isRouteActie, stepTitle } from '../meldcode/engine';
import type { CaseInput, Language } from '../meldcode/types';
import { HANDLER_STEPS } from '../consultation/status';
import type { Actor, Bereikbaarheid, ConsultationRepository, ConsultationStatus, ConversationRefStore, LocalConsultation, Uitkomst, Urgentie } from '../consultation/ports';
import type { Policy } from '../meldcode/policy';
import type { Db } from '../store/db';
import { silentLogger, type Logger } from '../records/logger';
import { t, type TextKey } from '../texts';
import { chatDeepLink, notificationCard, type Audience, type NotificationView, type OverlegVerb } from './cards';
import { contactRoute, hasTeamsTargets, mayHandleConsultation, routeOverlegRequest, type Handler, type OverlegRoute } from './routing';
import { enqueueNotification, type MessagePayload, type NewNotification, type NotificationPayload, type NotificationRow, type ProcessOutcome, type RequestPayload } from './outbox';
import type { CardJson, Delivery, NotificationTransport } from './transport';

export interface OverlegServiceDeps {
  policy: Policy;
  repo: ConsultationRepository;
  refs: ConversationRefStore;
  db: Db;
  /** Needed to deliver notifications (process); not to record requests. */
  transport?: NotificationTransport;
  /** After this many attempts with only transient failures for a tier, treat it as unreachable and fall back. Default 3. */
  fallbackAfterAttempts?: number;
  /** Called after something was queued (wakes the worker). */
  onEnqueued?: () => void;
  logger?: Logger;
  now?: () => Date;
}

export interface OverlegRequestInput {
  requesterId: string;
  /** Existing consultation (from the advice card), or undefined for a typed request (a new consultation). */
  nummer?: string;
  /** What is known of the case (gemeente, doelgroep, leeftijdsgroep) for a typed request. */
  case: Partial<CaseInput>;
  urgentie: Urgentie;
  bereikbaarheid: Bereikbaarheid;
  lang: Language;
}

export type OverlegRequestResult =
  | { ok: true; consultation: LocalConsultation; route: OverlegRoute; reachable: boolean }
  | { ok: false; reason: 'not-found' | 'not-yours' | 'not-open' | 'already' | 'conflict' };

export interface ActResult {
  card: CardJson;
  changed: boolean;
  consultation: LocalConsultation | null;
}

export type Resolution = 'direct' | 'plaatsvervanger' | 'kanaal' | 'geen' | 'vervallen';

interface RequestProgress {
  delivered?: string[];
  gone?: string[];
  kanaal?: 'delivered' | 'gone';
}

const ACTIVE: ConsultationStatus[] = ['open', 'in-behandeling'];

export type OverlegService = ReturnType<typeof createOverlegService>;

export function createOverlegService(deps: OverlegServiceDeps) {
  const { policy, repo, refs, db } = deps;
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  const fallbackAfter = deps.fallbackAfterAttempts ?? 3;

  const routeOf = (c: LocalConsultation, lang: Language = 'nl'): OverlegRoute =>
    c.contactRol ? contactRoute(policy, c.case.gemeente, c.contactRol, lang) : routeOverlegRequest(c.case, policy, lang);

  async function enqueue(items: NewNotification[]): Promise<void> {
    for (const n of items) await enqueueNotification(db, n, now());
    if (items.length) deps.onEnqueued?.();
  }

  function message(c: LocalConsultation, userId: string, key: TextKey, vars: Record<string, string>, dedupe: string): NewNotification {
    const payload: MessagePayload = { kind: 'message', nummer: c.nummer, userId, key, vars: { nummer: c.nummer, ...vars } };
    return { dedupeKey: `msg:${c.nummer}:${dedupe}`, payload };
  }

  async function refUser(userId: string): Promise<{ id?: string; aadObjectId?: string } | null> {
    try {
      const ref = (await refs.get(userId)) as { user?: { id?: string; aadObjectId?: string } } | null;
      return ref?.user ?? null;
    } catch {
      return null;
    }
  }

  /** Teams refresh wants user MRIs: use the id from the stored reference when known, else the configured id. */
  async function refreshIds(ids: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const id of ids) out.push((await refUser(id))?.id ?? id);
    return out;
  }

  async function view(c: LocalConsultation, audience: Audience, lang: Language, notice?: { text: string; style?: NotificationView['noticeStyle'] }): Promise<NotificationView> {
    const route = routeOf(c, lang);
    const requester = await refUser(c.requesterId);
    const aad = requester?.aadObjectId ?? null;
    return {
      nummer: c.nummer,
      doelgroep: c.case.doelgroep ?? null,
      urgentie: c.urgentie,
      bereikbaarheid: c.bereikbaarheid,
      stap: c.advice.stap,
      stapTitel: isRouteActie(c.advice.actie) ? adviceTitle(c.advice, policy, lang) : stepTitle(policy, c.advice.stap, lang),
      route: isRouteActie(c.advice.actie),
      contactNaam: route.naam,
      status: c.status,
      assigneeName: c.assigneeName,
      audience,
      notice: notice?.text ?? null,
      noticeStyle: notice?.style,
      chatUrl: aad ? chatDeepLink(aad) : null,
      refreshUserIds: await refreshIds([...route.userIds, ...route.plaatsvervangers, c.requesterId]),
    };
  }

  function audienceOf(c: LocalConsultation, userId: string, handler?: Handler): Audience {
    if (userId === c.requesterId) return 'requester';
    // The one pick-up rule (src/overleg/routing.ts), shared with the coordinator list card and the tab.
    return mayHandleConsultation(handler ?? { id: userId }, c, policy) ? 'contact' : 'other';
  }

  async function cardFor(c: LocalConsultation, viewerId: string | null, lang: Language, notice?: { text: string; style?: NotificationView['noticeStyle'] }, audience?: Audience): Promise<CardJson> {
    return notificationCard(await view(c, audience ?? (viewerId ? audienceOf(c, viewerId) : 'other'), lang, notice), lang);
  }

  function requestNotification(c: LocalConsultation, lang: Language): NewNotification {
    const payload: RequestPayload = { kind: 'request', nummer: c.nummer, lang };
    return { dedupeKey: `request:${c.nummer}`, payload };
  }

  /** Compare-and-set with a few re-reads: applies `change` to the newest version unless `decide` says stop. */
  async function casLoop(
    nummer: string,
    decide: (c: LocalConsultation) => { patch: Parameters<ConsultationRepository['update']>[2]; action: string } | { stop: string },
    actor: Actor,
  ): Promise<{ kind: 'changed'; before: LocalConsultation; after: LocalConsultation } | { kind: 'stopped'; reason: string; current: LocalConsultation | null } | { kind: 'lost'; current: LocalConsultation | null }> {
    for (let i = 0; i < 3; i++) {
      const c = await repo.get(nummer);
      if (!c) return { kind: 'stopped', reason: 'not-found', current: null };
      const d = decide(c);
      if ('stop' in d) return { kind: 'stopped', reason: d.stop, current: c };
      const next = await repo.update(nummer, c.version, d.patch, actor, d.action);
      if (next) return { kind: 'changed', before: c, after: next };
    }
    return { kind: 'lost', current: await repo.get(nummer) };
  }

  /** Withdraws a request (requester only); tells the assignee when someone had picked it up. */
  async function withdraw(nummer: string, actor: Actor): Promise<{ ok: boolean; reason?: 'not-found' | 'not-yours' | 'not-open' | 'conflict'; consultation: LocalConsultation | null }> {
    const r = await casLoop(
      nummer,
      (c) => {
        if (c.requesterId !== actor.userId) return { stop: 'not-yours' };
        if (!ACTIVE.includes(c.status)) return { stop: 'not-open' };
        return { patch: { status: 'ingetrokken' }, action: 'overleg.ingetrokken' };
      },
      actor,
    );
    if (r.kind === 'stopped') return { ok: false, reason: r.reason as 'not-found', consultation: r.current };
    if (r.kind === 'lost') return { ok: false, reason: 'conflict', consultation: r.current };
    const c = r.after;
    if (r.before.assigneeId) await enqueue([message(c, r.before.assigneeId, 'overleg.assignee.ingetrokken', {}, `ingetrokken:${c.version}`)]);
    return { ok: true, consultation: c };
  }

  return {
    routeOf,
    cardFor,
    withdraw,

    async request(input: OverlegRequestInput): Promise<OverlegRequestResult> {
      const actor: Actor = { userId: input.requesterId };
      let consultation: LocalConsultation;
      if (input.nummer) {
        const r = await casLoop(
          input.nummer,
          (c) => {
            if (c.requesterId !== input.requesterId) return { stop: 'not-yours' };
            if (c.overlegGevraagd) return { stop: 'already' };
            if (c.status !== 'open') return { stop: 'not-open' };
            const route = routeOverlegRequest({ ...c.case, ...pickRouting(input.case) }, policy);
            return {
              patch: { overlegGevraagd: true, urgentie: input.urgentie, bereikbaarheid: input.bereikbaarheid, contactRol: route.rol, status: 'open' },
              action: 'overleg.aangevraagd',
            };
          },
          actor,
        );
        if (r.kind === 'stopped') return { ok: false, reason: r.reason as 'not-found' };
        if (r.kind === 'lost') return { ok: false, reason: 'conflict' };
        consultation = r.after;
      } else {
        const minimal: CaseInput = pickRouting(input.case);
        const route = routeOverlegRequest(minimal, policy);
        consultation = await repo.create({
          case: minimal,
          advice: advise(minimal, policy, input.lang),
          requesterId: input.requesterId,
          overlegGevraagd: true,
          urgentie: input.urgentie,
          bereikbaarheid: input.bereikbaarheid,
          contactRol: route.rol,
        });
      }
      const route = routeOf(consultation, input.lang);
      const reachable = hasTeamsTargets(route);
      if (reachable) await enqueue([requestNotification(consultation, input.lang)]);
      logger.info('overleg.requested', { rol: route.rol, reachable, users: route.userIds.length, deputies: route.plaatsvervangers.length });
      return { ok: true, consultation, route, reachable };
    },

    /**
     * Handles a card action (Action.Execute verb) by `actor`; always returns the card to show that user. `handler`
     * adds the actor's coordinator role and gemeenten when known (coordinator list card).
     */
    async act(verb: OverlegVerb, nummer: string, actor: Actor, lang: Language, handler?: Handler, uitkomst?: Uitkomst): Promise<ActResult | null> {
      const current = await repo.get(nummer);
      if (!current) return null;
      const viewer = audienceOf(current, actor.userId, handler && handler.id === actor.userId ? handler : undefined);
      const card = (c: LocalConsultation, key?: TextKey, vars: Record<string, string> = {}, style?: NotificationView['noticeStyle']) =>
        cardFor(c, actor.userId, lang, key ? { text: t(lang, key, vars), style } : undefined);
      const statusWord = (s: ConsultationStatus, c: LocalConsultation) => t(lang, `overleg.status.${s}` as TextKey, { naam: c.assigneeName ?? '—' }).toLowerCase();

      if (verb === 'mw.refresh') return { card: await card(current), changed: false, consultation: current };

      if (verb === 'mw.oppakken' || verb === 'mw.afronden') {
        if (viewer !== 'contact') {
          logger.warn('overleg.action.refused', { verb });
          return { card: await card(current, 'overleg.notice.geweigerd', {}, 'warning'), changed: false, consultation: current };
        }
        const pickup = verb === 'mw.oppakken';
        const r = await casLoop(
          nummer,
          (c) => {
            const step = HANDLER_STEPS[pickup ? 'oppakken' : 'afronden'];
            if (c.status !== step.from) return { stop: c.status };
            return pickup
              ? { patch: { status: step.to, assigneeId: actor.userId, assigneeName: actor.name ?? null }, action: 'overleg.opgepakt' }
              : { patch: { status: step.to, ...(uitkomst ? { uitkomst } : {}) }, action: 'overleg.afgerond' };
          },
          actor,
        );
        if (r.kind === 'changed') {
          const c = r.after;
          const n = statusNotification(r.before, c, actor.name);
          if (n) await enqueue([n]);
          return { card: await card(c, pickup ? 'overleg.notice.opgepakt' : 'overleg.notice.afgerond', {}, 'good'), changed: true, consultation: c };
        }
        const c = r.current ?? current;
        if (pickup && c.status === 'in-behandeling') {
          const mine = c.assigneeId === actor.userId;
          return { card: await card(c, mine ? 'overleg.notice.opgepakt' : 'overleg.notice.al.opgepakt', { naam: c.assigneeName ?? '—' }, mine ? 'good' : 'attention'), changed: false, consultation: c };
        }
        if (!pickup && c.status === 'open') return { card: await card(c, 'overleg.notice.eerst.oppakken', {}, 'attention'), changed: false, consultation: c };
        if (r.kind === 'lost') return { card: await card(c, 'overleg.notice.bezet', {}, 'attention'), changed: false, consultation: c };
        return { card: await card(c, 'overleg.notice.niet.open', { status: statusWord(c.status, c) }, 'attention'), changed: false, consultation: c };
      }

      // mw.intrekken: only the requester.
      if (viewer !== 'requester') {
        logger.warn('overleg.action.refused', { verb });
        return { card: await card(current, 'overleg.notice.geweigerd.intrekken', {}, 'warning'), changed: false, consultation: current };
      }
      const w = await withdraw(nummer, actor);
      const c = w.consultation ?? current;
      if (w.ok) return { card: await card(c, 'overleg.notice.ingetrokken', {}, 'good'), changed: true, consultation: c };
      return { card: await card(c, 'overleg.notice.niet.open', { status: statusWord(c.status, c) }, 'attention'), changed: false, consultation: c };
    },

    /**
     * Re-queues the notification of every open overleg request that has none yet (idempotent). Run at start-up:
     * covers a crash between recording a request and queueing its notification.
     */
    async reconcile(): Promise<number> {
      let cursor: string | null = null;
      let queued = 0;
      do {
        const page = await repo.list({ status: ['open'], cursor, limit: 100 });
        for (const c of page.items) {
          if (!c.overlegGevraagd || !hasTeamsTargets(routeOf(c))) continue;
          if (await enqueueNotification(db, requestNotification(c, 'nl'), now())) queued++;
        }
        cursor = page.nextCursor;
      } while (cursor);
      if (queued) {
        logger.warn('overleg.reconcile.requeued', { count: queued });
        deps.onEnqueued?.();
      }
      return queued;
    },

    /** Delivers one outbox row (used by the notification worker). */
    async process(row: NotificationRow, payload: NotificationPayload): Promise<ProcessOutcome> {
      const transport = deps.transport;
      if (!transport) return { kind: 'retry', reason: 'no transport configured' };
      const c = await repo.get(payload.nummer);
      if (!c) return { kind: 'failed', reason: 'consultation not found' };

      if (payload.kind === 'message') {
        if (payload.onlyWhileActive && c.status !== 'open' && c.status !== 'in-behandeling') {
          return { kind: 'delivered', result: { resolution: 'vervallen' satisfies Resolution, status: c.status } };
        }
        const d = await transport.sendToUser(payload.userId, (lang) => {
          const text = t(lang, payload.key as TextKey, payload.vars);
          if (!payload.buttons?.length) return { text };
          const card = {
            type: 'AdaptiveCard',
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            version: '1.5',
            body: [{ type: 'TextBlock', text, wrap: true }],
            actions: payload.buttons.map((b) => ({ type: 'Action.Submit', title: t(lang, b.key as TextKey), data: b.data })),
          };
          return { text, card };
        });
        if (d.ok) return { kind: 'delivered', result: { to: 'user' } };
        if (d.kind === 'transient') return { kind: 'retry', reason: d.reason, httpStatus: d.httpStatus, retryAfterMs: d.retryAfterMs };
        return { kind: 'failed', reason: d.reason, httpStatus: d.httpStatus };
      }

      // A request: users → deputies → channel. Nothing to do once it is no longer open.
      if (c.status !== 'open') return { kind: 'delivered', result: { resolution: 'vervallen' satisfies Resolution, status: c.status } };
      const route = routeOf(c, payload.lang);
      const progress: RequestProgress = row.progress ? (JSON.parse(row.progress) as RequestProgress) : {};
      const delivered = new Set(progress.delivered ?? []);
      const gone = new Set(progress.gone ?? []);
      const attempts = row.attempts + 1;
      const giveUpTransient = attempts >= fallbackAfter;
      const contactCard = async (lang: Language) => cardFor(c, null, lang, undefined, 'contact');
      // Render once per language up front (sendToUser builds synchronously).
      const cards: Record<Language, CardJson> = { nl: await contactCard('nl'), en: await contactCard('en') };
      const save = (): RequestProgress => ({ delivered: [...delivered], gone: [...gone], kanaal: progress.kanaal });
      let retryAfterMs: number | undefined;
      let lastTransient: Extract<Delivery, { ok: false }> | undefined;

      const tiers: Array<[Resolution, string[]]> = [
        ['direct', route.userIds],
        ['plaatsvervanger', route.plaatsvervangers],
      ];
      let resolution: Resolution | null = null;
      for (const [tier, users] of tiers) {
        let transient = 0;
        for (const u of users) {
          if (delivered.has(u) || gone.has(u)) continue;
          const d = await transport.sendToUser(u, (lang) => ({ card: cards[lang], text: t(lang, 'overleg.card.title', { nummer: c.nummer }) }));
          if (d.ok) delivered.add(u);
          else if (d.kind === 'transient') {
            transient++;
            lastTransient = d;
            if (d.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, d.retryAfterMs);
          } else {
            gone.add(u);
            logger.warn('overleg.notify.unreachable', { tier, reason: d.reason, httpStatus: d.httpStatus });
          }
        }
        if (transient && !giveUpTransient) {
          return { kind: 'retry', reason: lastTransient?.reason ?? 'transient', httpStatus: lastTransient?.httpStatus, retryAfterMs, progress: save() as Record<string, unknown> };
        }
        if (users.some((u) => delivered.has(u))) {
          resolution = tier;
          break;
        }
      }
      if (!resolution && route.kanaal && progress.kanaal !== 'gone') {
        const d = await transport.postToChannel(route.kanaal, (lang) => ({ card: cards[lang], text: t(lang, 'overleg.card.title', { nummer: c.nummer }) }), [
          ...route.userIds,
          ...route.plaatsvervangers,
          c.requesterId,
        ]);
        if (d.ok) resolution = 'kanaal';
        else if (d.kind === 'transient' && !giveUpTransient) {
          return { kind: 'retry', reason: d.reason, httpStatus: d.httpStatus, retryAfterMs: d.retryAfterMs, progress: save() as Record<string, unknown> };
        } else {
          progress.kanaal = 'gone';
          logger.warn('overleg.notify.channel_unreachable', { reason: d.reason, httpStatus: d.httpStatus });
        }
      }
      const final: Resolution = resolution ?? 'geen';
      const then: NewNotification[] = [];
      // Only now is delivery known: "bezorgd" (direct), or where it went instead, or the phone fallback.
      if (final === 'direct') then.push(message(c, c.requesterId, 'overleg.delivered', { contact: route.naam }, 'bezorgd'));
      else {
        const telefoon = route.telefoon ? t(payload.lang, 'overleg.telefoon', { telefoon: route.telefoon }) : '';
        then.push(message(c, c.requesterId, `overleg.fallback.${final}` as TextKey, { contact: route.naam, telefoon }, `fallback:${final}`));
      }
      return { kind: 'delivered', result: { resolution: final, reached: delivered.size }, progress: save() as Record<string, unknown>, then };
    },
  };
}

/**
 * The message that tells the requester about a status change of their overleg (picked up, closed), or null when
 * there is nothing to tell (no overleg, no change, or a change the requester made). One per consultation version
 * (the dedupe key), so a status change from the card, the list card or the tab reaches the requester exactly once.
 */
export function statusNotification(before: LocalConsultation, after: LocalConsultation, actorName?: string | null): NewNotification | null {
  if (!after.overlegGevraagd || before.status === after.status) return null;
  const key: Partial<Record<ConsultationStatus, [TextKey, string]>> = {
    'in-behandeling': ['overleg.requester.opgepakt', 'opgepakt'],
    afgerond: ['overleg.requester.afgerond', 'afgerond'],
  };
  const k = key[after.status];
  if (!k) return null;
  const naam = actorName || after.assigneeName || '—';
  const payload: MessagePayload = { kind: 'message', nummer: after.nummer, userId: after.requesterId, key: k[0], vars: { nummer: after.nummer, naam } };
  return { dedupeKey: `msg:${after.nummer}:${k[1]}:${after.version}`, payload };
}

/** Queues the requester's status message (see statusNotification) in the notification outbox. True when queued. */
export async function notifyStatusChange(db: Db, before: LocalConsultation, after: LocalConsultation, actorName?: string | null, now: Date = new Date()): Promise<boolean> {
  const n = statusNotification(before, after, actorName);
  return n ? enqueueNotification(db, n, now) : false;
}

/** Only what routing needs (gemeente, doelgroep, leeftijdsgroep), without undefined keys: typed requests and prefills. */
export function pickRouting(c: Partial<CaseInput>): CaseInput {
  const out: CaseInput = {};
  if (c.gemeente) out.gemeente = c.gemeente;
  if (c.doelgroep) out.doelgroep = c.doelgroep;
  if (c.leeftijdsgroep) out.leeftijdsgroep = c.leeftijdsgroep;
  return out;
}
