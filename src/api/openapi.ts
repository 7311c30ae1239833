/** OpenAPI 3.1 description of the municipal API (the record schema is generated from the shared zod schema). */
import { z } from 'zod';
import { CONSULTATION_STATUSES } from '../consultation/ports';
import { DOELGROEPEN } from '../meldcode/types';
import { MunicipalRecord, StatusPatch } from '../records/schema';
import { SCOPES } from './auth';
import { PROBLEM_TITLES, problemTypeUri } from '../http/problem';

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

const problemRef = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const std = {
  '401': problemRef('Geen of ongeldig bearer token'),
  '403': problemRef('Token zonder de vereiste scope'),
  '500': problemRef('Interne fout (zonder stacktrace)'),
};

const idParam = { name: 'id', in: 'path', required: true, description: 'recordId (uuid)', schema: { type: 'string', format: 'uuid' } };
const monthParam = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
});
const filterParams = [
  {
    name: 'status',
    in: 'query',
    required: false,
    description: 'Eén of meer statussen, komma-gescheiden',
    schema: { type: 'string' },
    example: 'open,in-behandeling',
  },
  { name: 'gemeente', in: 'query', required: false, description: 'CBS-code(s), komma-gescheiden', schema: { type: 'string' }, example: 'GM0246' },
  { name: 'doelgroep', in: 'query', required: false, description: `Eén of meer van ${DOELGROEPEN.join(', ')}`, schema: { type: 'string' } },
  monthParam('from', 'Vanaf maand (JJJJ-MM, inclusief)'),
  monthParam('to', 'Tot en met maand (JJJJ-MM)'),
];

export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Meldwijzer gemeentelijke API',
      version: '1.0.0',
      description:
        'Geanonimiseerde consultatierecords van de Meldwijzer-bot (meldcode huiselijk geweld en kindermishandeling). ' +
        'Records bevatten alleen gestructureerde, gegeneraliseerde velden en geen vrije tekst; de aanvrager is een niet-omkeerbaar pseudoniem. ' +
        'Fouten zijn application/problem+json (RFC 9457) met invalidParams voor validatiefouten.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/consultations': {
        post: {
          operationId: 'createConsultation',
          summary: 'Record aanleveren (idempotent op Idempotency-Key)',
          description:
            'Zelfde Idempotency-Key en zelfde body: het eerste resultaat met 200. Zelfde sleutel met andere body: 422. ' +
            'Een record bevat geen vrije tekst: een onbekend veld met tekst (zoals een notitie) geeft 422 (de tekst wordt niet herhaald). Scope consultations:write.',
          'x-scopes': ['consultations:write'],
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              schema: { type: 'string', minLength: 1, maxLength: 200 },
              description: 'Unieke sleutel per record (bijvoorbeeld een uuid)',
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/MunicipalRecord' } } } },
          responses: {
            '201': {
              description: 'Aangemaakt',
              headers: { Location: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/MunicipalRecord' } } },
            },
            '200': {
              description: 'Herhaling van een eerder verwerkt verzoek: het eerste resultaat',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/MunicipalRecord' } } },
            },
            '400': problemRef('Ongeldige JSON, ontbrekende Idempotency-Key of validatiefout (invalidParams)'),
            ...std,
            '409': problemRef('Record met dit id bestaat al met andere inhoud'),
            '413': problemRef('Body te groot'),
            '415': problemRef('Content-Type is geen application/json'),
            '422': problemRef('Idempotency-Key hergebruikt met andere body, of vrije tekst in het record (free-text)'),
          },
        },
        get: {
          operationId: 'listConsultations',
          summary: 'Records opvragen, nieuwste eerst, met cursor-paginering',
          'x-scopes': ['consultations:read'],
          parameters: [
            ...filterParams,
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
            { name: 'cursor', in: 'query', required: false, description: 'De waarde `next` van de vorige pagina', schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'Eén pagina', content: { 'application/json': { schema: { $ref: '#/components/schemas/ConsultationPage' } } } },
            '400': problemRef('Ongeldige queryparameter (invalidParams)'),
            ...std,
          },
        },
      },
      '/api/v1/consultations/stats': {
        get: {
          operationId: 'consultationStats',
          summary: 'Geaggregeerde aantallen per maand, gemeente, doelgroep, geadviseerde stap, actie en status',
          'x-scopes': ['consultations:read'],
          parameters: filterParams,
          responses: {
            '200': { description: 'Aantallen', content: { 'application/json': { schema: { $ref: '#/components/schemas/Stats' } } } },
            '400': problemRef('Ongeldige queryparameter (invalidParams)'),
            ...std,
          },
        },
      },
      '/api/v1/consultations/{id}': {
        get: {
          operationId: 'getConsultation',
          summary: 'Eén record',
          'x-scopes': ['consultations:read'],
          parameters: [idParam],
          responses: {
            '200': { description: 'Het record', content: { 'application/json': { schema: { $ref: '#/components/schemas/MunicipalRecord' } } } },
            '404': problemRef('Onbekend id'),
            ...std,
          },
        },
        patch: {
          operationId: 'updateConsultationStatus',
          summary: 'Nieuwe versie van het record: status, bereikte stap, uitkomst (stap 5) en maand van afsluiten',
          description:
            'Het record volgt de consultatie: open → in-behandeling → afgerond, open → afgerond (afgesloten met uitkomst), ' +
            'afgerond → open (heropend binnen 30 dagen) en open/in-behandeling → ingetrokken. Met `versie` is de wijziging een ' +
            'nieuwe versie van het record: die wordt precies één keer toegepast; een oudere of gelijke versie geeft 200 met het ' +
            'ongewijzigde record (idempotent, ook bij herhaald of laat bezorgd verzoek). Alleen gestructureerde velden ' +
            '(stap, actie, uitkomst, afgerondMaand als JJJJ-MM), nooit vrije tekst. Dezelfde status nogmaals zetten geeft 200. ' +
            'Een niet-toegestane overgang geeft 409.',
          'x-scopes': ['consultations:write'],
          parameters: [idParam, { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/StatusPatch' } } } },
          responses: {
            '200': { description: 'Het record met de nieuwe status', content: { 'application/json': { schema: { $ref: '#/components/schemas/MunicipalRecord' } } } },
            '400': problemRef('Ongeldige JSON of validatiefout'),
            ...std,
            '404': problemRef('Onbekend id'),
            '409': problemRef('Statusovergang niet toegestaan'),
            '413': problemRef('Body te groot'),
            '415': problemRef('Content-Type is geen application/json'),
          },
        },
      },
      '/api/v1/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'Dit document',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/api/v1/healthz': {
        get: {
          operationId: 'health',
          summary: 'Gezondheid (database bereikbaar)',
          security: [],
          responses: {
            '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } } },
            '503': problemRef('Database niet bereikbaar'),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'healthRoot',
          summary: 'Gezondheid (alias voor probes)',
          security: [],
          responses: {
            '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } } },
            '503': problemRef('Database niet bereikbaar'),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: `Bearer token; scopes: ${SCOPES.join(', ')}. Tokens worden alleen als SHA-256-hash geconfigureerd.`,
        },
      },
      schemas: {
        MunicipalRecord: jsonSchema(MunicipalRecord),
        StatusPatch: jsonSchema(StatusPatch),
        ConsultationPage: {
          type: 'object',
          required: ['items', 'next'],
          properties: {
            items: { type: 'array', items: { $ref: '#/components/schemas/MunicipalRecord' } },
            next: { type: ['string', 'null'], description: 'Cursor voor de volgende pagina, of null' },
          },
        },
        Stats: {
          type: 'object',
          required: ['items', 'totaal'],
          properties: {
            totaal: { type: 'integer' },
            items: {
              type: 'array',
              items: {
                type: 'object',
                required: ['maand', 'gemeente', 'doelgroep', 'stap', 'actie', 'status', 'aantal'],
                properties: {
                  maand: { type: 'string' },
                  gemeente: { type: ['string', 'null'] },
                  doelgroep: { type: ['string', 'null'] },
                  stap: { type: 'integer' },
                  actie: { type: 'string' },
                  status: { type: 'string', enum: [...CONSULTATION_STATUSES] },
                  aantal: { type: 'integer' },
                },
              },
            },
          },
        },
        Health: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string', format: 'uri', enum: Object.keys(PROBLEM_TITLES).map((k) => problemTypeUri(k)) },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            invalidParams: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'reason'],
                properties: { name: { type: 'string' }, code: { type: 'string' }, reason: { type: 'string' } },
              },
            },
            identifierTypes: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  };
}
