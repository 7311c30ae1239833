/** Drives the real MeldwijzerBot turn by turn through botbuilder's TestAdapter and collects the replies. */
import { ConversationState, MemoryStorage, TestAdapter, type Activity, type Attachment } from 'botbuilder';
import { MeldwijzerBot, type BotFeature } from '../../src/bot/bot';
import { loadPolicy } from '../../src/meldcode/policy';
import type { ConsultationSink } from '../../src/consultation/dialog';
import type { Advice, CaseInput } from '../../src/meldcode/types';

export interface Reply {
  text?: string;
  card?: Record<string, any>;
}

export interface SavedConsultation {
  case: CaseInput;
  advice: Advice;
  requesterId: string;
  nummer: string;
}

export function memorySink(): ConsultationSink & { saved: SavedConsultation[]; failNext?: boolean } {
  const saved: SavedConsultation[] = [];
  const sink = {
    saved,
    failNext: false,
    async save(input: { case: CaseInput; advice: Advice; requesterId: string }) {
      if (sink.failNext) {
        sink.failNext = false;
        throw new Error('db down');
      }
      const nummer = `MW-TEST${String(saved.length + 1).padStart(2, '0')}`;
      saved.push({ ...structuredClone(input), nummer });
      return { nummer };
    },
  };
  return sink;
}

export class BotHarness {
  readonly adapter: TestAdapter;
  readonly sink = memorySink();
  readonly policy = loadPolicy();
  readonly bot: MeldwijzerBot;
  private readonly storage: MemoryStorage;

  constructor(opts: { locale?: string; features?: BotFeature[]; storage?: MemoryStorage; sink?: ConsultationSink | null } = {}) {
    this.storage = opts.storage ?? new MemoryStorage();
    this.bot = new MeldwijzerBot({
      policy: this.policy,
      conversationState: new ConversationState(this.storage),
      sink: opts.sink === null ? undefined : (opts.sink ?? this.sink),
      features: opts.features,
    });
    this.adapter = new TestAdapter(async (ctx) => this.bot.run(ctx));
    this.adapter.locale = opts.locale ?? 'nl-NL';
  }

  async turn(partial: Partial<Activity>): Promise<Reply[]> {
    await this.adapter.receiveActivity({ type: 'message', locale: this.adapter.locale, ...partial } as Activity);
    const out = this.adapter.activeQueue.splice(0);
    return out.map((a) => ({
      text: a.text,
      card: (a.attachments ?? []).map((x: Attachment) => x.content as Record<string, any>)[0],
    }));
  }

  say(text: string): Promise<Reply[]> {
    return this.turn({ text });
  }

  /** Submits the last question card's data merged with the given input values (like pressing a card button). */
  async submit(card: Record<string, any> | undefined, inputs: Record<string, unknown> = {}, button = 0): Promise<Reply[]> {
    if (!card) throw new Error('no card to submit');
    const data = card.actions?.[button]?.data ?? {};
    return this.turn({ value: { ...data, ...inputs } });
  }

  /** Presses the button with this title. */
  async press(card: Record<string, any> | undefined, title: string, inputs: Record<string, unknown> = {}): Promise<Reply[]> {
    const i = (card?.actions ?? []).findIndex((a: { title: string }) => a.title === title);
    if (i < 0) throw new Error(`no button "${title}" on card: ${JSON.stringify(card?.actions?.map((a: { title: string }) => a.title))}`);
    return this.submit(card, inputs, i);
  }

  sendValue(value: unknown): Promise<Reply[]> {
    return this.turn({ value } as Partial<Activity>);
  }
}

export const lastCard = (replies: Reply[]) => [...replies].reverse().find((r) => r.card)?.card;
export const texts = (replies: Reply[]) => replies.map((r) => r.text ?? '').join('\n');
/** Title of a question card (its first TextBlock). */
export const cardTitle = (card: Record<string, any> | undefined) => (card?.body?.[0]?.text as string | undefined) ?? '';
export const cardText = (card: Record<string, any> | undefined) => JSON.stringify(card?.body ?? []);
