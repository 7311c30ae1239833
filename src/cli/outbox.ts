/**
 * `meldwijzer outbox status` and `meldwijzer outbox retry [id…]`: for operators. Records the municipal API refused
 * permanently are parked as `failed` (never dropped); after fixing the cause, `retry` puts them back in the queue and
 * the running bot delivers them. Uses MELDWIJZER_DB_URL (default sqlite:data/meldwijzer.db). Prints counts and ids
 * only, never record contents.
 */
import { openDb } from '../store';
import { botDbUrlFromEnv } from '../config';
import { startOutboxWorker } from '../records/outbox';
import type { MunicipalClient } from '../records/municipalClient';
import type { CliCommand } from './io';

/** The CLI only reads and re-queues; delivering is the running bot's job. */
const noDelivery: MunicipalClient = {
  timeoutMs: 0,
  create: () => Promise.reject(new Error('the CLI does not deliver')),
  updateStatus: () => Promise.reject(new Error('the CLI does not deliver')),
};

export const outboxCommand: CliCommand = async (args, io) => {
  const [sub, ...ids] = args;
  if (sub !== 'status' && sub !== 'retry') {
    io.stderr('Gebruik: meldwijzer outbox status | meldwijzer outbox retry [id …]\n');
    return 2;
  }
  const db = await openDb({ url: botDbUrlFromEnv() });
  try {
    const worker = startOutboxWorker({ db, client: noDelivery, pollMs: 0 });
    if (sub === 'retry') {
      const n = await worker.retryFailed(ids.length ? ids : undefined);
      io.stdout(`${n} record(s) opnieuw in de wachtrij gezet; de draaiende bot levert ze af.\n`);
      return 0;
    }
    const stats = await worker.stats();
    const failed = await worker.failedItems();
    io.stdout(`${JSON.stringify({ ...stats, failedItems: failed.map((f) => ({ id: f.id, kind: f.kind, attempts: f.attempts, lastStatus: f.lastStatus, lastError: f.lastError })) }, null, 2)}\n`);
    return 0;
  } finally {
    await db.close();
  }
};
