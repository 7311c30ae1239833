/** The consultation record: schema, builder, repository, outbox and municipal client (no botbuilder, no HTTP server). */
export { MunicipalRecord, StatusPatch, STATUS_TRANSITIONS, canTransition, NOTE_MAX } from './schema';
export { buildRecord, pseudonymise, scrubNote, monthOf } from './build';
export {
  createConsultationRepository,
  generateNummer,
  NUMMER_PATTERN,
  InvalidTransitionError,
  InvalidCursorError,
  type ConsultationRepositoryOptions,
} from '../consultation/repository';
export {
  startOutboxWorker,
  enqueueOutbox,
  type OutboxWorker,
  type OutboxWorkerOptions,
  type OutboxStats,
  type FlushResult,
} from './outbox';
export {
  createMunicipalClient,
  DEFAULT_CLIENT_TIMEOUT_MS,
  type MunicipalClient,
  type MunicipalClientOptions,
  type DeliveryOutcome,
} from './municipalClient';
export { createJsonLogger, silentLogger, memoryLogger, type Logger } from './logger';
