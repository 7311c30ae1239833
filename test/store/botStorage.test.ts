import { MemoryStorage, type Storage } from 'botbuilder';
import { migrate } from '../../src/store';
import { createBotStorage } from '../../src/store/botStorage';
import { createConversationRefStore } from '../../src/store/conversationRefs';
import { forEachDb } from '../support/dbs';

/** The same behavioural checks run against botbuilder's MemoryStorage (the reference) and the Db storage. */
function storageContract(make: () => Promise<Storage>): void {
  it('reads what was written, with a fresh eTag per write', async () => {
    const s = await make();
    await s.write({ a: { n: 1, nested: { x: [1, 2] } }, b: { n: 2 } });
    const read = await s.read(['a', 'b', 'missing']);
    expect(Object.keys(read).sort()).toEqual(['a', 'b']);
    expect(read.a).toMatchObject({ n: 1, nested: { x: [1, 2] } });
    expect(typeof read.a.eTag).toBe('string');
    await s.write({ a: { ...read.a, n: 3 } });
    const again = await s.read(['a']);
    expect(again.a.n).toBe(3);
    expect(again.a.eTag).not.toBe(read.a.eTag);
  });

  it('rejects a write with a stale eTag, accepts * and missing eTags', async () => {
    const s = await make();
    await s.write({ k: { v: 1 } });
    const first = (await s.read(['k'])).k;
    await s.write({ k: { ...first, v: 2 } });
    await expect(s.write({ k: { ...first, v: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await s.read(['k'])).k.v).toBe(2);
    await s.write({ k: { v: 4, eTag: '*' } });
    expect((await s.read(['k'])).k.v).toBe(4);
    await s.write({ k: { v: 5 } });
    expect((await s.read(['k'])).k.v).toBe(5);
  });

  it('writes a new key even when the item carries an eTag, and deletes', async () => {
    const s = await make();
    await s.write({ fresh: { v: 1, eTag: 'from-elsewhere' } });
    expect((await s.read(['fresh'])).fresh.v).toBe(1);
    await s.delete(['fresh', 'never-there']);
    expect(await s.read(['fresh'])).toEqual({});
  });
}

describe('botbuilder MemoryStorage (reference behaviour)', () => {
  storageContract(async () => new MemoryStorage());
});

forEachDb('Db-backed bot storage and conversation refs', (f) => {
  storageContract(async () => {
    const db = await f.fresh();
    await migrate(db);
    return createBotStorage(db);
  });

  it('two concurrent writers with the same eTag: exactly one wins', async () => {
    const db = await f.fresh();
    await migrate(db);
    const s = createBotStorage(db);
    await s.write({ dialog: { step: 0 } });
    const base = (await s.read(['dialog'])).dialog;
    const results = await Promise.allSettled([1, 2, 3, 4].map((step) => s.write({ dialog: { ...base, step } })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(3);
  });

  it('a failed multi-key write changes nothing', async () => {
    const db = await f.fresh();
    await migrate(db);
    const s = createBotStorage(db);
    await s.write({ a: { v: 1 }, b: { v: 1 } });
    await expect(s.write({ a: { v: 2 }, b: { v: 2, eTag: 'stale' } })).rejects.toThrow(/eTag conflict/);
    const read = await s.read(['a', 'b']);
    expect([read.a.v, read.b.v]).toEqual([1, 1]);
  });

  it('stores and replaces conversation references', async () => {
    const db = await f.fresh();
    await migrate(db);
    const refs = createConversationRefStore(db);
    expect(await refs.get('user-1')).toBeNull();
    await refs.save('user-1', { conversation: { id: 'c1' }, serviceUrl: 'http://x' });
    await refs.save('user-1', { conversation: { id: 'c2' }, serviceUrl: 'http://x' });
    expect(await refs.get('user-1')).toEqual({ conversation: { id: 'c2' }, serviceUrl: 'http://x' });
  });
});
