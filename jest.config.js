/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  testTimeout: 30000,
  // jwks-rsa 4 (the Agents SDK's, loaded by the Agents host) needs ESM-only `jose`, which jest's CommonJS runtime cannot load.
  moduleNameMapper: { '^jose$': '<rootDir>/test/support/joseShim.ts' },
};
