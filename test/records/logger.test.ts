/** The JSON logger: one JSON object per line, levels, and fields that never reach a line whatever a caller passes. */
import { createJsonLogger } from '../../src/records/logger';

function capture(level: 'debug' | 'info' | 'warn' = 'debug') {
  const lines: string[] = [];
  const log = createJsonLogger({ level, base: { service: 'test' }, write: (l) => void lines.push(l) });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('writes one JSON line per entry with level, ISO time, message, base and fields', () => {
  const { log, lines, parsed } = capture();
  log.info('outbox.delivered', { count: 3 });
  expect(lines).toHaveLength(1);
  expect(lines[0]!.endsWith('\n')).toBe(true);
  const [e] = parsed();
  expect(e).toMatchObject({ level: 'info', msg: 'outbox.delivered', service: 'test', count: 3 });
  expect(new Date(String(e!.time)).toISOString()).toBe(e!.time);
});

test('entries below the level are dropped', () => {
  const { log, parsed } = capture('warn');
  log.debug('a');
  log.info('b');
  log.warn('c');
  log.error('d');
  expect(parsed().map((e) => e.msg)).toEqual(['c', 'd']);
});

test('text, bodies, tokens, paths, consultation numbers and Teams identities are redacted, also one level deep', () => {
  const { log, lines } = capture();
  log.warn('request', { text: 'Jan slaat zijn kind', path: '/api/tab/consultations/MW-2026-000123', nummer: 'MW-2026-000123', authorization: 'Bearer abc.def', req: { path: '/x/MW-2026-000123', headers: { authorization: 'Bearer x' } }, userId: '29:1abc', status: 404 });
  const line = lines.join('');
  for (const secret of ['Jan slaat', 'MW-2026-000123', 'abc.def', '29:1abc', 'Bearer']) expect(line).not.toContain(secret);
  expect(JSON.parse(line)).toMatchObject({ status: 404, text: '[redacted]' });
});

test('a field that cannot be serialised does not throw', () => {
  const { log, parsed } = capture();
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  expect(() => log.error('boom', { cyclic })).not.toThrow();
  expect(parsed()[0]).toMatchObject({ level: 'error', msg: 'boom' });
});
