/**
 * The dependency rules of Madoguchi (docs/architecture.md, "Libraries and the
 * dependency rule"). Run with `npm run lint`; `npm test` runs it before jest.
 *
 * There is no baseline of known violations: every rule holds for all code.
 */

// Tests sit next to the code they test (STYLE.md), but they are not the
// library: they may reach the shared test support and drive the whole app.
const TEST_FILE = '\\.(spec|int-spec|e2e-spec)\\.tsx?$';
const STEP_LIBS = '(payments|approvals|bookings|documents|notifications|counter)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'app-imports-app',
      severity: 'error',
      comment:
        'An app is deployed on its own (APPS=portal,api on the internet side, APPS=office,api on the staff side) and must ' +
        'not pull in another app. apps/server is the composition root and imports the other apps on purpose; its exception is the next rule.',
      from: { path: '^apps/(?!server/)([^/]+)/' },
      to: {
        path: '^apps/',
        pathNot: [
          '^apps/$1/',
          // Office pages reuse four portal helpers that know no resident or page:
          // the page sender, the form-body parser, the gzip check and the safe
          // local-path check. They belong in a library (libs/ui or kernel/http);
          // until they move, exactly these files are allowed and nothing else.
          '^apps/portal/src/shared/page-response\\.ts$',
          '^apps/portal/src/shared/page-form-body\\.middleware\\.ts$',
          '^apps/portal/src/assets\\.controller\\.ts$',
          '^apps/portal/src/lang\\.controller\\.ts$',
        ],
      },
    },
    {
      name: 'server-imports-app-internals',
      severity: 'error',
      comment: 'The composition root takes each app by its module and the shared HTTP set-up, nothing deeper.',
      from: { path: '^apps/server/' },
      to: {
        path: '^apps/(?!server/)',
        pathNot: ['^apps/[^/]+/src/[^/]+\\.module\\.ts$', '^apps/[^/]+/src/index\\.ts$', '^apps/api/src/http-setup\\.ts$'],
      },
    },
    {
      name: 'lib-imports-app',
      severity: 'error',
      comment: 'Libraries never import apps: apps compose libraries, not the other way round.',
      from: { path: '^(libs|config)/', pathNot: TEST_FILE },
      to: { path: '^apps/' },
    },
    {
      name: 'code-imports-test',
      severity: 'error',
      comment: 'Production code never imports test/ (test support, fixtures, benches). Co-located test files may.',
      from: { path: '^(libs|apps|config|migrations)/', pathNot: TEST_FILE },
      to: { path: '^test/' },
    },
    {
      name: 'lib-deep-import',
      severity: 'error',
      comment:
        'A library is used only through its src/index.ts (import from @madoguchi/<lib>, never @madoguchi/<lib>/some/file ' +
        'and never a relative path into another library). Tests (test/ and co-located specs) may pin an internal the index ' +
        'deliberately hides, such as the work-queue SQL or the JPKI parser.',
      from: { path: '^(libs/[^/]+|apps/[^/]+|config|migrations)/', pathNot: TEST_FILE },
      to: { path: '^(libs/[^/]+|config)/src/', pathNot: ['^$1/', '^(libs/[^/]+|config)/src/index\\.tsx?$'] },
    },
    {
      name: 'step-lib-imports-applications',
      severity: 'error',
      comment:
        'Step libraries act through the engine (libs/engine: records, transitions, hooks, CaseAccess, ports) and the ' +
        'outbox, never through the case-work library.',
      from: { path: `^libs/${STEP_LIBS}/`, pathNot: TEST_FILE },
      to: { path: '^libs/applications/' },
    },
    {
      name: 'engine-below-features',
      severity: 'error',
      comment:
        'libs/engine is the durable runtime the features stand on: it may use kernel, config, workflow, procedures, ' +
        'identity and audit, never a feature (case work, step libraries, reporting, pages).',
      from: { path: '^libs/engine/', pathNot: TEST_FILE },
      to: { path: '^libs/(?!engine/|kernel/|workflow/|procedures/|identity/|audit/)' },
    },
    {
      name: 'workflow-is-pure',
      severity: 'error',
      comment: 'libs/workflow holds definitions and machines; it may use the kernel but no feature library.',
      from: { path: '^libs/workflow/', pathNot: TEST_FILE },
      to: { path: '^libs/(?!workflow/|kernel/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles between files. Type-only imports are left out: they vanish at compile time, so they cannot ' +
        'cause load-order bugs (undefined at import time), which is what this rule is for.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'type-import'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    extraExtensionsToScan: ['.tsx'],
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
    cache: false,
  },
};
