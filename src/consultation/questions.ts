/**
 * The consultation's questions (the overleg request asks the first three too): for each, the Adaptive Card that asks
 * it and the parser that turns a card submit (validated with zod) or typed text into an answer. The machinery (what a
 * question is, stale-card detection) is shared: dialogs/questions.ts.
 */
import { z } from 'zod';
import { questionCard, type Choice } from '../../cards/render';
import { AFWEGING_KEYS, DOELGROEPEN, LEEFTIJDSGROEPEN, SECTORS, VORMEN } from '../meldcode/types';
import { afwegingsvraagText } from '../meldcode/engine';
import { gemeenten, localText, signalCatalogue } from '../meldcode/policy';
import * as answers from '../meldcode/answers';
import { t, type TextKey } from '../texts';
import { invalid, ok, parseYesNo, type Question, type QuestionContext, type YesNo } from '../../dialogs/questions';

export const QUESTION_IDS = ['acuut', 'gemeente', 'sector', 'doelgroep', 'medewerker', 'signalen', 'notitie', 'stappen', 'afweging'] as const;
export type QuestionId = (typeof QUESTION_IDS)[number];

export {
  invalid,
  isSkip,
  ok,
  parseAnswer,
  parseYesNo,
  type ParseResult,
  type Question,
  type QuestionContext,
  type YesNo,
} from '../../dialogs/questions';

const data = (ctx: QuestionContext, mw: string, extra: Record<string, unknown> = {}) => ({ mw, run: ctx.runId, ...extra });

function yesNoButtons(ctx: QuestionContext, mw: string, dontKnow: boolean, yesStyle: 'positive' | 'destructive' | 'default' = 'default') {
  const buttons = [
    { title: t(ctx.lang, 'answer.ja'), style: yesStyle, data: data(ctx, mw, { answer: 'ja' }) },
    { title: t(ctx.lang, 'answer.nee'), data: data(ctx, mw, { answer: 'nee' }) },
  ];
  if (dontKnow) buttons.push({ title: t(ctx.lang, 'answer.weetniet'), data: data(ctx, mw, { answer: 'weetniet' }) });
  return buttons;
}

// Card submit schemas, built once (zod compiles a schema on construction; per-turn construction is costly).
const AnswerValue = z.object({ answer: z.enum(['ja', 'nee', 'weetniet']) });
const GemeenteValue = z.object({ gemeente: z.string().max(20) });
const SectorValue = z.object({ sector: z.enum(SECTORS) });

function yesNoQuestion(id: QuestionId, titleKey: TextKey, dontKnow: boolean, yesStyle: 'positive' | 'destructive' | 'default' = 'default', skippable = true): Question<YesNo> {
  return {
    id,
    example: `example.${id}` as TextKey,
    skippable,
    card: (ctx) => questionCard({ title: t(ctx.lang, titleKey), buttons: yesNoButtons(ctx, id, dontKnow, yesStyle) }),
    parseValue: (v) => {
      const r = AnswerValue.safeParse(v);
      if (!r.success || (!dontKnow && r.data.answer === 'weetniet')) return invalid('reprompt.yesno');
      return ok(r.data.answer);
    },
    parseText: (text) => {
      if (id === 'acuut') {
        // Doubt ("weet ik niet", "misschien", "denk het wel") is an answer here: the flow treats it as danger.
        const acute = answers.parseAcute(text);
        return acute ? ok(acute === 'twijfel' ? 'weetniet' : acute) : invalid('reprompt.yesno');
      }
      const a = parseYesNo(text, dontKnow);
      return a ? ok(a) : invalid('reprompt.yesno');
    },
  };
}

/** "Weet ik niet" at the acute question counts as danger (the flow says why). Never skippable. */
export const acuteQuestion = yesNoQuestion('acuut', 'acute.question', true, 'destructive', false);
export const medewerkerQuestion = yesNoQuestion('medewerker', 'medewerker.question', true);

/** Sentinel for "my gemeente is not in the list": national contacts apply. */
export const OTHER_GEMEENTE = 'anders';

export const gemeenteQuestion: Question<string | null> = {
  id: 'gemeente',
  example: 'example.gemeente',
  skippable: true,
  card: (ctx) =>
    questionCard({
      title: t(ctx.lang, 'gemeente.question'),
      inputs: [
        {
          id: 'gemeente',
          style: 'filtered',
          required: true,
          errorMessage: t(ctx.lang, 'reprompt.gemeente'),
          value: ctx.case.gemeente ?? '',
          choices: [...gemeenten(ctx.policy).map((g) => ({ title: g.naam, value: g.code })), { title: t(ctx.lang, 'gemeente.other'), value: OTHER_GEMEENTE }],
        },
      ],
      buttons: [{ title: t(ctx.lang, 'submit'), style: 'positive', data: data(ctx, 'gemeente') }],
    }),
  parseValue: (v, ctx) => {
    const r = GemeenteValue.safeParse(v);
    if (!r.success) return invalid('reprompt.gemeente');
    if (r.data.gemeente === OTHER_GEMEENTE) return ok(null);
    return ctx.policy.gemeenten.some((g) => g.code === r.data.gemeente) ? ok(r.data.gemeente) : invalid('reprompt.gemeente');
  },
  parseText: (text, ctx) => {
    const g = answers.parseGemeente(text, ctx.policy);
    return g === undefined ? invalid('reprompt.gemeente') : ok(g);
  },
};

const sectorChoices = (ctx: QuestionContext): Choice[] => SECTORS.map((s) => ({ title: localText(ctx.policy.sectoren[s], ctx.lang), value: s }));
export const sectorQuestion: Question<(typeof SECTORS)[number]> = {
  id: 'sector',
  example: 'example.sector',
  skippable: true,
  card: (ctx) =>
    questionCard({
      title: t(ctx.lang, 'sector.question'),
      inputs: [{ id: 'sector', style: 'expanded', required: true, errorMessage: t(ctx.lang, 'reprompt.choose'), choices: sectorChoices(ctx) }],
      buttons: [{ title: t(ctx.lang, 'submit'), style: 'positive', data: data(ctx, 'sector') }],
    }),
  parseValue: (v) => {
    const r = SectorValue.safeParse(v);
    return r.success ? ok(r.data.sector) : invalid();
  },
  parseText: (text, ctx) => {
    const sector = answers.parseSector(text, ctx.policy);
    return sector ? ok(sector) : invalid();
  },
};

export interface DoelgroepAnswer {
  doelgroep: (typeof DOELGROEPEN)[number];
  leeftijdsgroep?: (typeof LEEFTIJDSGROEPEN)[number];
}
const CHILD_BANDS = ['0-3', '4-11', '12-17'] as const;
const DoelgroepValue = z.object({ doelgroep: z.enum(DOELGROEPEN), leeftijdsgroep: z.union([z.enum(CHILD_BANDS), z.literal('')]).optional() });
export const doelgroepQuestion: Question<DoelgroepAnswer> = {
  id: 'doelgroep',
  example: 'example.doelgroep',
  skippable: true,
  card: (ctx) =>
    questionCard({
      title: t(ctx.lang, 'doelgroep.question'),
      inputs: [
        {
          id: 'doelgroep',
          style: 'expanded',
          required: true,
          value: ctx.case.doelgroep ?? '',
          errorMessage: t(ctx.lang, 'reprompt.choose'),
          choices: DOELGROEPEN.map((d) => ({ title: t(ctx.lang, `doelgroep.${d}` as TextKey), value: d })),
        },
        {
          id: 'leeftijdsgroep',
          label: t(ctx.lang, 'leeftijd.question'),
          style: 'expanded',
          value: ctx.case.leeftijdsgroep ?? '',
          choices: CHILD_BANDS.map((b) => ({ title: t(ctx.lang, `leeftijd.${b}` as TextKey), value: b })),
        },
      ],
      buttons: [{ title: t(ctx.lang, 'submit'), style: 'positive', data: data(ctx, 'doelgroep') }],
    }),
  parseValue: (v) => {
    const r = DoelgroepValue.safeParse(v);
    if (!r.success) return invalid();
    if (r.data.doelgroep === 'kind') {
      if (!r.data.leeftijdsgroep) return invalid('reprompt.leeftijd');
      return ok({ doelgroep: 'kind', leeftijdsgroep: r.data.leeftijdsgroep });
    }
    return ok({ doelgroep: r.data.doelgroep, leeftijdsgroep: r.data.doelgroep === 'oudere' ? '65+' : undefined });
  },
  parseText: (text, ctx) => {
    const age = answers.parseAge(text);
    const doelgroep = answers.parseDoelgroep(text) ?? ctx.case.doelgroep;
    if (!doelgroep) return invalid();
    if (doelgroep === 'kind') {
      const band = age ?? ctx.case.leeftijdsgroep;
      if (!band) return invalid('reprompt.leeftijd');
      return (CHILD_BANDS as readonly string[]).includes(band) ? ok({ doelgroep, leeftijdsgroep: band as (typeof CHILD_BANDS)[number] }) : invalid('reprompt.leeftijd');
    }
    return ok({ doelgroep, leeftijdsgroep: doelgroep === 'oudere' ? '65+' : undefined });
  },
};

export interface SignalenAnswer {
  signalen: string[];
  vormen: Array<(typeof VORMEN)[number]>;
  disclosure: boolean;
  /** Optional short explanation in the professional's words; anonymised and confirmed before it is stored. */
  toelichting?: string;
}

export const MAX_NOTE_LENGTH = 500;
/** Choice-set values arrive as a comma-separated string ("a,b"); empty means none chosen. */
const csv = z
  .string()
  .max(2000)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const SignalenValue = z.object({ signalen: csv.optional(), vormen: csv.optional(), disclosure: z.enum(['true', 'false']).optional(), toelichting: z.string().optional() });
const StappenValue = z.object({ stappen: csv.optional() });
export const signalenQuestion: Question<SignalenAnswer> = {
  id: 'signalen',
  example: 'example.signalen',
  skippable: true,
  card: (ctx) => {
    const catalogue = signalCatalogue(ctx.policy, ctx.case.doelgroep ?? 'kind');
    return questionCard({
      title: t(ctx.lang, 'signalen.question'),
      hint: ctx.case.doelgroep === 'kind' || !ctx.case.doelgroep ? t(ctx.lang, 'signalen.hint') : null,
      inputs: [
        { id: 'signalen', multi: true, style: 'expanded', value: (ctx.case.signalen ?? []).join(','), choices: catalogue.map((s) => ({ title: localText(s.label, ctx.lang), value: s.code })) },
        {
          id: 'vormen',
          label: t(ctx.lang, 'signalen.vormen'),
          multi: true,
          style: 'expanded',
          value: (ctx.case.vormen ?? []).join(','),
          choices: ctx.policy.vormen.map((v) => ({ title: localText(v.label, ctx.lang), value: v.code })),
        },
      ],
      toggles: [{ id: 'disclosure', title: t(ctx.lang, 'signalen.disclosure'), value: ctx.case.disclosure ? 'true' : 'false' }],
      texts: [{ id: 'toelichting', label: t(ctx.lang, 'signalen.toelichting'), placeholder: t(ctx.lang, 'signalen.toelichting.placeholder'), maxLength: MAX_NOTE_LENGTH }],
      buttons: [{ title: t(ctx.lang, 'submit'), style: 'positive', data: data(ctx, 'signalen') }],
    });
  },
  parseValue: (v, ctx) => {
    const r = SignalenValue.safeParse(v);
    if (!r.success) return invalid('reprompt.signal');
    const toelichting = (r.data.toelichting ?? '').trim();
    if (toelichting.length > MAX_NOTE_LENGTH) return invalid('reprompt.toelichting');
    const allowed = new Set(signalCatalogue(ctx.policy, ctx.case.doelgroep ?? 'kind').map((s) => s.code));
    const signalen = r.data.signalen ?? [];
    const vormen = r.data.vormen ?? [];
    if (signalen.some((s) => !allowed.has(s)) || vormen.some((x) => !(VORMEN as readonly string[]).includes(x))) return invalid('reprompt.signal');
    return ok({
      signalen: [...new Set(signalen)],
      vormen: [...new Set(vormen)] as SignalenAnswer['vormen'],
      disclosure: r.data.disclosure === 'true',
      ...(toelichting ? { toelichting } : {}),
    });
  },
  parseText: (text, ctx) => {
    const a = answers.parseSignalen(text, ctx.policy, ctx.case.doelgroep ?? 'kind');
    // The card shows a disclosure taken from the first message as ticked; typing the signals does not untick it.
    return a ? ok({ signalen: a.signalen, vormen: a.vormen, disclosure: a.disclosure || ctx.case.disclosure === true }) : invalid('reprompt.signal');
  },
};

/** The professional's choice on the anonymised note: keep it, leave it out, or an edited text (anonymised again). */
export type NoteAnswer = { keep: boolean; edited?: string };
const NoteValue = z.object({ answer: z.enum(['ja', 'nee']), toelichting: z.string().optional() });

/** Shows the anonymised note, editable, and asks whether to keep it: ja = keep, nee = leave it out. */
export const notitieQuestion: Question<NoteAnswer> = {
  id: 'notitie',
  example: 'example.notitie',
  skippable: true,
  card: (ctx) =>
    questionCard({
      title: t(ctx.lang, 'notitie.question'),
      hint: `“${ctx.note ?? ''}”`,
      private: true,
      texts: [{ id: 'toelichting', label: t(ctx.lang, 'notitie.edit.label'), maxLength: MAX_NOTE_LENGTH, value: ctx.note ?? '' }],
      buttons: [
        { title: t(ctx.lang, 'notitie.keep'), style: 'positive', data: data(ctx, 'notitie', { answer: 'ja' }) },
        { title: t(ctx.lang, 'notitie.drop'), data: data(ctx, 'notitie', { answer: 'nee' }) },
      ],
    }),
  parseValue: (v, ctx) => {
    const r = NoteValue.safeParse(v);
    if (!r.success) return invalid('reprompt.yesno');
    if (r.data.answer === 'nee') return ok({ keep: false });
    const edited = (r.data.toelichting ?? '').trim();
    if (edited.length > MAX_NOTE_LENGTH) return invalid('reprompt.toelichting');
    return edited && edited !== (ctx.note ?? '').trim() ? ok({ keep: true, edited }) : ok({ keep: true });
  },
  parseText: (text) => {
    const a = answers.parseNoteConfirm(text);
    if (a) return ok({ keep: a === 'ja' });
    const edited = text.trim();
    if (edited.length > MAX_NOTE_LENGTH) return invalid('reprompt.toelichting');
    // Anything else typed here is the professional's edited explanation: anonymised again and shown again.
    return edited.length >= 3 ? ok({ keep: true, edited }) : invalid('reprompt.yesno');
  },
};

export const stappenQuestion: Question<Array<1 | 2 | 3 | 4 | 5>> = {
  id: 'stappen',
  example: 'example.stappen',
  skippable: true,
  card: (ctx) =>
    questionCard({
      title: t(ctx.lang, 'stappen.question'),
      hint: t(ctx.lang, 'stappen.hint'),
      inputs: [
        {
          id: 'stappen',
          multi: true,
          style: 'expanded',
          value: (ctx.case.stappenGedaan ?? []).join(','),
          choices: ([1, 2, 3, 4] as const).map((s) => ({ title: `${s}. ${localText(ctx.policy.stappen[String(s) as '1'], ctx.lang)}`, value: String(s) })),
        },
      ],
      buttons: [{ title: t(ctx.lang, 'submit'), style: 'positive', data: data(ctx, 'stappen') }],
    }),
  parseValue: (v) => {
    const r = StappenValue.safeParse(v);
    if (!r.success) return invalid();
    const steps = (r.data.stappen ?? []).map(Number);
    if (steps.some((s) => !Number.isInteger(s) || s < 1 || s > 5)) return invalid();
    return ok([...new Set(steps)].sort() as Array<1 | 2 | 3 | 4 | 5>);
  },
  parseText: (text, ctx) => {
    const steps = answers.parseStappen(text, ctx.policy);
    return steps ? ok(steps.filter((x) => x <= 5)) : invalid();
  },
};

export const afwegingQuestion: Question<YesNo> = {
  id: 'afweging',
  example: 'example.afweging',
  skippable: true,
  marker: (ctx) => `afweging:${ctx.afwegingKey}`,
  card: (ctx) => {
    const key = ctx.afwegingKey ?? 'vermoeden';
    const nr = AFWEGING_KEYS.indexOf(key) + 1;
    return questionCard({
      title: `${t(ctx.lang, 'afweging.label', { nr })} ${afwegingsvraagText(ctx.policy, key, ctx.lang)}`,
      hint: key === 'resultaat' ? t(ctx.lang, 'afweging.resultaat.hint') : null,
      buttons: yesNoButtons(ctx, `afweging:${key}`, true),
    });
  },
  parseValue: (v) => {
    const r = AnswerValue.safeParse(v);
    return r.success ? ok(r.data.answer) : invalid('reprompt.yesno');
  },
  parseText: (text) => {
    const a = parseYesNo(text, true);
    return a ? ok(a) : invalid('reprompt.yesno');
  },
};

export const QUESTIONS: Record<QuestionId, Question<unknown>> = {
  acuut: acuteQuestion,
  gemeente: gemeenteQuestion,
  sector: sectorQuestion,
  doelgroep: doelgroepQuestion,
  medewerker: medewerkerQuestion,
  signalen: signalenQuestion,
  notitie: notitieQuestion,
  stappen: stappenQuestion,
  afweging: afwegingQuestion,
};
