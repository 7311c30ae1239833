/**
 * The key-value storage contract both SDKs define (botbuilder `Storage`, Agents SDK `Storage`: the same shape), so
 * one implementation (src/store/botStorage.ts) serves both hosts; and the conversation-bag load/save the Agents host
 * uses: the same key and semantics as src/bot/state.ts (one read, a write only when the JSON changed, last writer wins).
 */
export type StoreItems = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface KeyValueStorage {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

function fingerprint(state: Record<string, unknown>): string {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
}

export async function loadBag(storage: KeyValueStorage, key: string): Promise<{ bag: Record<string, unknown>; save(): Promise<void> }> {
  const items = await storage.read([key]);
  const bag = (items[key] ?? {}) as Record<string, unknown>;
  let hash = fingerprint(bag);
  return {
    bag,
    async save() {
      const now = fingerprint(bag);
      if (now === hash) return;
      bag.eTag = '*';
      await storage.write({ [key]: bag });
      hash = now;
    },
  };
}
