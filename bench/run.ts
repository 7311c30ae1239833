/**
 * `npm run bench` (add `-- --quick` for a ~1 minute smoke run).
 *
 * Measures, on loopback with a mock Teams connector:
 *  1. the real bot (createMeldwijzer: SQLite-file state, outbox worker running, the municipal API as its own
 *     process as in production) driven
 *     through the full consultation dialog (typed start, card submits, afwegingsvragen) by many concurrent
 *     conversations, against an echo bot on the same stack (restify + CloudAdapter + ActivityHandler) as baseline;
 *  2. memory per 1,000 conversations parked mid-dialog (heap/rss after GC, and bot_state bytes in the DB);
 *  3. the municipal API on 100,000 stored records (SQLite and PostgreSQL): create and list latency;
 *  4. anonymiser throughput.
 * Writes bench/results/report.md and bench/results/latency.svg. Every loop is bounded in count and time.
 *
 * Flags: --quick, --concurrency=N (20), --duration=S (per measured round), --rounds=N, --records=N (100000),
 *        --parked=N (conversations parked for the memory measurement), --no-pg.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { startMockConnector, TeamsConversation, runConsultation, lastCard, cardKind, type MockConnector } from '../test/support/mockConnector';
import { postgresAvailable, startPostgres } from '../test/support/postgres';
import { startAgentsEchoBot, startEchoBot } from './echoBot';
import { startBenchBot, type BenchBot } from './bots';
import { closedLoop, fmt, summarise, type LoadResult, type LatencySummary } from './stats';
import { benchMunicipal, type MunicipalBenchResult } from './municipal';
import { benchAnonymiser, type AnonymiserResult } from './anonymiser';
import { latencyCdfSvg } from './svg';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const num = (name: string, dflt: number) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  const v = a ? Number(a.slice(name.length + 3)) : NaN;
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const QUICK = flag('quick');
const CONCURRENCY = num('concurrency', 20);
const DURATION_MS = num('duration', QUICK ? 5 : 20) * 1000;
const ROUNDS = num('rounds', QUICK ? 1 : 2);
const RECORDS = num('records', QUICK ? 20_000 : 100_000);
const PARKED = num('parked', QUICK ? 500 : 2000);
const NO_PG = flag('no-pg');
const HARD_LIMIT_MS = (QUICK ? 3 : 8) * 60_000;

const log = (...xs: unknown[]) => process.stdout.write(xs.join(' ') + '\n');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
function fullGc(): void {
  for (let i = 0; i < 3; i++) gc();
}

async function runEcho(connector: MockConnector, url: string, agent: http.Agent): Promise<LoadResult> {
  return closedLoop({
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
    maxIterations: 1_000_000,
    iteration: async () => {
      // Same shape as a consultation: one conversation, ~9 turns back to back.
      const conv = new TeamsConversation({ botUrl: url, connector, agent });
      const latencies: number[] = [];
      let errors = 0;
      for (let t = 0; t < 9; t++) {
        const r = await conv.say(`bericht ${t}`);
        latencies.push(r.ms);
        if (r.status !== 200 || r.replies.length !== 1) errors++;
      }
      return { latencies, errors };
    },
  });
}

async function runDialog(connector: MockConnector, url: string, agent: http.Agent, offset: number, outcomes: Record<string, number>): Promise<LoadResult> {
  return closedLoop({
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
    maxIterations: 1_000_000,
    iteration: async (_w, n) => {
      const conv = new TeamsConversation({ botUrl: url, connector, agent });
      const run = await runConsultation(conv, offset + n);
      outcomes[run.outcome] = (outcomes[run.outcome] ?? 0) + 1;
      return { latencies: run.turns.map((t) => t.ms), errors: run.outcome === 'advice' || run.outcome === 'acute' ? 0 : 1 };
    },
  });
}

function merge(results: LoadResult[]): LoadResult {
  const latencies = results.flatMap((r) => r.latencies);
  const elapsedMs = results.reduce((a, r) => a + r.elapsedMs, 0);
  const ops = results.reduce((a, r) => a + r.ops, 0);
  return { ops, errors: results.reduce((a, r) => a + r.errors, 0), elapsedMs, perSecond: (ops / elapsedMs) * 1000, latencies, summary: summarise(latencies) };
}

interface MemoryResult {
  parked: number;
  parkTurns: number;
  heapDeltaPer1000MB: number;
  rssDeltaPer1000MB: number;
  stateBytesPer1000KB: number;
  continued: number;
}

async function measureMemory(bot: BenchBot, connector: MockConnector, agent: http.Agent): Promise<MemoryResult> {
  const stateBytes = async () => Number((await bot.app.db.query<{ n: number }>('SELECT COALESCE(SUM(LENGTH(data)), 0) AS n FROM bot_state'))[0]?.n ?? 0);
  fullGc();
  await new Promise((r) => setTimeout(r, 200));
  fullGc();
  const before = process.memoryUsage();
  const bytesBefore = await stateBytes();
  const ids: string[] = [];
  let turns = 0;
  let next = 0;
  const deadline = Date.now() + 60_000;
  // Park conversations at the sector question: "start", acute "nee", gemeente submitted.
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < PARKED && Date.now() < deadline) {
        next++;
        const conv = new TeamsConversation({ botUrl: bot.url, connector, agent });
        let r = await conv.say('start');
        r = await conv.answer(lastCard(r.replies), 'nee');
        r = await conv.submit(lastCard(r.replies), { gemeente: 'GM0246' });
        turns += 3;
        if (cardKind(lastCard(r.replies)) === 'sector') ids.push(conv.id);
      }
    }),
  );
  fullGc();
  await new Promise((r) => setTimeout(r, 200));
  fullGc();
  const after = process.memoryUsage();
  const bytesAfter = await stateBytes();
  const per1000 = (d: number) => (d / Math.max(1, ids.length)) * 1000;
  // A sample of the parked conversations continues where it was.
  let continued = 0;
  for (const id of ids.slice(0, 20)) {
    const conv = new TeamsConversation({ botUrl: bot.url, connector, agent, conversationId: id });
    const r = await conv.say('onderwijs');
    if (cardKind(lastCard(r.replies)) === 'doelgroep') continued++;
  }
  return {
    parked: ids.length,
    parkTurns: turns,
    heapDeltaPer1000MB: per1000(after.heapUsed - before.heapUsed) / 2 ** 20,
    rssDeltaPer1000MB: per1000(after.rss - before.rss) / 2 ** 20,
    stateBytesPer1000KB: per1000(bytesAfter - bytesBefore) / 1024,
    continued,
  };
}

function row(name: string, r: LoadResult): string {
  const s = r.summary;
  return `| ${name} | ${r.ops} | ${r.errors} | ${fmt(r.perSecond)} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} |`;
}

function latRow(name: string, s: LatencySummary): string {
  return `| ${name} | ${s.count} | ${fmt(s.p50, 2)} | ${fmt(s.p95, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.max, 2)} |`;
}

function logMunicipal(r: MunicipalBenchResult): void {
  log(
    `municipal ${r.kind} (${r.records} records, seeded in ${fmt(r.seedMs / 1000)} s): ` +
      `1 client: create p50 ${fmt(r.createSequential.p50, 2)} p99 ${fmt(r.createSequential.p99, 2)} ms, list p50 ${fmt(r.listSequential.p50, 2)} p99 ${fmt(r.listSequential.p99, 2)} ms; ` +
      `${r.concurrency} clients: create p50 ${fmt(r.create.p50, 2)} p99 ${fmt(r.create.p99, 2)} ms, list p50 ${fmt(r.list.p50, 2)} p99 ${fmt(r.list.p99, 2)} ms`,
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const hard = setTimeout(() => {
    process.stderr.write(`bench: hard time limit (${HARD_LIMIT_MS / 60000} min) reached, aborting\n`);
    process.exit(2);
  }, HARD_LIMIT_MS);
  hard.unref();
  const outDir = path.resolve(__dirname, '..', '..', 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  log(`Meldwijzer bench ${QUICK ? '(quick)' : ''}: concurrency ${CONCURRENCY}, ${ROUNDS} round(s) of ${DURATION_MS / 1000}s per bot, ${RECORDS} municipal records, ${PARKED} parked conversations`);
  log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);

  // 1. Anonymiser.
  const anon: AnonymiserResult = benchAnonymiser(QUICK ? 1 * 2 ** 20 : 4 * 2 ** 20, 1200, QUICK ? 5_000 : 15_000);
  log(`anonymiser: ${fmt(anon.mbPerSecond, 2)} MB/s (${(anon.bytes / 2 ** 20).toFixed(1)} MB in ${fmt(anon.ms, 0)} ms, ${anon.chunks} chunks, ${anon.findings} findings)`);

  // 2. Echo vs dialog, alternating rounds on the same mock connector.
  const connector = await startMockConnector();
  const echo = await startEchoBot();
  const bot = await startBenchBot();
  // The same pair on the Microsoft 365 Agents SDK host (MELDWIJZER_HOST=agents), each against its own echo.
  const echoAgents = await startAgentsEchoBot();
  const botAgents = await startBenchBot('agents');
  const agentsRuns = { echo: [] as LoadResult[], dialog: [] as LoadResult[] };
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });
  const echoRuns: LoadResult[] = [];
  const dialogRuns: LoadResult[] = [];
  const outcomes: Record<string, number> = {};
  const replies = { echo: 0, dialog: 0 };
  let memory: MemoryResult | null = null;
  let outbox = { consultations: 0, delivered: 0, pending: 0, failed: 0, municipalRows: 0 };
  try {
    // Warm-up both (JIT, SQLite statement cache), not measured.
    await closedLoop({ concurrency: 4, durationMs: 1500, maxIterations: 200, iteration: async (_w, n) => {
      const c1 = new TeamsConversation({ botUrl: echo.url, connector, agent });
      await c1.say('warm');
      const run = await runConsultation(new TeamsConversation({ botUrl: bot.url, connector, agent }), n);
      // The Agents SDK pair too (its first round was several times slower without).
      await new TeamsConversation({ botUrl: echoAgents.url, connector, agent }).say('warm');
      await runConsultation(new TeamsConversation({ botUrl: botAgents.url, connector, agent }), 90_000 + n);
      return { latencies: run.turns.map((t) => t.ms), errors: 0 };
    } });
    for (let round = 0; round < ROUNDS; round++) {
      let before = connector.received;
      const e = await runEcho(connector, echo.url, agent);
      replies.echo += connector.received - before;
      echoRuns.push(e);
      log(`round ${round + 1} echo:   ${fmt(e.perSecond)} turns/s, p50 ${fmt(e.summary.p50)} p95 ${fmt(e.summary.p95)} p99 ${fmt(e.summary.p99)} ms, errors ${e.errors}`);
      before = connector.received;
      const d = await runDialog(connector, bot.url, agent, round * 100_000, outcomes);
      replies.dialog += connector.received - before;
      dialogRuns.push(d);
      log(`round ${round + 1} dialog: ${fmt(d.perSecond)} turns/s, p50 ${fmt(d.summary.p50)} p95 ${fmt(d.summary.p95)} p99 ${fmt(d.summary.p99)} ms, errors ${d.errors}`);
      const ea = await runEcho(connector, echoAgents.url, agent);
      agentsRuns.echo.push(ea);
      log(`round ${round + 1} agents echo:   ${fmt(ea.perSecond)} turns/s, p50 ${fmt(ea.summary.p50)} p95 ${fmt(ea.summary.p95)} p99 ${fmt(ea.summary.p99)} ms, errors ${ea.errors}`);
      const da = await runDialog(connector, botAgents.url, agent, 50_000 + round * 100_000, outcomes);
      agentsRuns.dialog.push(da);
      log(`round ${round + 1} agents dialog: ${fmt(da.perSecond)} turns/s, p50 ${fmt(da.summary.p50)} p95 ${fmt(da.summary.p95)} p99 ${fmt(da.summary.p99)} ms, errors ${da.errors}`);
    }
    // Every finished consultation reaches the municipal API exactly once.
    const drained = await bot.app.worker!.drain({ timeoutMs: 30_000 });
    const [c] = await bot.app.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM consultations');
    const [m] = await (await bot.municipalDb()).query<{ n: number; d: number }>('SELECT COUNT(*) AS n, COUNT(DISTINCT record_id) AS d FROM municipal_consultations');
    outbox = { consultations: Number(c?.n ?? 0), delivered: drained.delivered, pending: drained.pending, failed: drained.failed, municipalRows: Number(m?.n ?? 0) };
    log(`outbox: ${outbox.consultations} consultations saved, ${outbox.delivered} delivered, ${outbox.pending} pending, ${outbox.failed} failed; municipal rows ${outbox.municipalRows} (distinct ${m?.d})`);

    // 3. Memory with many conversations parked mid-dialog.
    memory = await measureMemory(bot, connector, agent);
    log(`memory: ${memory.parked} parked; heap ${fmt(memory.heapDeltaPer1000MB, 2)} MB / rss ${fmt(memory.rssDeltaPer1000MB, 2)} MB / state ${fmt(memory.stateBytesPer1000KB, 0)} KB per 1,000; ${memory.continued}/20 continued`);
  } finally {
    agent.destroy();
    await bot.close();
    await echo.close();
    await botAgents.close();
    await echoAgents.close();
    await connector.close();
  }
  const echoAll = merge(echoRuns);
  const dialogAll = merge(dialogRuns);
  const ratio = dialogAll.perSecond / echoAll.perSecond;
  const repliesPerTurn = { echo: replies.echo / Math.max(1, echoAll.ops), dialog: replies.dialog / Math.max(1, dialogAll.ops) };
  log(`dialog/echo throughput: ${fmt(ratio * 100)} %; connector calls per turn: echo ${fmt(repliesPerTurn.echo, 2)}, dialog ${fmt(repliesPerTurn.dialog, 2)}`);
  const agentsEchoAll = merge(agentsRuns.echo);
  const agentsDialogAll = merge(agentsRuns.dialog);
  const agentsRatio = agentsDialogAll.perSecond / agentsEchoAll.perSecond;
  log(`agents host: dialog/echo throughput ${fmt(agentsRatio * 100)} % (botbuilder host ${fmt(ratio * 100)} %)`);

  // 4. Municipal API on many records.
  const municipal: MunicipalBenchResult[] = [];
  const munOpts = { records: RECORDS, creates: QUICK ? 300 : 1000, lists: QUICK ? 300 : 1000, concurrency: 8 };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-bench-mun-'));
  try {
    const r = await benchMunicipal(`sqlite:${path.join(tmp, 'municipal.db')}`, munOpts);
    municipal.push(r);
    logMunicipal(r);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  let pgNote = '';
  if (NO_PG) pgNote = 'skipped (--no-pg)';
  else if (!postgresAvailable()) pgNote = 'skipped: PostgreSQL binaries not found (apt-get install postgresql)';
  else {
    const cluster = await startPostgres();
    try {
      const url = await cluster.createDatabase('bench');
      const r = await benchMunicipal(url, munOpts);
      municipal.push(r);
      logMunicipal(r);
    } finally {
      cluster.stop();
    }
  }

  // 5. Report.
  const svg = latencyCdfSvg(`Turn latency at ${CONCURRENCY} concurrent conversations`, [
    { name: `echo bot (${fmt(echoAll.perSecond)} turns/s)`, color: '#888', samples: echoAll.latencies },
    { name: `Meldwijzer full dialog (${fmt(dialogAll.perSecond)} turns/s)`, color: '#c0392b', samples: dialogAll.latencies },
  ]);
  fs.writeFileSync(path.join(outDir, 'latency.svg'), svg);
  // Conservative: the slower store, under concurrent clients. The one-client figure is reported beside it.
  const listP99 = Math.max(...municipal.map((r) => r.list.p99));
  const listShare = listP99 / dialogAll.summary.p99;
  const listP99Seq = Math.max(...municipal.map((r) => r.listSequential.p99));
  const listShareSeq = listP99Seq / dialogAll.summary.p99;
  const check = (ok: boolean) => (ok ? '✅ met' : '❌ not met');
  const lines = [
    `# Meldwijzer benchmark${QUICK ? ' (quick mode)' : ''}`,
    '',
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, load average at start ${os.loadavg()[0]!.toFixed(2)}. ` +
      `Everything on loopback: driver, mock Teams connector and both bots in the bench process, the municipal API in its own process (in production it is the municipality's system): the numbers are relative, the ratio is the point.`,
    '',
    '## Targets (reported, not asserted)',
    '',
    '| target | measured | |',
    '|---|---|---|',
    `| full dialog ≥ 70 % of echo throughput | ${fmt(ratio * 100)} % | ${check(ratio >= 0.7)} |`,
    `| municipal list (${RECORDS.toLocaleString('en')} records, open, filtered, first page) p99 < 5 % of dialog turn p99, ${munOpts.concurrency} concurrent clients | ${fmt(listP99, 2)} ms vs ${fmt(dialogAll.summary.p99)} ms = ${fmt(listShare * 100)} % | ${check(listShare < 0.05)} |`,
    `| same, one client at a time | ${fmt(listP99Seq, 2)} ms vs ${fmt(dialogAll.summary.p99)} ms = ${fmt(listShareSeq * 100)} % | ${check(listShareSeq < 0.05)} |`,
    `| anonymiser ≥ 1 MB/s | ${fmt(anon.mbPerSecond, 2)} MB/s | ${check(anon.mbPerSecond >= 1)} |`,
    '',
    `## Bot turns (${CONCURRENCY} concurrent conversations, ${ROUNDS} × ${DURATION_MS / 1000} s per bot, alternating)`,
    '',
    'A turn is one POST /api/messages until its HTTP response; CloudAdapter answers after the turn’s replies were POSTed to the mock connector.',
    'The Meldwijzer run uses the real composition root: state in a SQLite file (DbStorage), consultations + outbox written in the turn, the outbox worker delivering to the municipal API (its own process, `dist/src/api/main.js`) meanwhile.',
    '',
    '| bot | turns | errors | turns/s | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|---|---|',
    row('echo (restify + CloudAdapter + ActivityHandler)', echoAll),
    row('Meldwijzer, full consultation dialog', dialogAll),
    row('echo on the Agents SDK (restify + Agents CloudAdapter + AgentApplication)', agentsEchoAll),
    row('Meldwijzer on the Agents SDK host (MELDWIJZER_HOST=agents), full dialog', agentsDialogAll),
    '',
    `Each host against its own echo baseline, rounds interleaved: botbuilder host ${fmt(ratio * 100)} % of its echo, Agents SDK host ${fmt(agentsRatio * 100)} % of its echo.`,
    '',
    `Outgoing connector calls per turn (each is an HTTP POST the turn waits for): echo ${fmt(repliesPerTurn.echo, 2)}, dialog ${fmt(repliesPerTurn.dialog, 2)}. ` +
      'Besides those, a dialog turn reads its conversation state from SQLite and writes it back when it changed, renders its Adaptive Card (question cards from the render cache, the advice card from its template), validates the card submit with zod and, on the last turn, writes the consultation, audit row and outbox item in one transaction.',
    '',
    `Consultations: ${Object.entries(outcomes).map(([k, v]) => `${v} ${k}`).join(', ')}. Outbox after drain: ${outbox.consultations} saved, ${outbox.delivered} delivered, ${outbox.pending} pending, ${outbox.failed} failed; municipal rows ${outbox.municipalRows}.`,
    '',
    '![turn latency by percentile](latency.svg)',
    '',
    '## Memory per 1,000 active conversations',
    '',
    memory
      ? `${memory.parked} conversations parked at the sector question (3 turns each), heap/rss after forced GC: heap **${fmt(memory.heapDeltaPer1000MB, 2)} MB**, rss **${fmt(memory.rssDeltaPer1000MB, 2)} MB** per 1,000; dialog state in the DB: ${fmt(memory.stateBytesPer1000KB, 0)} KB per 1,000 (state is not kept in memory). ${memory.continued}/20 sampled parked conversations continued with the next question.`
      : 'not measured',
    '',
    `## Municipal API with ${RECORDS.toLocaleString('en')} stored records`,
    '',
    `Seeded through the Db port (multi-row INSERTs, 5,000 per transaction; ~30 % open, 13 gemeenten), then over HTTP, first one client at a time, then ${munOpts.concurrency} concurrent clients: create = POST /api/v1/consultations (new record, new Idempotency-Key); list = GET /api/v1/consultations?status=open&gemeente=GMxxxx (first page of 20). The API runs in the bench process, so under concurrency its latency includes waiting for the event loop (and, on SQLite, for the one connection).`,
    '',
    '| store | operation | clients | requests | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|---|---|',
    ...municipal.flatMap((r) => [
      latRow(`${r.kind} (seed ${fmt(r.seedMs / 1000)} s) | create | 1`, r.createSequential),
      latRow(`${r.kind} | list | 1`, r.listSequential),
      latRow(`${r.kind} | create | ${r.concurrency}`, r.create),
      latRow(`${r.kind} | list | ${r.concurrency}`, r.list),
    ]),
    ...(pgNote ? ['', `PostgreSQL: ${pgNote}.`] : []),
    '',
    '## Anonymiser',
    '',
    `${fmt(anon.mbPerSecond, 2)} MB/s on ${(anon.bytes / 2 ** 20).toFixed(1)} MB of Dutch free text with identifiers in ${anon.chunks} message-sized chunks (~1,200 characters), ${anon.findings} findings.`,
    '',
    `Whole run: ${fmt((Date.now() - started) / 1000, 0)} s.`,
    '',
  ];
  fs.writeFileSync(path.join(outDir, 'report.md'), lines.join('\n'));
  log('');
  log(
    `TARGETS: dialog/echo ${fmt(ratio * 100)} % (≥ 70 %: ${ratio >= 0.7 ? 'met' : 'NOT met'}); ` +
      `list p99 ${fmt(listP99, 2)} ms at ${munOpts.concurrency} clients = ${fmt(listShare * 100)} % of dialog p99 ${fmt(dialogAll.summary.p99)} ms (< 5 %: ${listShare < 0.05 ? 'met' : 'NOT met'}; one client: ${fmt(listP99Seq, 2)} ms = ${fmt(listShareSeq * 100)} %); ` +
      `anonymiser ${fmt(anon.mbPerSecond, 2)} MB/s (≥ 1: ${anon.mbPerSecond >= 1 ? 'met' : 'NOT met'})`,
  );
  log(`report: ${path.join(outDir, 'report.md')} (${fmt((Date.now() - started) / 1000, 0)} s)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
