import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { buildRecord, monthOf, pseudonymise, scrubNote } from '../../src/records/build';
import { canTransition, MunicipalRecord, NOTE_MAX, StatusPatch } from '../../src/records/schema';
import { localConsultation, sampleRecord } from '../support/fixtures';

const SECRET = 'test-secret-0123456789abcdef';

describe('buildRecord', () => {
  it('produces a valid record with generalised fields only', () => {
    const local = localConsultation();
    const record = buildRecord(local, SECRET, { recordId: '6f0c5a3e-2a51-4f3b-9a43-8a1d5c0e7b21' });
    expect(MunicipalRecord.parse(record)).toEqual(record);
    expect(record).toMatchObject({
      recordId: '6f0c5a3e-2a51-4f3b-9a43-8a1d5c0e7b21',
      gemeente: 'GM0246',
      doelgroep: 'kind',
      leeftijdsgroep: '4-11',
      stap: 2,
      actie: 'collega-raadplegen',
      status: 'open',
      maand: '2026-03',
      urgentie: 'vandaag',
      overlegGevraagd: true,
      afweging: { vermoeden: true, onveilig: false, zelfHulp: null, hulpAanvaard: null, resultaat: null },
    });
    expect(record.contactRollen).toEqual(['aandachtsfunctionaris-jeugd', 'veilig-thuis']);
    expect(Object.keys(record)).not.toContain('nummer');
    expect(Object.keys(record)).not.toContain('notitie');
  });

  it('never contains the Teams id, the consultation number, assignee, names or dates', () => {
    const local = localConsultation();
    const json = JSON.stringify(buildRecord(local, SECRET));
    for (const secret of [local.requesterId, local.nummer, local.assigneeId!, local.assigneeName!, '2026-03-14', '09:26', local.advice.tekst]) {
      expect(json).not.toContain(secret);
    }
    expect(json).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('pseudonymises the requester with HMAC-SHA256 and the bot secret', () => {
    const local = localConsultation();
    const record = buildRecord(local, SECRET);
    expect(record.aanvragerPseudoniem).toBe(createHmac('sha256', SECRET).update(local.requesterId).digest('hex'));
    expect(record.aanvragerPseudoniem).toBe(pseudonymise(local.requesterId, SECRET));
    expect(buildRecord(local, 'another-secret-xyz').aanvragerPseudoniem).not.toBe(record.aanvragerPseudoniem);
    expect(() => buildRecord(local, '')).toThrow(/secret/);
  });

  it('uses a fresh random recordId unless one is given', () => {
    const local = localConsultation();
    expect(buildRecord(local, SECRET).recordId).not.toBe(buildRecord(local, SECRET).recordId);
  });

  it('never puts the note (free text) in the municipal record, not even scrubbed', () => {
    const local = localConsultation({ note: 'Gesprek gehad met moeder over de sfeer thuis.' });
    const record = buildRecord(local, SECRET);
    const json = JSON.stringify(record);
    expect(Object.keys(record)).not.toContain('notitie');
    expect(json).not.toContain('sfeer');
    expect(json).not.toContain('Gesprek');
  });

  it('scrubs and trims the note that stays in the bot store', () => {
    const note = scrubNote('Gesprek gehad met moeder, zij belde vanaf 06-12345678 over BSN 111222333. ' + 'x'.repeat(600));
    expect(note).not.toBeNull();
    expect(note!.length).toBeLessThanOrEqual(NOTE_MAX);
    expect(note).toContain('Gesprek gehad met moeder');
    expect(note).not.toContain('06-12345678');
    expect(note).not.toContain('111222333');
    expect(scrubNote('   ')).toBeNull();
  });

  it('property: no requester id of any shape leaks into the serialised record', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uuid(),
          fc.string({ minLength: 12, maxLength: 80 }).filter((s) => /[A-Za-z]{4}/.test(s)),
          fc.constantFrom('29:1xYz-AbCdEf_GhIjKlMn', 'jan.de.vries@school.nl', '8:orgid:2b7f1c43-aaaa-bbbb-cccc-1234567890ab'),
        ),
        (requesterId) => {
          const json = JSON.stringify(buildRecord(localConsultation({ requesterId }), SECRET));
          return !json.includes(requesterId) && !json.includes(JSON.stringify(requesterId).slice(1, -1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('takes the month in UTC', () => {
    expect(monthOf('2026-12-31T23:30:00.000Z')).toBe('2026-12');
    expect(() => monthOf('gisteren')).toThrow();
  });
});

describe('record schema', () => {
  it.each([
    ['naam', { naam: 'Jan Jansen' }],
    ['geboortedatum', { geboortedatum: '2015-04-01' }],
    ['adres', { adres: 'Dorpsstraat 1' }],
    ['teamsId', { teamsId: '29:abc' }],
    ['nummer', { nummer: 'MW-7K3Q9P' }],
    ['bericht', { bericht: 'hallo' }],
  ])('rejects the unknown field %s', (_name, extra) => {
    expect(MunicipalRecord.safeParse({ ...sampleRecord(), ...extra }).success).toBe(false);
  });

  it('rejects a date where a month belongs, a non-hex pseudonym, any note, a non-CBS gemeente', () => {
    expect(MunicipalRecord.safeParse(sampleRecord({ maand: '2026-03-14' })).success).toBe(false);
    expect(MunicipalRecord.safeParse(sampleRecord({ aanvragerPseudoniem: 'jan' })).success).toBe(false);
    expect(MunicipalRecord.safeParse({ ...sampleRecord(), notitie: 'Zorgen over verzuim' }).success).toBe(false);
    expect(MunicipalRecord.safeParse(sampleRecord({ gemeente: 'Heerde' })).success).toBe(false);
    expect(MunicipalRecord.safeParse(sampleRecord({ gemeente: null })).success).toBe(true);
    // Every afwegingsvraag present (null = not answered), nothing else.
    const afweging = sampleRecord().afweging;
    const { resultaat: _dropped, ...missingOne } = afweging;
    expect(MunicipalRecord.safeParse(sampleRecord({ afweging: missingOne as typeof afweging })).success).toBe(false);
    expect(MunicipalRecord.safeParse(sampleRecord({ afweging: { ...afweging, extra: true } as typeof afweging })).success).toBe(false);
    expect(MunicipalRecord.safeParse(sampleRecord({ afweging: { ...afweging, resultaat: 'ja' } as unknown as typeof afweging })).success).toBe(false);
    expect(StatusPatch.safeParse({ status: 'afgerond', door: 'Jan' }).success).toBe(false);
  });

  it('allows only the documented status transitions', () => {
    expect(canTransition('open', 'in-behandeling')).toBe(true);
    expect(canTransition('in-behandeling', 'afgerond')).toBe(true);
    expect(canTransition('open', 'ingetrokken')).toBe(true);
    expect(canTransition('in-behandeling', 'ingetrokken')).toBe(true);
    expect(canTransition('afgerond', 'afgerond')).toBe(true);
    // Issue 13: the professional closes an open consultation with a stap 5 outcome, and may reopen a closed one.
    expect(canTransition('open', 'afgerond')).toBe(true);
    expect(canTransition('afgerond', 'open')).toBe(true);
    expect(canTransition('afgerond', 'in-behandeling')).toBe(false);
    expect(canTransition('ingetrokken', 'open')).toBe(false);
    expect(canTransition('ingetrokken', 'in-behandeling')).toBe(false);
    expect(canTransition('in-behandeling', 'open')).toBe(false);
  });
});
