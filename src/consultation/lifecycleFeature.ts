/**
 * A consultation follows the case (issue 13), in chat: "mijn consultaties" lists the professional's own open
 * consultations (number, step, status only) with Verder / Afsluiten; "verder met MW-XXXX" resumes one through the
 * consultation flow (what happened since, then the next advice as a new version); "afsluiten MW-XXXX" closes with the
 * stap 5 outcome (a question: buttons or typed); "heropen MW-XXXX" reopens within 30 days. Every button has a typed
 * twin, and the commands work while another flow is running (that flow's question is shown again afterwards).
 */
import { cardMessage, type TurnPort } from '../turn/port';
import type { BotFeature } from '../../dialogs/feature';
import { markAnswered, newFlowState, readAnswer, sendQuestion, type Flow, type FlowState, type FlowTurn } from '../../dialogs/flow';
import { invalid, ok, type Question, type QuestionContext } from '../../dialogs/questions';
import { questionCard, type CardJson } from '../../cards/render';
import { adviceTitle } from '../meldcode/engine';
import type { Policy } from '../meldcode/policy';
import type { Language } from '../meldcode/types';
import { userIdOf } from '../identity';
import { languageOf, t, type TextKey } from '../texts';
import { InvalidTransitionError, ReopenExpiredError } from './repository';
import { parseLifecycleCommand, parseUitkomst, type LifecycleCommand } from './commands';
import { CONSULTATION_FLOW, type ConsultationOptions } from './dialog';
import { NUMMER_PATTERN } from './repository';
import { REOPEN_DAYS, UITKOMSTEN, type ConsultationRepository, type LocalConsultation, type Uitkomst } from './ports';

export const CLOSE_FLOW = 'lifecycle-close';
/** Most consultations on the "mijn consultaties" card (Teams cards stay small). */
export const MY_LIST_SIZE = 8;

export interface LifecycleFeatureDeps {
  repo: ConsultationRepository;
  policy: Policy;
  /** Wakes the record outbox after a change (optional). */
  wake?: () => void;
  /** Clock (tests); the repository has the same one. */
  now?: () => Date;
}

const uitkomstQuestion: Question<Uitkomst> = {
  id: 'uitkomst',
  example: 'example.uitkomst',
  skippable: false,
  card: (ctx) =>
    questionCard({
      title: t(ctx.lang, 'lifecycle.close.question'),
      hint: t(ctx.lang, 'lifecycle.close.hint'),
      buttons: UITKOMSTEN.map((u, i) => ({ title: `${i + 1}. ${t(ctx.lang, `uitkomst.${u}` as TextKey)}`, data: { mw: 'uitkomst', run: ctx.runId, uitkomst: u } })),
    }),
  parseValue: (v) => ((UITKOMSTEN as readonly unknown[]).includes(v.uitkomst) ? ok(v.uitkomst as Uitkomst) : invalid()),
  parseText: (text) => {
    const u = parseUitkomst(text);
    return u ? ok(u) : invalid('reprompt.choose');
  },
};

export function createLifecycleFeature(deps: LifecycleFeatureDeps): BotFeature {
  const { repo, policy } = deps;

  const stepText = (c: LocalConsultation, lang: Language) => adviceTitle(c.advice, policy, lang);
  const statusText = (c: LocalConsultation, lang: Language) =>
    c.status === 'afgerond' && c.uitkomst ? `${t(lang, 'lifecycle.status.afgerond')}: ${t(lang, `uitkomst.${c.uitkomst}` as TextKey)}` : t(lang, `lifecycle.status.${c.status}` as TextKey);

  function button(title: string, data: Record<string, unknown>, style: 'positive' | 'default' = 'default') {
    return { type: 'Action.Submit', title, style, data: { mw: 'lifecycle', ...data } };
  }

  /** Own consultations: open and in overleg, then the ones closed within the reopen period. Number, step, status only. */
  async function listCard(userId: string, lang: Language): Promise<CardJson> {
    const open = await repo.list({ requesterId: userId, status: ['open', 'in-behandeling'], limit: MY_LIST_SIZE });
    const closed = await repo.list({ requesterId: userId, status: ['afgerond'], limit: 3 });
    const cutoff = (deps.now?.() ?? new Date()).getTime() - REOPEN_DAYS * 86_400_000;
    const reopenable = closed.items.filter((c) => c.afgerondOp && Date.parse(c.afgerondOp) >= cutoff);
    const body: Array<Record<string, unknown>> = [
      { type: 'TextBlock', text: t(lang, 'lifecycle.list.title', { count: open.items.length + (open.nextCursor ? '+' : '') }), weight: 'Bolder', size: 'Medium', wrap: true },
    ];
    if (!open.items.length) body.push({ type: 'TextBlock', text: t(lang, 'lifecycle.list.empty'), wrap: true });
    for (const c of open.items) {
      body.push({
        type: 'Container',
        separator: true,
        items: [
          { type: 'TextBlock', text: `**${c.nummer}** · ${stepText(c, lang)}`, wrap: true },
          { type: 'TextBlock', text: statusText(c, lang), isSubtle: true, spacing: 'None', wrap: true },
          {
            type: 'ActionSet',
            actions: [
              button(t(lang, 'lifecycle.button.verder'), { actie: 'verder', nummer: c.nummer }, 'positive'),
              button(t(lang, 'lifecycle.button.afsluiten'), { actie: 'afsluiten', nummer: c.nummer }),
            ],
          },
        ],
      });
    }
    if (reopenable.length) {
      body.push({ type: 'TextBlock', text: t(lang, 'lifecycle.list.closed', { dagen: REOPEN_DAYS }), weight: 'Bolder', separator: true, wrap: true });
      for (const c of reopenable) {
        body.push({
          type: 'Container',
          items: [
            { type: 'TextBlock', text: `**${c.nummer}** · ${statusText(c, lang)}`, wrap: true },
            { type: 'ActionSet', actions: [button(t(lang, 'lifecycle.button.heropen'), { actie: 'heropen', nummer: c.nummer })] },
          ],
        });
      }
    }
    body.push({ type: 'TextBlock', text: t(lang, 'lifecycle.list.typed'), isSubtle: true, size: 'Small', wrap: true, separator: true });
    return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body } as CardJson;
  }

  /** The requester's own consultation, or a message why not. */
  async function own(context: TurnPort, lang: Language, nummer: string): Promise<LocalConsultation | null> {
    const c = NUMMER_PATTERN.test(nummer) ? await repo.get(nummer) : null;
    if (!c || c.requesterId !== userIdOf(context)) {
      // Never say whether a number exists when it is not yours.
      await context.sendActivity(t(lang, 'lifecycle.unknown', { nummer }));
      return null;
    }
    return c;
  }

  async function close(context: TurnPort, lang: Language, nummer: string, uitkomst: Uitkomst): Promise<void> {
    const c = await own(context, lang, nummer);
    if (!c) return;
    if (c.status === 'afgerond' || c.status === 'ingetrokken') {
      await context.sendActivity(t(lang, 'lifecycle.already.closed', { nummer, status: statusText(c, lang) }));
      return;
    }
    try {
      const next = await repo.update(c.nummer, c.version, { status: 'afgerond', uitkomst }, { userId: userIdOf(context) }, 'afsluiten');
      if (!next) {
        await context.sendActivity(t(lang, 'lifecycle.resume.conflict', { nummer }));
        return;
      }
      deps.wake?.();
      await context.sendActivity(t(lang, 'lifecycle.closed', { nummer, uitkomst: t(lang, `uitkomst.${uitkomst}` as TextKey), dagen: REOPEN_DAYS }));
    } catch (err) {
      if (err instanceof InvalidTransitionError) await context.sendActivity(t(lang, 'lifecycle.already.closed', { nummer, status: statusText(c, lang) }));
      else throw err;
    }
  }

  async function reopen(context: TurnPort, lang: Language, nummer: string): Promise<void> {
    const c = await own(context, lang, nummer);
    if (!c) return;
    if (c.status !== 'afgerond') {
      await context.sendActivity(t(lang, 'lifecycle.not.closed', { nummer, status: statusText(c, lang) }));
      return;
    }
    try {
      const next = await repo.update(c.nummer, c.version, { status: 'open' }, { userId: userIdOf(context) }, 'heropenen');
      if (!next) return void (await context.sendActivity(t(lang, 'lifecycle.resume.conflict', { nummer })));
      deps.wake?.();
      await context.sendActivity(t(lang, 'lifecycle.reopened', { nummer }));
    } catch (err) {
      if (err instanceof ReopenExpiredError) await context.sendActivity(t(lang, 'lifecycle.reopen.expired', { nummer, dagen: REOPEN_DAYS }));
      else throw err;
    }
  }

  async function run(cmd: LifecycleCommand, context: TurnPort, start: (flowId: string, options?: object) => Promise<void>, acuteKnown: boolean): Promise<void> {
    const lang = languageOf(context);
    switch (cmd.kind) {
      case 'list':
        await context.sendActivity(cardMessage(await listCard(userIdOf(context), lang)));
        return;
      case 'later':
        if (await own(context, lang, cmd.nummer)) await context.sendActivity(t(lang, 'lifecycle.later', { nummer: cmd.nummer }));
        return;
      case 'heropen':
        return reopen(context, lang, cmd.nummer);
      case 'afsluiten': {
        if (cmd.uitkomst) return close(context, lang, cmd.nummer, cmd.uitkomst);
        const c = await own(context, lang, cmd.nummer);
        if (!c) return;
        if (c.status === 'afgerond' || c.status === 'ingetrokken') {
          await context.sendActivity(t(lang, 'lifecycle.already.closed', { nummer: c.nummer, status: statusText(c, lang) }));
          return;
        }
        return start(CLOSE_FLOW, { nummer: c.nummer });
      }
      case 'verder': {
        const c = await own(context, lang, cmd.nummer);
        if (!c) return;
        if (c.status !== 'open' && c.status !== 'in-behandeling') {
          await context.sendActivity(t(lang, 'lifecycle.not.open', { nummer: c.nummer, status: statusText(c, lang) }));
          return;
        }
        const options: ConsultationOptions = { resume: { nummer: c.nummer, version: c.version, case: c.case, acuteKnown } };
        return start(CONSULTATION_FLOW, options);
      }
    }
  }

  /** The button twin of a typed command. */
  function commandOfValue(value: Record<string, unknown>): LifecycleCommand | null {
    if (value.mw !== 'lifecycle' || typeof value.nummer !== 'string' && value.actie !== 'lijst') return null;
    const nummer = String(value.nummer ?? '');
    switch (value.actie) {
      case 'lijst':
        return { kind: 'list' };
      case 'verder':
        return { kind: 'verder', nummer };
      case 'afsluiten':
        return { kind: 'afsluiten', nummer, uitkomst: null };
      case 'heropen':
        return { kind: 'heropen', nummer };
      case 'later':
        return { kind: 'later', nummer };
      default:
        return null;
    }
  }

  const closeFlow: Flow<{ nummer: string }> = {
    id: CLOSE_FLOW,
    async begin(turn, options) {
      const s = newFlowState(CLOSE_FLOW, {}, { nummer: options?.nummer });
      s.pending = 'uitkomst';
      turn.conv.flow = s;
      await sendQuestion(turn.context, uitkomstQuestion as Question<unknown>, ctxOf(turn, s), t(turn.lang, 'lifecycle.close.lead', { nummer: String(options?.nummer) }));
    },
    async continue(turn) {
      const s = turn.conv.flow!;
      const answer = await readAnswer(turn, s, uitkomstQuestion, ctxOf(turn, s));
      if (!answer || answer.skipped) return;
      markAnswered(s, 'uitkomst');
      turn.conv.flow = undefined;
      await close(turn.context, turn.lang, String(s.data.nummer), answer.value);
    },
    async reprompt(turn, lead) {
      const s = turn.conv.flow!;
      await sendQuestion(turn.context, uitkomstQuestion as Question<unknown>, ctxOf(turn, s), lead);
    },
  };

  function ctxOf(turn: FlowTurn, s: FlowState): QuestionContext {
    return { policy, lang: turn.lang, runId: s.runId, case: s.case };
  }

  return {
    flows: [closeFlow as Flow],
    async onCommand(context, start, state) {
      const activity = context.activity;
      const value = activity.value !== null && typeof activity.value === 'object' && !Array.isArray(activity.value) ? (activity.value as Record<string, unknown>) : undefined;
      const cmd = value ? commandOfValue(value) : typeof activity.text === 'string' ? parseLifecycleCommand(activity.text) : null;
      if (!cmd) return false;
      await run(cmd, context, start, state.acuteKnown);
      return true;
    },
  };
}
