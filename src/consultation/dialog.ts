/**
 * The niet-pluis consultation as a plain flow: acute danger first, a privacy warning, then only the questions the
 * free text did not answer, the afwegingsvragen when steps 1–3 are done, and an advice card. What comes next is
 * decided by `nextQuestion` (src/meldcode/flow.ts) alone; this file only asks, reads and merges answers.
 * The bot suggests; the professional decides.
 */
import { CardFactory, MessageFactory } from 'botbuilder';
import { advise } from '../meldcode/engine';
import { nextQuestion, signalFits } from '../meldcode/flow';
import { AFWEGING_KEYS, type Advice, type AfwegingKey, type CaseInput } from '../meldcode/types';
import { localText, type Policy } from '../meldcode/policy';
import { anonymise } from '../privacy';
import { t, type TextKey } from '../texts';
import { userIdOf } from '../identity';
import { adviceCard } from './adviceCard';
import { QUESTIONS, type DoelgroepAnswer, type NoteAnswer, type Question, type QuestionContext, type SignalenAnswer, type YesNo } from './questions';
import { markAnswered, newFlowState, readAnswer, sendQuestion, type Flow, type FlowState, type FlowTurn } from '../../dialogs/flow';

export const CONSULTATION_FLOW = 'consultation';

export interface ConsultationOptions {
  prefill?: Partial<CaseInput>;
}

/** Where a finished consultation goes: the bot's store (and from there the municipal outbox). */
export interface ConsultationSink {
  save(input: { case: CaseInput; advice: Advice; requesterId: string; note?: string | null; clientRef?: string }): Promise<{ nummer: string }>;
}

export interface ConsultationFlowDeps {
  policy: Policy;
  sink?: ConsultationSink;
  /** True when consultation requests (overleg) can be made: the advice card offers the button. */
  overlegEnabled?: boolean;
  logger?: { warn(msg: string, fields?: Record<string, unknown>): void };
}

interface ConsultationData {
  /** Fields taken over from the first message (shown with the first question after the acute one). */
  prefilled?: string[];
  /** Anonymised note waiting for confirmation; the confirmed note. */
  noteDraft?: string;
  note?: string;
  /** Text to send with the next question (privacy warning, afweging intro). */
  lead?: string;
}

/** "wijzig <veld>": which answers to forget and which question asks them again. */
const CHANGEABLE: Record<string, { question: string; fields: Array<keyof CaseInput> }> = {
  gemeente: { question: 'gemeente', fields: ['gemeente'] },
  sector: { question: 'sector', fields: ['sector'] },
  doelgroep: { question: 'doelgroep', fields: ['doelgroep', 'leeftijdsgroep'] },
  leeftijd: { question: 'doelgroep', fields: ['leeftijdsgroep'] },
  medewerker: { question: 'medewerker', fields: ['plegerIsMedewerker'] },
  signalen: { question: 'signalen', fields: ['signalen', 'vormen', 'disclosure'] },
  stappen: { question: 'stappen', fields: ['stappenGedaan', 'afweging'] },
};
export const CHANGEABLE_FIELDS = Object.keys(CHANGEABLE);

const dataOf = (s: FlowState) => s.data as ConsultationData;

export function createConsultationFlow(deps: ConsultationFlowDeps): Flow<ConsultationOptions> {
  const { policy } = deps;

  const questionOf = (marker: string): Question<unknown> => (marker.startsWith('afweging:') ? QUESTIONS.afweging : QUESTIONS[marker as keyof typeof QUESTIONS]) as Question<unknown>;
  const ctxOf = (turn: FlowTurn, s: FlowState): QuestionContext => ({
    policy,
    lang: turn.lang,
    runId: s.runId,
    case: s.case,
    ...(s.pending.startsWith('afweging:') ? { afwegingKey: s.pending.slice('afweging:'.length) as AfwegingKey } : {}),
    ...(dataOf(s).noteDraft !== undefined ? { note: dataOf(s).noteDraft } : {}),
  });

  /** Stores the consultation once per run (clientRef = run id): a redelivered turn gets the same consultation back. */
  async function save(turn: FlowTurn, s: FlowState, advice: Advice): Promise<{ nummer: string } | null> {
    if (!deps.sink) return null;
    try {
      return await deps.sink.save({ case: s.case, advice, requesterId: userIdOf(turn.context), note: dataOf(s).note ?? null, clientRef: s.runId });
    } catch (err) {
      deps.logger?.warn('consultation.save_failed', { error: (err as Error).name });
      await turn.context.sendActivity(t(turn.lang, 'saved.failed'));
      return null;
    }
  }

  async function finish(turn: FlowTurn, s: FlowState): Promise<void> {
    const advice = advise(s.case, policy, turn.lang);
    const saved = await save(turn, s, advice);
    const card = adviceCard(advice, policy, turn.lang, saved?.nummer ?? null, Boolean(deps.overlegEnabled && deps.sink), s.case.sector);
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    const lead = takeLead(s);
    if (lead) activity.text = lead;
    turn.conv.flow = undefined;
    await turn.context.sendActivity(activity);
  }

  function takeLead(s: FlowState): string | undefined {
    const lead = dataOf(s).lead;
    delete dataOf(s).lead;
    return lead;
  }

  /** Asks what `nextQuestion` says, or gives the advice. */
  async function advance(turn: FlowTurn, s: FlowState): Promise<void> {
    const next = nextQuestion(s.case, policy, { answered: s.answered, noteToConfirm: dataOf(s).noteDraft !== undefined });
    if (next.kind === 'advice') return finish(turn, s);
    if (next.id.startsWith('afweging:') && !s.answered.some((a) => a.startsWith('afweging:'))) {
      dataOf(s).lead = [dataOf(s).lead, t(turn.lang, 'afweging.intro')].filter(Boolean).join('\n\n');
    }
    s.pending = next.id;
    s.retries = 0;
    turn.conv.flow = s;
    await sendQuestion(turn.context, questionOf(next.id), ctxOf(turn, s), takeLead(s));
  }

  /** "Ik heb uit uw bericht overgenomen: …" for the fields the first message filled. */
  function prefillSummary(turn: FlowTurn, s: FlowState): string | undefined {
    const c = s.case;
    const items: string[] = [];
    let first: string | undefined;
    const add = (field: string, value: string) => {
      items.push(`${t(turn.lang, `field.${field}` as TextKey)}: ${value}`);
      first ??= field;
    };
    const filled = new Set(dataOf(s).prefilled ?? []);
    if (filled.has('gemeente') && c.gemeente) add('gemeente', policy.gemeenten.find((g) => g.code === c.gemeente)?.naam ?? c.gemeente);
    if (filled.has('sector') && c.sector) add('sector', localText(policy.sectoren[c.sector], turn.lang));
    if (filled.has('doelgroep') && c.doelgroep) add('doelgroep', t(turn.lang, `doelgroep.${c.doelgroep}` as TextKey).toLowerCase());
    if (filled.has('leeftijdsgroep') && c.leeftijdsgroep && c.doelgroep === 'kind') add('leeftijd', t(turn.lang, `leeftijd.${c.leeftijdsgroep}` as TextKey));
    if (filled.has('plegerIsMedewerker') && c.plegerIsMedewerker === true) add('medewerker', t(turn.lang, 'prefill.medewerker'));
    if (filled.has('signalen') && c.signalen?.length) {
      add('signalen', c.signalen.map((code) => localText(policy.signalen.find((x) => x.code === code)?.label ?? { nl: code, en: code }, turn.lang).toLowerCase()).join(', '));
    }
    if (!items.length) return undefined;
    return t(turn.lang, 'prefill.shown', { items: items.join('; '), first: first! });
  }

  /** Merges the answer to `marker` into the case. Returns false when the flow ended (acute danger). */
  async function apply(turn: FlowTurn, s: FlowState, marker: string, answer: { skipped: true } | { skipped: false; value: unknown }): Promise<boolean> {
    const c = s.case;
    const value = answer.skipped ? undefined : answer.value;
    if (marker === 'acuut') {
      turn.conv.acuteAskedAt = Date.now();
      const a = value as YesNo;
      if (a === 'ja' || a === 'weetniet') {
        c.acuutGevaar = true;
        const text = a === 'weetniet' ? `${t(turn.lang, 'acute.doubt')} ${t(turn.lang, 'acute.message')}` : t(turn.lang, 'acute.message');
        await turn.context.sendActivity(text);
        await save(turn, s, advise(c, policy, turn.lang));
        turn.conv.flow = undefined;
        return false;
      }
      c.acuutGevaar = false;
      dataOf(s).lead = [t(turn.lang, 'privacy.warning'), prefillSummary(turn, s)].filter(Boolean).join('\n\n');
    } else if (marker === 'gemeente') {
      if (typeof value === 'string') c.gemeente = value;
    } else if (marker === 'sector') {
      if (typeof value === 'string') c.sector = value as CaseInput['sector'];
    } else if (marker === 'doelgroep') {
      const a = value as DoelgroepAnswer | undefined;
      if (a) {
        c.doelgroep = a.doelgroep;
        if (a.leeftijdsgroep) c.leeftijdsgroep = a.leeftijdsgroep;
        else delete c.leeftijdsgroep;
        if (c.signalen) c.signalen = c.signalen.filter((code) => signalFits(policy, code, a.doelgroep));
      }
    } else if (marker === 'medewerker') {
      const a = value as YesNo | undefined;
      // "weet ik niet" or skipped: unknown (the advice then names the meldplicht to check).
      c.plegerIsMedewerker = a === 'ja' ? true : a === 'nee' ? false : null;
    } else if (marker === 'signalen') {
      const a = value as SignalenAnswer | undefined;
      if (a) {
        c.signalen = a.signalen;
        c.vormen = a.vormen;
        c.disclosure = a.disclosure;
        // Show the professional the anonymised version before anything is stored.
        if (a.toelichting) dataOf(s).noteDraft = anonymise(a.toelichting).text;
      }
    } else if (marker === 'notitie') {
      const a = value as NoteAnswer | undefined;
      if (a?.edited) {
        // Edited: anonymise again and show again; the question stays open.
        dataOf(s).noteDraft = anonymise(a.edited).text;
        s.pending = 'notitie';
        await sendQuestion(turn.context, QUESTIONS.notitie as Question<unknown>, ctxOf(turn, s), t(turn.lang, 'notitie.edited'));
        return false;
      }
      const keep = a?.keep === true;
      if (keep) dataOf(s).note = dataOf(s).noteDraft;
      delete dataOf(s).noteDraft;
      // Teams keeps chat history: replace the confirmation card (which quoted the note) by a neutral line.
      const cardId = turn.context.activity.replyToId;
      if (cardId) {
        const text = t(turn.lang, keep ? 'notitie.kept' : 'notitie.dropped');
        await turn.context.updateActivity({ id: cardId, type: 'message', text, attachments: [] }).catch(() => undefined);
      }
    } else if (marker === 'stappen') {
      if (Array.isArray(value)) c.stappenGedaan = value as CaseInput['stappenGedaan'];
    } else if (marker.startsWith('afweging:')) {
      const key = marker.slice('afweging:'.length) as AfwegingKey;
      if (!(AFWEGING_KEYS as readonly string[]).includes(key)) return true;
      const a = value as YesNo | undefined;
      c.afweging = { ...(c.afweging ?? {}), [key]: a === 'ja' ? true : a === 'nee' ? false : null };
    }
    markAnswered(s, marker);
    return true;
  }

  return {
    id: CONSULTATION_FLOW,

    async begin(turn, options = {}) {
      const prefill: CaseInput = { ...(options.prefill ?? {}) };
      delete prefill.acuutGevaar;
      const s = newFlowState(CONSULTATION_FLOW, prefill, { prefilled: Object.keys(prefill) } satisfies ConsultationData);
      await advance(turn, s);
    },

    async continue(turn) {
      const s = turn.conv.flow!;
      const marker = s.pending;
      const question = questionOf(marker);
      const answer = await readAnswer(turn, s, question, ctxOf(turn, s));
      if (!answer) return;
      if (!(await apply(turn, s, marker, answer))) return;
      await advance(turn, s);
    },

    async reprompt(turn, lead) {
      const s = turn.conv.flow!;
      await sendQuestion(turn.context, questionOf(s.pending), ctxOf(turn, s), lead);
    },

    async change(turn, field) {
      const s = turn.conv.flow!;
      const target = CHANGEABLE[field];
      if (!target || s.pending === 'acuut') return false;
      for (const f of target.fields) delete s.case[f];
      s.answered = s.answered.filter((a) => a !== target.question && !(target.question === 'stappen' && a.startsWith('afweging:')));
      if (field === 'leeftijd' && s.case.doelgroep !== 'kind') delete s.case.doelgroep;
      dataOf(s).lead = t(turn.lang, 'change.asked');
      await advance(turn, s);
      return true;
    },
  };
}
