/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  testTimeout: 30000,
  // The Agents SDK's jwks-rsa needs ESM-only `jose`, which jest's CommonJS runtime cannot load: for the run on the
  // Agents host (scripts/test.js) every suite gets the shim; suites of the default run that load the Agents host
  // mock it themselves (as the tab's Entra suites do).
  ...(process.env.MELDWIJZER_HOST === 'agents' ? { moduleNameMapper: { '^jose$': '<rootDir>/test/support/joseShim.ts' } } : {}),
};
