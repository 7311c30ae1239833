/**
 * The host under test. `npm test` runs the HTTP, overleg/proactive, security and playground suites twice: as they
 * are (botbuilder, the default) and with MELDWIJZER_HOST=agents (Microsoft 365 Agents SDK host).
 */
export const HOST_ENV: { MELDWIJZER_HOST?: string } = process.env.MELDWIJZER_HOST ? { MELDWIJZER_HOST: process.env.MELDWIJZER_HOST } : {};
export const HOST = process.env.MELDWIJZER_HOST ?? 'botbuilder';
