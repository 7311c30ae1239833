/**
 * Adaptive Card rendering: JSON templates in cards/ expanded with adaptivecards-templating.
 * All cards are Adaptive Card 1.5. Cards carry only what Teams may keep: questions, the advised step,
 * contacts and a consultation number; never case details.
 */
import { Template } from 'adaptivecards-templating';
import questionTemplate from './question.json';
import adviceTemplate from './advice.json';
import notificationTemplate from './notification.json';
import listTemplate from './list.json';

export type CardJson = Record<string, unknown>;

const templates = {
  question: new Template(questionTemplate),
  advice: new Template(adviceTemplate),
  notification: new Template(notificationTemplate),
  list: new Template(listTemplate),
};

export type CardName = keyof typeof templates;

export function renderCard(name: CardName, data: Record<string, unknown>): CardJson {
  return templates[name].expand({ $root: data }) as CardJson;
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
}

export function questionCard(q: QuestionCard): CardJson {
  return renderCard('question', {
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
    buttons: q.buttons.map((b) => ({ style: 'default', ...b })),
  });
}
