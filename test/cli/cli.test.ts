import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { openDb, migrate } from '../../src/store';
import { createConsultationRepository } from '../../src/consultation/repository';
import { newConsultation } from '../support/fixtures';

function io(stdin = ''): CliIo & { out: string; err: string } {
  const o = { out: '', err: '', readStdin: async () => stdin, stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) };
  return o;
}

const example = {
  gemeente: 'GM0246', sector: 'onderwijs', doelgroep: 'kind', leeftijdsgroep: '4-11',
  acuutGevaar: false, plegerIsMedewerker: false, disclosure: false,
  signalen: ['lichamelijk-letsel'], vormen: [], stappenGedaan: [1, 2],
  afweging: { vermoeden: true, onveilig: false, zelfHulp: true, hulpAanvaard: true, resultaat: null },
};

describe('meldwijzer advies', () => {
  test('the example case from the issue → hulp organiseren at step 5, JSON on stdout, exit 0', async () => {
    const o = io(JSON.stringify(example));
    expect(await runCli(['advies'], o)).toBe(0);
    const advice = JSON.parse(o.out);
    expect(advice).toMatchObject({ stap: 5, actie: 'hulp-organiseren', meldnorm: null, kindcheck: false });
    expect(advice.contacten.map((c: { rol: string }) => c.rol)).toEqual(['gezinscoach', 'aandachtsfunctionaris-jeugd', 'veilig-thuis']);
    expect(advice.tekst).toContain('U beslist zelf');
    expect(o.err).toBe('');
  });

  test('an empty case is valid: step 1 with national contacts', async () => {
    const o = io('{}');
    expect(await runCli(['advies'], o)).toBe(0);
    expect(JSON.parse(o.out)).toMatchObject({ stap: 1, actie: 'signalen-in-kaart' });
  });

  test.each<[string, string, RegExp]>([
    ['not JSON', 'hallo', /geen geldige JSON/],
    ['unknown sector', JSON.stringify({ sector: 'bakkerij' }), /sector/],
    ['bad gemeente code', JSON.stringify({ gemeente: 'Heerde' }), /CBS-code/],
    ['step out of range', JSON.stringify({ stappenGedaan: [6] }), /stappenGedaan/],
    ['unknown field (e.g. a name)', JSON.stringify({ naam: 'Jan' }), /naam|Unrecognized/i],
    ['afweging not boolean', JSON.stringify({ afweging: { vermoeden: 'ja' } }), /afweging\.vermoeden/],
  ])('%s → clear error on stderr, exit 2, nothing on stdout', async (_n, stdin, message) => {
    const o = io(stdin);
    expect(await runCli(['advies'], o)).toBe(2);
    expect(o.err).toMatch(message);
    expect(o.out).toBe('');
  });
});

describe('meldwijzer policy check', () => {
  test('the shipped policy is valid', async () => {
    const o = io();
    expect(await runCli(['policy', 'check'], o)).toBe(0);
    expect(o.out).toMatch(/is geldig: 13 gemeenten/);
  });

  test('a broken policy is reported per path, exit 2', async () => {
    const policy = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'policy', 'meldwijzer.json'), 'utf8'));
    policy.gemeenten[0].code = 'Heerde';
    policy.routering[0].wanneer = 'advies.actie ==';
    policy.contacten.nationaal = policy.contacten.nationaal.filter((c: { rol: string }) => c.rol !== 'veilig-thuis');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mw-policy-')), 'broken.json');
    fs.writeFileSync(file, JSON.stringify(policy));
    const o = io();
    expect(await runCli(['policy', 'check', file], o)).toBe(2);
    expect(o.err).toContain('gemeenten.0.code');
    expect(o.err).toContain('routering.0.wanneer: ongeldige voorwaarde');
    expect(o.err).toContain('landelijk contact veilig-thuis ontbreekt');
  });

  test('a missing file is a clear error', async () => {
    const o = io();
    expect(await runCli(['policy', 'check', '/nonexistent/policy.json'], o)).toBe(2);
    expect(o.err).toContain('kan niet worden gelezen');
  });
});

describe('the installed command (npx meldwijzer)', () => {
  const bin = path.join(__dirname, '..', '..', 'bin', 'meldwijzer.js');
  test('advies over real stdin/stdout', () => {
    const r = spawnSync(process.execPath, [bin, 'advies'], { input: JSON.stringify({ ...example, acuutGevaar: true }), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ actie: '112', contacten: [{ rol: '112' }, { rol: 'veilig-thuis' }] });
  });
  test('invalid input exits 2', () => {
    const r = spawnSync(process.execPath, [bin, 'advies'], { input: '[1,2]', encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('ongeldige casus');
  });
  test('unknown command exits 2 with usage', () => {
    const r = spawnSync(process.execPath, [bin, 'verzin'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Gebruik:');
  });
});

describe('meldwijzer outbox (operators)', () => {
  test('status shows parked records by id; retry puts them back in the queue', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mw-outbox-cli-')), 'bot.db');
    const db = await openDb({ url: `sqlite:${file}` });
    await migrate(db);
    await createConsultationRepository(db, { pseudonymSecret: 'x' }).create(newConsultation({}));
    await db.execute("UPDATE outbox SET status = 'failed', attempts = 3, last_status = 422, last_error = 'identifier in notitie'");
    const [{ id }] = await db.query<{ id: string }>('SELECT id FROM outbox');
    await db.close();
    const old = process.env.MELDWIJZER_DB_URL;
    process.env.MELDWIJZER_DB_URL = `sqlite:${file}`;
    try {
      let o = io();
      expect(await runCli(['outbox', 'status'], o)).toBe(0);
      const status = JSON.parse(o.out);
      expect(status).toMatchObject({ pending: 0, failed: 1, failedItems: [{ id, lastStatus: 422, lastError: 'identifier in notitie' }] });
      o = io();
      expect(await runCli(['outbox', 'retry', id], o)).toBe(0);
      expect(o.out).toContain('1 record(s) opnieuw in de wachtrij');
      o = io();
      await runCli(['outbox', 'status'], o);
      expect(JSON.parse(o.out)).toMatchObject({ pending: 1, failed: 0 });
      o = io();
      expect(await runCli(['outbox', 'verzin'], o)).toBe(2);
    } finally {
      if (old === undefined) delete process.env.MELDWIJZER_DB_URL;
      else process.env.MELDWIJZER_DB_URL = old;
    }
  });
});
