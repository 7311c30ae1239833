/**
 * Test support for the overleg feature: a test policy with Teams users/deputies/channels, a real SQLite store,
 * the real MeldwijzerBot + overleg feature driven through botbuilder's TestAdapter as several users, a fake transport, and
 * a mock Bot Framework connector on loopback for the real CloudAdapter.
 */
import { ConversationState, MemoryStorage, TestAdapter, type Activity, type Attachment } from 'botbuilder';
import { MeldwijzerBot } from '../../src/bot/bot';
import { loadPolicy, type Policy } from '../../src/meldcode/policy';
import { openDb, migrate } from '../../src/store';
import type { Db } from '../../src/store/db';
import { createConversationRefStore } from '../../src/store/conversationRefs';
import { createConsultationRepository } from '../../src/consultation/repository';
import type { ConversationRefStore, ConsultationRepository } from '../../src/consultation/ports';
import type { ConsultationSink } from '../../src/consultation/dialog';
import { createOverlegFeature, type OverlegFeature, type OverlegFeatureDeps } from '../../src/overleg/feature';
import type { Delivery, NotificationTransport, OutgoingMessage } from '../../src/overleg/transport';
import type { Language } from '../../src/meldcode/types';
import type { Reply } from './botHarness';
import { randomUUID } from 'node:crypto';
import { startMockConnector as startSharedConnector } from './mockConnector';

export interface User {
  id: string;
  aadObjectId?: string;
  name: string;
}

export const USERS = {
  consulent: { id: '29:consulent', aadObjectId: 'aad-consulent', name: 'Wmo-consulent' },
  leerkracht: { id: '29:leerkracht', aadObjectId: 'aad-leerkracht', name: 'Leerkracht' },
  afJeugd: { id: '29:af-jeugd', aadObjectId: 'dev-af-jeugd-heerde', name: 'AF Jeugd' },
  afVolwassenen: { id: '29:af-volw', aadObjectId: 'dev-af-volwassenen-heerde', name: 'AF Volwassenen' },
  procescoordinator: { id: '29:pc', aadObjectId: 'dev-procescoordinator-steenwijkerland', name: 'Procescoördinator' },
  pcDeputy: { id: '29:pc-dep', aadObjectId: 'test-pc-plaatsvervanger', name: 'Plaatsvervanger PC' },
  toegang: { id: '29:toegang', aadObjectId: 'dev-toegang-tilburg', name: 'Toegang' },
  eigenAf: { id: '29:eigen-af', aadObjectId: 'test-eigen-af', name: 'Eigen AF' },
  buitenstaander: { id: '29:other', aadObjectId: 'aad-other', name: 'Iemand anders' },
} satisfies Record<string, User>;

/**
 * The shipped policy plus test-only Teams configuration: the organisation's own aandachtsfunctionaris (national
 * contact) gets a Teams user, Steenwijkerland a deputy and a channel.
 */
export function testPolicy(): Policy {
  const p = structuredClone(loadPolicy());
  const eigen = p.contacten.nationaal.find((c) => c.rol === 'aandachtsfunctionaris')!;
  eigen.teams = { userIds: ['test-eigen-af'], plaatsvervangers: [] };
  const stw = p.gemeenten.find((g) => g.code === 'GM1708')!.contacten.find((c) => c.rol === 'procescoordinator')!;
  stw.teams = { userIds: ['dev-procescoordinator-steenwijkerland'], plaatsvervangers: ['test-pc-plaatsvervanger'], kanaal: '19:stw-veiligheid@thread.tacv2' };
  return p;
}

export async function openStore(url = 'sqlite::memory:'): Promise<{ db: Db; repo: ConsultationRepository; refs: ConversationRefStore }> {
  const db = await openDb({ url });
  await migrate(db);
  const repo = createConsultationRepository(db, { pseudonymSecret: 'x' });
  return { db, repo, refs: createConversationRefStore(db) };
}

/** A transport that records what would be sent; per user or channel it can answer gone/transient/failed. */
export function fakeTransport() {
  const sent: Array<{ to: string; channel: boolean; message: OutgoingMessage }> = [];
  const behaviour = new Map<string, Array<Delivery> | Delivery>();
  const answer = (to: string): Delivery => {
    const b = behaviour.get(to);
    if (Array.isArray(b)) return b.shift() ?? { ok: true };
    return b ?? { ok: true };
  };
  const transport: NotificationTransport & {
    sent: typeof sent;
    set(to: string, d: Delivery | Delivery[]): void;
    textsTo(to: string): string[];
  } = {
    sent,
    set(to, d) {
      behaviour.set(to, d);
    },
    textsTo(to) {
      return sent.filter((s) => s.to === to).map((s) => s.message.text ?? '');
    },
    async sendToUser(userId: string, build: (lang: Language) => OutgoingMessage) {
      const d = answer(userId);
      if (d.ok) sent.push({ to: userId, channel: false, message: build('nl') });
      return d;
    },
    async postToChannel(channelId: string, build: (lang: Language) => OutgoingMessage) {
      const d = answer(channelId);
      if (d.ok) sent.push({ to: channelId, channel: true, message: build('nl') });
      return d;
    },
  };
  return transport;
}

export interface InvokeResult {
  status: number;
  type?: string;
  card?: Record<string, any>;
  text?: string;
}

/** The real bot with the overleg feature on a real store, driven through TestAdapter as different users. */
export class OverlegHarness {
  readonly adapter: TestAdapter;
  readonly bot: MeldwijzerBot;
  readonly feature: OverlegFeature;
  private seq = 0;

  constructor(
    readonly store: { db: Db; repo: ConsultationRepository; refs: ConversationRefStore },
    readonly policy: Policy = testPolicy(),
    featureDeps: Partial<OverlegFeatureDeps> = {},
    storage = new MemoryStorage(),
    /** Service URL on incoming activities (so stored references point at a mock connector). */
    readonly serviceUrl = 'https://test.invalid',
  ) {
    const { repo, refs, db } = store;
    const sink: ConsultationSink = {
      async save({ case: c, advice, requesterId }) {
        return { nummer: (await repo.create({ case: c, advice, requesterId })).nummer };
      },
    };
    this.feature = createOverlegFeature({ policy, repo, refs, db, notificationWorker: { pollMs: 0, baseDelayMs: 20, maxDelayMs: 200 }, ...featureDeps });
    this.bot = new MeldwijzerBot({ policy, conversationState: new ConversationState(storage), sink, refs, features: [this.feature] });
    this.adapter = new TestAdapter(async (ctx) => this.bot.run(ctx));
    this.adapter.locale = 'nl-NL';
  }

  private conversationOf(user: User) {
    return { id: `personal-${user.id}`, conversationType: 'personal', tenantId: 'tenant-1' };
  }

  private async turn(user: User, partial: Partial<Activity>): Promise<Activity[]> {
    // Turns may run concurrently (simultaneous clicks): collect only the replies to this activity.
    const id = `act-${++this.seq}`;
    await this.adapter.receiveActivity({
      id,
      type: 'message',
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      locale: 'nl-NL',
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId } as Activity['from'],
      conversation: this.conversationOf(user) as Activity['conversation'],
      ...partial,
    } as Activity);
    const q = this.adapter.activeQueue as Activity[];
    const mine = q.filter((a) => a.replyToId === id);
    const rest = q.filter((a) => a.replyToId !== id);
    q.splice(0, q.length, ...rest);
    return mine;
  }

  async say(user: User, text: string): Promise<Reply[]> {
    return toReplies(await this.turn(user, { text }));
  }

  async sendValue(user: User, value: unknown): Promise<Reply[]> {
    return toReplies(await this.turn(user, { value } as Partial<Activity>));
  }

  /** Presses an Action.Submit button with this title on a card. */
  async press(user: User, card: Record<string, any> | undefined, title: string, inputs: Record<string, unknown> = {}): Promise<Reply[]> {
    const action = (card?.actions ?? []).find((a: { title: string }) => a.title === title);
    if (!action) throw new Error(`no button "${title}" on card: ${JSON.stringify(card?.actions?.map((a: { title: string }) => a.title))}`);
    return this.sendValue(user, { ...action.data, ...inputs });
  }

  /** An Action.Execute click (adaptiveCard/action invoke) as this user. */
  async invoke(user: User, verb: string, data: Record<string, unknown>, trigger: 'manual' | 'automatic' = 'manual'): Promise<InvokeResult> {
    const out = await this.turn(user, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger } } as Partial<Activity>);
    const resp = out.find((a) => a.type === 'invokeResponse');
    const v = (resp?.value ?? {}) as { status: number; body?: { statusCode: number; type: string; value: unknown } };
    const body = v.body;
    return {
      status: v.status,
      type: body?.type,
      card: body?.type === 'application/vnd.microsoft.card.adaptive' ? (body.value as Record<string, any>) : undefined,
      text: typeof body?.value === 'string' ? body.value : undefined,
    };
  }

  /** Clicks a button (Action.Execute) on a notification card by title. */
  async click(user: User, card: Record<string, any> | undefined, title: string): Promise<InvokeResult> {
    const action = (card?.actions ?? []).find((a: { title: string }) => a.title === title);
    if (!action) throw new Error(`no button "${title}" on card: ${JSON.stringify(card?.actions?.map((a: { title: string }) => a.title))}`);
    return this.invoke(user, action.verb, action.data);
  }
}

function toReplies(out: Activity[]): Reply[] {
  return out.map((a) => ({ text: a.text, card: (a.attachments ?? []).map((x: Attachment) => x.content as Record<string, any>)[0] }));
}

/** Facts of a notification card as { title: value }. */
export function factsOf(card: Record<string, any> | undefined): Record<string, string> {
  const set = (card?.body ?? []).find((b: { type: string }) => b.type === 'FactSet');
  return Object.fromEntries((set?.facts ?? []).map((f: { title: string; value: string }) => [f.title, f.value]));
}
export const buttonsOf = (card: Record<string, any> | undefined): string[] => (card?.actions ?? []).map((a: { title: string }) => a.title);
export const noticeOf = (card: Record<string, any> | undefined): string =>
  ((card?.body ?? []).find((b: { type: string }) => b.type === 'Container')?.items?.[0]?.text as string | undefined) ?? '';

/** The shared mock connector (./mockConnector.ts), recording every request: the overleg tests read what was sent to whom. */
export const startMockConnector = () => startSharedConnector({ record: true });

/** A stored conversation reference as the bot saves it for a user talking to it in Teams. */
export function teamsRef(serviceUrl: string, user: User, conversationId = `a:${user.id}`, locale = 'nl-NL'): Record<string, unknown> {
  return {
    activityId: 'x',
    channelId: 'msteams',
    serviceUrl,
    locale,
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
    user: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    bot: { id: '28:meldwijzer', name: 'Meldwijzer' },
  };
}

/** Requests an overleg by typing, through the real dialog; returns the consultation number and the confirmation card. */
export async function requestTyped(
  h: OverlegHarness,
  user: User,
  opts: { gemeente: string; doelgroep: 'kind' | 'partner' | 'oudere' | 'volwassene'; leeftijdsgroep?: string; urgentie?: string; bereikbaarheid?: string },
): Promise<{ nummer: string; card: Record<string, any>; text: string }> {
  const last = (r: Reply[]) => [...r].reverse().find((x) => x.card)?.card;
  let r = await h.say(user, 'ik wil de aandachtsfunctionaris spreken');
  // Every path asks the acute question first (unless answered in this conversation within the hour).
  if (last(r)?.actions?.[0]?.data?.mw === 'acuut') r = await h.sendValue(user, { ...last(r)!.actions[0].data, answer: 'nee' });
  r = await h.sendValue(user, { ...last(r)!.actions[0].data, gemeente: opts.gemeente });
  r = await h.sendValue(user, { ...last(r)!.actions[0].data, doelgroep: opts.doelgroep, leeftijdsgroep: opts.leeftijdsgroep ?? (opts.doelgroep === 'kind' ? '4-11' : '') });
  r = await h.sendValue(user, { ...last(r)!.actions[0].data, urgentie: opts.urgentie ?? 'vandaag' });
  r = await h.sendValue(user, { ...last(r)!.actions[0].data, bereikbaarheid: opts.bereikbaarheid ?? 'teams-chat' });
  const card = last(r)!;
  const nummer = factsOf(card)['Consultatienummer'];
  if (!nummer) throw new Error(`no confirmation card: ${JSON.stringify(r)}`);
  return { nummer, card, text: r.map((x) => x.text ?? '').join('\n') };
}

/** The personal chat of a Teams user with the bot, as the overleg and lifecycle tests name it. */
export const personalChatOf = (user: { id: string }) => `a:${user.id}`;

/**
 * Posts an activity from `from` in their personal chat to the real bot endpoint (`botUrl`), as Teams would send it,
 * with `extra` merged in (text, value, or an invoke). Returns the HTTP status and the parsed body (invoke answers).
 */
export async function postAs(botUrl: string, serviceUrl: string, from: { id: string; aadObjectId?: string; name?: string }, extra: Record<string, unknown>) {
  const activity = {
    type: 'message',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    locale: 'nl-NL',
    timestamp: new Date().toISOString(),
    from,
    recipient: { id: '28:meldwijzer', name: 'Meldwijzer' },
    conversation: { id: personalChatOf(from), conversationType: 'personal', tenantId: 'tenant-1' },
    ...extra,
  };
  const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
}

/** Polls `fn` every 25 ms until it gives a truthy value (returned), or fails after `timeoutMs`. */
export async function until<T>(fn: () => T | undefined | null | false, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
