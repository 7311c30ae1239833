/**
 * "open consultaties" in chat: an Adaptive Card list of open consultations (newest first, urgency visible,
 * filters for gemeente / doelgroep / urgentie, paging), with per-item actions (Oppakken, Afronden) that go
 * through the overleg service (authorisation, compare-and-set, audit, requester notified). Action.Execute with
 * a refresh, so the card is current whenever it is opened. Role checks on every list: coordinators see their
 * gemeenten, everyone else only their own requests (policy/access.json). Items carry number, step, status,
 * urgency, gemeente and doelgroep only — never case details.
 */
import { z } from 'zod';
import { cardMessage, type CardActionResponse, type CardActionValue, type TurnPort } from '../turn/port';
import type { RouteTable } from '../turn/routes';

const LIST_VERBS = ['mw.list', 'mw.list.oppakken', 'mw.list.afronden'] as const;
import { resolveUser, visibleFilter, type AccessPolicy, type AccessUser } from './access';
import { DOELGROEPEN, type Language } from '../meldcode/types';
import { adviceTitle, isRouteActie } from '../meldcode/engine';
import { NUMMER_PATTERN, URGENTIES, type Actor, type ConsultationRepository, type ConsultationStats, type LocalConsultation } from '../consultation/ports';
import type { Policy } from '../meldcode/policy';
import type { BotFeature } from '../../dialogs/feature';
import { languageOf, t, type TextKey } from '../texts';
import { cardTemplate, renderCard, type CardJson } from '../../cards/render';
import listJson from './list.json';
import { userIdOf } from '../identity';
import { handlerStepFrom, type HandlerStep } from '../consultation/status';
import { mayHandleConsultation, type Handler } from '../overleg/routing';

const LIST_TEMPLATE = cardTemplate('list', listJson);

export const LIST_PAGE_SIZE = 8;
/** Teams refuses cards above ~28 KB; stay well below. */
export const MAX_CARD_BYTES = 24 * 1024;

const ANY = 'alle';
const Query = z
  .object({
    gemeente: z.string().max(10).optional(),
    doelgroep: z.string().max(20).optional(),
    urgentie: z.string().max(20).optional(),
    cursor: z.string().max(500).nullable().optional(),
    page: z.number().int().min(1).max(10_000).optional(),
  })
  .passthrough();
type Query = z.infer<typeof Query>;

const ItemAction = z.object({ nummer: z.string().regex(NUMMER_PATTERN) }).passthrough();

export interface ListFeatureDeps {
  repo: ConsultationRepository & Partial<ConsultationStats>;
  access: AccessPolicy;
  policy: Policy;
  /** Changes a status through the overleg service; returns whether it changed and the consultation after. */
  act?: (verb: 'mw.oppakken' | 'mw.afronden', nummer: string, actor: Actor, lang: Language, handler?: Handler) => Promise<{ changed: boolean; consultation: LocalConsultation | null } | null>;
  /** Teams identities are Entra object ids; dev ids (policy/access.json) only outside production. */
  allowDevIdentities?: boolean;
}

function identityOf(context: TurnPort, allowDev: boolean) {
  const from = context.activity.from as { id: string; name?: string; aadObjectId?: string } | undefined;
  if (from?.aadObjectId) return { id: from.aadObjectId, source: 'entra' as const, ...(from.name ? { name: from.name } : {}) };
  return { id: userIdOf(context), source: allowDev ? ('dev' as const) : ('entra' as const), ...(from?.name ? { name: from.name } : {}) };
}

export function createListFeature(deps: ListFeatureDeps): BotFeature {
  const gemeenteName = (code: string | undefined) => deps.policy.gemeenten.find((g) => g.code === code)?.naam ?? code ?? '—';

  /** Validates filter values; unknown values become "alle" (and say so). */
  function clean(user: AccessUser, q: Query): { q: Query; invalid: boolean } {
    let invalid = false;
    const out: Query = { page: q.page ?? 1, cursor: q.cursor ?? null };
    const allowedGemeenten = user.role === 'coordinator' ? user.gemeenten : null;
    if (q.gemeente && q.gemeente !== ANY) {
      if (allowedGemeenten?.includes(q.gemeente)) out.gemeente = q.gemeente;
      else invalid = true;
    }
    if (q.doelgroep && q.doelgroep !== ANY) {
      if ((DOELGROEPEN as readonly string[]).includes(q.doelgroep)) out.doelgroep = q.doelgroep;
      else invalid = true;
    }
    if (q.urgentie && q.urgentie !== ANY) {
      if ((URGENTIES as readonly string[]).includes(q.urgentie)) out.urgentie = q.urgentie;
      else invalid = true;
    }
    return { q: out, invalid };
  }

  async function listCard(user: AccessUser, lang: Language, raw: Query, notice?: { text: string; style: string }): Promise<CardJson> {
    const { q, invalid } = clean(user, raw);
    const scope = visibleFilter(user);
    const page = await deps.repo.list({
      status: ['open', 'in-behandeling'],
      ...scope,
      ...(q.gemeente ? { gemeenten: [q.gemeente] } : {}),
      ...(q.doelgroep ? { doelgroep: q.doelgroep as (typeof DOELGROEPEN)[number] } : {}),
      ...(q.urgentie ? { urgentie: q.urgentie as (typeof URGENTIES)[number] } : {}),
      cursor: q.cursor ?? null,
      limit: LIST_PAGE_SIZE,
    });
    // Buttons only where the one pick-up rule (src/overleg/routing.ts) lets this user act: the routed contact or a
    // deputy, or a coordinator of the gemeente when nobody is named. The overleg service checks it again.
    const mayAct = (c: LocalConsultation) => Boolean(deps.act) && mayHandleConsultation(user, c, deps.policy);
    const all = t(lang, 'list.all');
    const filters = [
      ...(user.role === 'coordinator' && user.gemeenten.length > 1
        ? [{ id: 'gemeente', label: t(lang, 'list.filter.gemeente'), value: q.gemeente ?? ANY, choices: [{ title: all, value: ANY }, ...user.gemeenten.map((g) => ({ title: gemeenteName(g), value: g }))] }]
        : []),
      { id: 'doelgroep', label: t(lang, 'list.filter.doelgroep'), value: q.doelgroep ?? ANY, choices: [{ title: all, value: ANY }, ...DOELGROEPEN.map((d) => ({ title: t(lang, `doelgroep.${d}` as TextKey), value: d }))] },
      { id: 'urgentie', label: t(lang, 'list.filter.urgentie'), value: q.urgentie ?? ANY, choices: [{ title: all, value: ANY }, ...URGENTIES.map((u) => ({ title: t(lang, `list.urgentie.${u}` as TextKey), value: u }))] },
    ];
    const urgentieText = (c: LocalConsultation) => t(lang, c.urgentie ? (`list.urgentie.${c.urgentie}` as TextKey) : 'list.urgentie.none');
    const items = page.items.map((c) => ({
      heading: isRouteActie(c.advice.actie)
        ? t(lang, 'list.heading.route', { nummer: c.nummer, titel: adviceTitle(c.advice, deps.policy, lang), urgentie: urgentieText(c) })
        : t(lang, 'list.heading', { nummer: c.nummer, stap: c.advice.stap, urgentie: urgentieText(c) }),
      color: c.urgentie === 'vandaag' ? 'Attention' : 'Default',
      line: t(lang, 'list.line', {
        gemeente: gemeenteName(c.case.gemeente),
        doelgroep: c.case.doelgroep ? t(lang, `doelgroep.${c.case.doelgroep}` as TextKey) : '—',
        status: t(lang, `list.status.${c.status}` as TextKey, { naam: c.assigneeName ?? '—' }),
      }),
      actions:
        mayAct(c) && c.overlegGevraagd
          ? listActions(handlerStepFrom(c.status), lang, { ...q, nummer: c.nummer })
          : [],
    }));
    const baseQuery = { gemeente: q.gemeente, doelgroep: q.doelgroep, urgentie: q.urgentie };
    const buttons = [
      { title: t(lang, 'list.filter'), verb: 'mw.list', data: { page: 1, cursor: null } },
      { title: t(lang, 'list.refresh'), verb: 'mw.list', data: { ...q } },
      ...(page.nextCursor ? [{ title: t(lang, 'list.next'), verb: 'mw.list', data: { ...baseQuery, cursor: page.nextCursor, page: (q.page ?? 1) + 1 } }] : []),
      ...((q.page ?? 1) > 1 ? [{ title: t(lang, 'list.first'), verb: 'mw.list', data: { ...baseQuery, page: 1, cursor: null } }] : []),
    ];
    const shownNotice = notice ?? (invalid ? { text: t(lang, 'list.invalid'), style: 'warning' } : null);
    const title = (q.page ?? 1) > 1 ? t(lang, 'list.title.more', { page: q.page ?? 1 }) : t(lang, 'list.title', { count: page.items.length + (page.nextCursor ? '+' : '') });
    // Open means open (issue 13): the coordinator also sees how many are open, in overleg and closed (with outcome).
    let scopeText = user.role === 'coordinator' ? t(lang, 'list.scope.coordinator', { gemeenten: user.gemeenten.map(gemeenteName).join(', ') }) : t(lang, 'list.scope.professional');
    if (user.role === 'coordinator' && deps.repo.counts && user.gemeenten.length) {
      const counts = await deps.repo.counts({ gemeenten: q.gemeente ? [q.gemeente] : user.gemeenten });
      const by = (s: string) => counts.filter((c) => c.status === s).reduce((n, c) => n + c.aantal, 0);
      const outcomes = new Map<string, number>();
      for (const c of counts) if (c.status === 'afgerond' && c.uitkomst) outcomes.set(c.uitkomst, (outcomes.get(c.uitkomst) ?? 0) + c.aantal);
      const detail = [...outcomes.entries()].map(([u, n]) => `${t(lang, `uitkomst.${u}` as TextKey)} ${n}`).join(', ');
      scopeText += ' ' + t(lang, 'list.counts', { open: by('open'), overleg: by('in-behandeling'), afgerond: by('afgerond'), uitkomsten: detail ? ` (${detail})` : '' });
    }
    const render = (shown: typeof items) =>
      renderCard(LIST_TEMPLATE, {
        title,
        scope: scopeText,
        notice: shownNotice?.text ?? null,
        noticeStyle: shownNotice?.style ?? 'default',
        filters,
        empty: t(lang, 'list.empty'),
        items: shown,
        buttons,
        refreshTitle: t(lang, 'list.refresh'),
        query: { ...q },
        userIds: [user.id],
      });
    // Stay under Teams' card size limit: drop items from the end until it fits.
    let shown = items;
    let card = render(shown);
    while (JSON.stringify(card).length > MAX_CARD_BYTES && shown.length > 1) {
      shown = shown.slice(0, -1);
      card = render(shown);
    }
    return card;
  }

  const userOf = (context: TurnPort) => resolveUser(deps.access, identityOf(context, deps.allowDevIdentities ?? false));

  const feature: BotFeature = {
    async onIntent(intent, context) {
      if (intent !== 'open-consultaties') return false;
      const card = await listCard(userOf(context), languageOf(context), {});
      await context.sendActivity(cardMessage(card));
      return true;
    },

    register(routes: RouteTable) {
      for (const verb of LIST_VERBS) routes.execute(verb, (context, value) => cardAction(context, value));
    },
  };
  return feature;

  async function cardAction(context: TurnPort, value: CardActionValue): Promise<CardActionResponse> {
      const verb = value.action.verb;
      const lang = languageOf(context);
      const user = userOf(context);
      const data = (value.action.data ?? {}) as Record<string, unknown>;
      const parsed = Query.safeParse(data);
      const q: Query = parsed.success ? parsed.data : {};
      let notice: { text: string; style: string } | undefined;
      if (verb !== 'mw.list') {
        const item = ItemAction.safeParse(data);
        if (!item.success || !deps.act) {
          notice = { text: t(lang, 'action.unknown'), style: 'warning' };
        } else {
          const nummer = item.data.nummer;
          const r = await deps.act(verb === 'mw.list.oppakken' ? 'mw.oppakken' : 'mw.afronden', nummer, { userId: user.id, ...(user.name ? { name: user.name } : {}) }, lang, user);
          if (!r || !r.consultation) notice = { text: t(lang, 'list.gone', { nummer }), style: 'warning' };
          else if (r.changed) {
            const status = t(lang, `list.status.${r.consultation.status}` as TextKey, { naam: r.consultation.assigneeName ?? '—' });
            notice = { text: t(lang, 'list.changed', { nummer, status }), style: 'good' };
          }
          else notice = { text: t(lang, 'list.unchanged', { nummer }), style: 'attention' };
        }
      }
      const card = await listCard(user, lang, q, notice);
      return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card as unknown as Record<string, unknown> };
  }
}

/** The list card's button for the handler's next step (Oppakken / Afronden), from the one transition table. */
function listActions(step: HandlerStep | null, lang: Language, data: Record<string, unknown>): Array<{ title: string; verb: string; data: Record<string, unknown> }> {
  if (step === 'oppakken') return [{ title: t(lang, 'list.oppakken'), verb: 'mw.list.oppakken', data }];
  if (step === 'afronden') return [{ title: t(lang, 'list.afronden'), verb: 'mw.list.afronden', data }];
  return [];
}
