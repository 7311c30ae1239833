/** Sample consultations for store/records/api tests. */
import { randomUUID } from 'node:crypto';
import type { LocalConsultation, NewConsultation } from '../../src/consultation/ports';
import type { Advice, CaseInput } from '../../src/meldcode/types';
import type { MunicipalRecord } from '../../src/records/schema';
import { createMunicipalClient, type MunicipalClient } from '../../src/records/municipalClient';

export const sampleCase: CaseInput = {
  gemeente: 'GM0246',
  sector: 'onderwijs',
  doelgroep: 'kind',
  leeftijdsgroep: '4-11',
  acuutGevaar: false,
  plegerIsMedewerker: false,
  disclosure: false,
  signalen: ['blauwe-plekken', 'schoolverzuim'],
  vormen: [],
  stappenGedaan: [1, 2],
  afweging: { vermoeden: true, onveilig: false },
};

export const sampleAdvice: Advice = {
  stap: 2,
  actie: 'collega-raadplegen',
  meldnorm: null,
  kindcheck: false,
  contacten: [
    { rol: 'aandachtsfunctionaris-jeugd', naam: 'Aandachtsfunctionaris jeugd', telefoon: null },
    { rol: 'veilig-thuis', naam: 'Veilig Thuis', telefoon: '0800-2000' },
  ],
  tekst: 'Overleg met een collega en raadpleeg zo nodig Veilig Thuis.',
};

export function newConsultation(overrides: Partial<NewConsultation> = {}): NewConsultation {
  return {
    case: sampleCase,
    advice: sampleAdvice,
    requesterId: '29f1c0a2-7b7e-4f7e-9a55-0c6f0d3b7e11',
    overlegGevraagd: true,
    urgentie: 'deze-week',
    bereikbaarheid: 'teams-chat',
    contactRol: 'aandachtsfunctionaris-jeugd',
    note: null,
    ...overrides,
  };
}

export function localConsultation(overrides: Partial<LocalConsultation> = {}): LocalConsultation {
  return {
    nummer: 'MW-7K3Q9P',
    status: 'open',
    case: sampleCase,
    advice: sampleAdvice,
    overlegGevraagd: true,
    urgentie: 'vandaag',
    bereikbaarheid: 'teams-bellen',
    contactRol: 'aandachtsfunctionaris-jeugd',
    requesterId: '29:1AbCdEfGhIjKlMnOpQrStUvWxYz-teams-user-id',
    assigneeId: 'aad-coordinator-0001',
    assigneeName: 'Petra Coördinator',
    note: null,
    createdAt: '2026-03-14T09:26:53.000Z',
    updatedAt: '2026-03-15T10:00:00.000Z',
    version: 3,
    ...overrides,
  };
}

/** A valid record as the bot would send it. */
export function sampleRecord(overrides: Partial<MunicipalRecord> = {}): MunicipalRecord {
  return {
    recordId: randomUUID(),
    gemeente: 'GM0246',
    sector: 'onderwijs',
    doelgroep: 'kind',
    leeftijdsgroep: '4-11',
    signalen: ['blauwe-plekken'],
    vormen: [],
    acuutGevaar: false,
    plegerIsMedewerker: false,
    disclosure: false,
    stappenGedaan: [1],
    afweging: { vermoeden: true, onveilig: false, zelfHulp: null, hulpAanvaard: null, resultaat: null },
    stap: 2,
    actie: 'collega-raadplegen',
    meldnorm: null,
    contactRollen: ['aandachtsfunctionaris-jeugd', 'veilig-thuis'],
    overlegGevraagd: true,
    urgentie: 'deze-week',
    status: 'open',
    maand: '2026-03',
    aanvragerPseudoniem: 'a'.repeat(64),
    ...overrides,
  };
}

/**
 * A real municipal client for `baseUrl` that also records the body of every PATCH it sends (status + the structured
 * fields), so a test can check exactly what the record's follow-up versions carried.
 */
export function recordingMunicipalClient(baseUrl: string, token: string): { client: MunicipalClient; patches: Array<Record<string, unknown>> } {
  const inner = createMunicipalClient({ baseUrl, token });
  const patches: Array<Record<string, unknown>> = [];
  const client: MunicipalClient = {
    timeoutMs: inner.timeoutMs,
    create: (r, k) => inner.create(r, k),
    updateStatus: (id, status, k, fields) => {
      patches.push({ status, ...fields });
      return inner.updateStatus(id, status, k, fields);
    },
  };
  return { client, patches };
}
