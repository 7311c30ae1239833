/**
 * MeldwijzerConversationState replaces botbuilder's hashed change check by the state's JSON. It must behave like
 * ConversationState: the same reads, the same writes (none when nothing changed), the same stored data.
 */
import { ConversationState, MemoryStorage, TestAdapter, TurnContext, type StoreItems } from 'botbuilder';
import { MeldwijzerConversationState } from '../../src/bot/state';

class CountingStorage extends MemoryStorage {
  reads = 0;
  writes = 0;
  override read(keys: string[]): Promise<StoreItems> {
    this.reads++;
    return super.read(keys);
  }
  override write(changes: StoreItems): Promise<void> {
    this.writes++;
    return super.write(changes);
  }
  /** Everything stored, without eTags. */
  stored(): unknown[] {
    return Object.values(this.memory as Record<string, string>).map((json) => {
      const { eTag: _eTag, ...rest } = JSON.parse(json) as Record<string, unknown>;
      return rest;
    });
  }
}

function turn(adapter: TestAdapter, conversation = 'c1'): TurnContext {
  return new TurnContext(adapter, {
    type: 'message',
    channelId: 'test',
    conversation: { id: conversation, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'u1', name: 'u' },
    recipient: { id: 'bot', name: 'bot' },
    text: 'x',
  });
}

type Step = (state: Record<string, unknown>, ctx: TurnContext, cs: ConversationState) => Promise<void> | void;

const script: Array<[string, Step]> = [
  ['first turn sets a value', (s) => void (s.count = 1)],
  ['turn that only reads', (s) => void s.count],
  ['nested change', (s) => void (s.dialog = { stack: [{ id: 'a', state: { n: [1, 2] } }] })],
  ['deep mutation inside the nested object', (s) => void ((s.dialog as { stack: Array<{ state: { n: number[] } }> }).stack[0]!.state.n.push(3))],
  ['assigning the same value again', (s) => void (s.count = 1)],
  ['delete a property', (s) => void delete s.dialog],
  ['clear()', async (_s, ctx, cs) => cs.clear(ctx)],
];

async function play(make: (storage: CountingStorage) => ConversationState) {
  const storage = new CountingStorage();
  const cs = make(storage);
  const adapter = new TestAdapter();
  const trace: Array<{ step: string; reads: number; writes: number; stored: unknown }> = [];
  const prop = cs.createProperty<number>('touch');
  for (const [name, step] of script) {
    const ctx = turn(adapter);
    await prop.get(ctx); // loads the state like a dialog turn does
    await step(await cs.load(ctx), ctx, cs);
    await cs.saveChanges(ctx, false);
    trace.push({ step: name, reads: storage.reads, writes: storage.writes, stored: storage.stored() });
  }
  return trace;
}

describe('MeldwijzerConversationState', () => {
  it('reads and writes exactly when botbuilder ConversationState does, and stores the same data', async () => {
    const reference = await play((s) => new ConversationState(s));
    const ours = await play((s) => new MeldwijzerConversationState(s));
    expect(ours).toEqual(reference);
    // Sanity of the script itself: some turns write, some do not.
    const writesPerStep = ours.map((t, i) => t.writes - (i ? ours[i - 1]!.writes : 0));
    expect(writesPerStep).toEqual([1, 0, 1, 1, 0, 1, 1]);
  });

  it('saveChanges(force) writes even without changes; a fresh turn sees the saved state', async () => {
    const storage = new CountingStorage();
    const cs = new MeldwijzerConversationState(storage);
    const adapter = new TestAdapter();
    const a = turn(adapter);
    (await cs.load(a)).n = 7;
    await cs.saveChanges(a);
    await cs.saveChanges(a);
    expect(storage.writes).toBe(1);
    await cs.saveChanges(a, true);
    expect(storage.writes).toBe(2);
    const b = turn(adapter);
    expect((await cs.load(b)).n).toBe(7);
    const other = turn(adapter, 'c2');
    expect((await cs.load(other)).n).toBeUndefined();
  });
});
