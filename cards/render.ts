/**
 * Adaptive Card rendering: JSON templates expanded with adaptivecards-templating. The shared question card lives
 * here (question.json); each feature keeps its own templates next to its card module and renders them with
 * `cardTemplate` + `renderCard`.
 * All cards are Adaptive Card 1.5. Cards carry only what Teams may keep: questions, the advised step,
 * contacts and a consultation number; never case details.
 */
import { Template } from 'adaptivecards-templating';
import questionTemplate from './question.json';

export type CardJson = Record<string, unknown>;

/** A parsed card template (an Adaptive Card JSON with `${…}` bindings). */
export interface CardTemplate {
  readonly name: string;
  readonly template: Template;
}

export function cardTemplate(name: string, json: object): CardTemplate {
  return { name, template: new Template(json) };
}

/** The shared question card (cards/question.json). */
export const QUESTION_TEMPLATE = cardTemplate('question', questionTemplate);

export function renderCard(card: CardTemplate, data: Record<string, unknown>): CardJson {
  return card.template.expand({ $root: data }) as CardJson;
}

/**
 * Expanding a template costs 30–75 µs (every `${…}` is evaluated with adaptive-expressions); parsing the same card
 * from JSON costs 3–8 µs. A question card is the same for every conversation that sees it in the same language, so
 * rendered cards are kept as JSON by template + data (first in, first out beyond MAX_RENDERED). Per-conversation
 * values (button data with the run id) are left out of the key and filled in afterwards by the caller.
 */
const rendered = new Map<string, string>();
const MAX_RENDERED = 500;

function renderShared(card: CardTemplate, data: Record<string, unknown>): CardJson {
  const key = `${card.name}\u0000${JSON.stringify(data)}`;
  let json = rendered.get(key);
  if (json === undefined) {
    json = JSON.stringify(renderCard(card, data));
    if (rendered.size >= MAX_RENDERED) rendered.delete(rendered.keys().next().value as string);
    rendered.set(key, json);
  }
  return JSON.parse(json) as CardJson;
}

export interface Choice {
  title: string;
  value: string;
}
export interface ChoiceInput {
  id: string;
  label?: string;
  multi?: boolean;
  style?: 'compact' | 'expanded' | 'filtered';
  value?: string;
  required?: boolean;
  errorMessage?: string;
  choices: Choice[];
}
export interface Button {
  title: string;
  style?: 'positive' | 'destructive' | 'default';
  data: Record<string, unknown>;
}
export interface QuestionCard {
  title: string;
  hint?: string | null;
  inputs?: ChoiceInput[];
  toggles?: Array<{ id: string; title: string; value?: 'true' | 'false' }>;
  texts?: Array<{ id: string; label: string; placeholder?: string; maxLength: number; value?: string }>;
  buttons: Button[];
  /** The card shows text from this conversation (the anonymised note): rendered fresh, never kept in the cache. */
  private?: boolean;
}

export function questionCard(q: QuestionCard): CardJson {
  const card = (q.private ? renderCard : renderShared)(QUESTION_TEMPLATE, {
    title: q.title,
    hint: q.hint ?? null,
    inputs: (q.inputs ?? []).map((i) => ({
      id: i.id,
      label: i.label ?? '',
      multi: i.multi ?? false,
      style: i.style ?? 'expanded',
      value: i.value ?? '',
      required: i.required ?? false,
      errorMessage: i.errorMessage ?? '',
      choices: i.choices,
    })),
    toggles: (q.toggles ?? []).map((t) => ({ ...t, value: t.value ?? 'false' })),
    texts: (q.texts ?? []).map((x) => ({ placeholder: '', value: '', ...x })),
    // Button data carries the conversation's run id: not part of the shared card, set below.
    buttons: q.buttons.map((b, i) => ({ style: 'default', ...b, data: i })),
  });
  const actions = card.actions as Array<{ data?: unknown }>;
  q.buttons.forEach((b, i) => {
    actions[i]!.data = b.data;
  });
  return card;
}
