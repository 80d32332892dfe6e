// Jest runs TypeScript through SWC (decorator metadata on, as Nest needs).
// Every suite shares one PostgreSQL server started in globalSetup; each test
// file gets its own database cloned from a migrated template.
const fs = require('node:fs');

const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.$schema;
// Jest resolves the path aliases itself (moduleNameMapper below).
delete swcrc.jsc.baseUrl;
delete swcrc.jsc.paths;

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/config', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/bench/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: {
    '^@madoguchi/config(.*)$': '<rootDir>/config/src$1',
    '^@madoguchi/([a-z-]+)(.*)$': '<rootDir>/libs/$1/src$2',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 60000,
  maxWorkers: process.env.JEST_MAX_WORKERS || 2,
};
