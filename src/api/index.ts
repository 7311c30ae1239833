export { createMunicipalApi, startMunicipalApi, ROUTES, DEFAULT_MUNICIPAL_PORT, DEFAULT_MUNICIPAL_DB_URL } from './server';
export type { MunicipalApiOptions, StartMunicipalApiOptions, RunningMunicipalApi } from './server';
export { hashToken, parseTokens, formatTokens, SCOPES } from './auth';
export type { ApiToken, Scope, Principal } from './auth';
export { openApiDocument } from './openapi';
export { MUNICIPAL_MIGRATIONS } from './store';
