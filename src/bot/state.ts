/**
 * ConversationState with a cheaper change check. botbuilder's BotState hashes the whole state three times per turn
 * (after loading, before saving, after saving) with a replacer-based stringify plus SHA-256; that was the largest
 * single cost of a dialog turn after the dialog machinery itself (bench: `npm run bench`). Here the "hash" is the
 * state's plain JSON, which is exactly what DbStorage persists: state that cannot be serialised to JSON could not
 * be stored either. Same semantics otherwise: load once per turn (or when forced), write only when changed (or
 * when forced), `eTag: '*'` (last writer wins, as botbuilder does).
 */
import { ConversationState, type TurnContext } from 'botbuilder';

interface Cached {
  state: Record<string, unknown>;
  hash: string;
}

/** The state's JSON without its eTag: what would be stored. */
export function stateFingerprint(state: Record<string, unknown>): string {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
}

export class MeldwijzerConversationState extends ConversationState {
  /** BotState keeps the per-turn cache under a private symbol; clear()/delete()/get() of the base class use it too. */
  private get cacheKey(): symbol {
    return (this as unknown as { stateKey: symbol }).stateKey;
  }

  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const state = (items[key] ?? {}) as Record<string, unknown>;
    context.turnState.set(this.cacheKey, { state, hash: stateFingerprint(state) } satisfies Cached);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    let cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    const current = cached ? stateFingerprint(cached.state) : '';
    if (!force && (!cached || cached.hash === current)) return;
    const key = await this.storageKey(context);
    if (!cached) cached = { state: {}, hash: '' };
    cached.state.eTag = '*';
    await this.storage.write({ [key]: cached.state });
    cached.hash = stateFingerprint(cached.state);
    context.turnState.set(this.cacheKey, cached);
  }
}
