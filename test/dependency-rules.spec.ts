import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The guards in the build (STYLE.md) catch what they promise: each dependency
 * rule fires on a small project that breaks it and stays silent on the
 * imports it allows, and ESLint refuses a disable comment that no longer
 * disables anything. Runs the real CLIs with the repository's own configs.
 */
const REPO = path.resolve(__dirname, '..');
const DEPCRUISE = path.join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const ESLINT = path.join(REPO, 'node_modules/eslint/bin/eslint.js');

type Violation = { rule: { name: string }; from: string; to: string };

function cruise(files: Record<string, string>): Violation[] {
  const root = mkdtempSync(path.join(tmpdir(), 'madoguchi-depcruise-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const paths = Object.fromEntries(
      ['kernel', 'workflow', 'engine', 'applications', 'payments', 'ui'].flatMap((lib) => [
        [`@madoguchi/${lib}`, [`libs/${lib}/src`]],
        [`@madoguchi/${lib}/*`, [`libs/${lib}/src/*`]],
      ]),
    );
    writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: './', module: 'node20', moduleResolution: 'node16', jsx: 'react-jsx', paths } }));
    const output = spawnSync(process.execPath, [DEPCRUISE, 'apps', 'libs', 'test', '--config', path.join(REPO, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
      cwd: root,
      encoding: 'utf8',
    });
    const result = JSON.parse(output.stdout) as { summary: { violations: Violation[] } };
    return result.summary.violations;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const rulesOf = (violations: Violation[]) => violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  const LIBS = {
    'libs/kernel/src/index.ts': `export const kernel = 1;\n`,
    'libs/kernel/src/clock.ts': `export const clock = 1;\n`,
    'libs/workflow/src/index.ts': `import { kernel } from '@madoguchi/kernel';\nexport const workflow = kernel;\n`,
    'libs/applications/src/index.ts': `export { repo } from './application.repository';\n`,
    'libs/applications/src/application.repository.ts': `export const repo = 1;\n`,
    'libs/ui/src/index.ts': `export const ui = 1;\n`,
    'test/support/test-app.ts': `export const testApp = 1;\n`,
  };

  it('allows what the architecture allows: apps → libs by index, server composing apps, office using the named portal helpers, specs using test support', () => {
    const violations = cruise({
      ...LIBS,
      'libs/payments/src/index.ts': `import { kernel } from '@madoguchi/kernel';\nimport { engine } from '@madoguchi/engine';\nexport const payments = [kernel, engine];\n`,
      'libs/engine/src/index.ts': `import { workflow } from '@madoguchi/workflow';\nexport const engine = workflow;\n`,
      'libs/payments/src/payments.int-spec.ts': `import { testApp } from '../../../test/support/test-app';\nimport { repo } from '@madoguchi/applications';\nexport const t = [testApp, repo];\n`,
      'apps/portal/src/portal.module.ts': `import { payments } from '@madoguchi/payments';\nimport { ui } from '@madoguchi/ui';\nexport const PortalModule = [payments, ui];\n`,
      'apps/portal/src/shared/page-response.ts': `export const sendPage = 1;\n`,
      'apps/office/src/office.module.ts': `import { sendPage } from '../../portal/src/shared/page-response';\nexport const OfficeModule = sendPage;\n`,
      'apps/server/src/server.module.ts': `import { PortalModule } from '../../portal/src/portal.module';\nimport { OfficeModule } from '../../office/src/office.module';\nexport const m = [PortalModule, OfficeModule];\n`,
      'test/e2e/queue.e2e-spec.ts': `import { repo } from '@madoguchi/applications/application.repository';\nexport const r = repo;\n`,
    });
    expect(rulesOf(violations)).toEqual([]);
  });

  it('refuses each forbidden import with the rule that names it', () => {
    const violations = cruise({
      ...LIBS,
      'libs/payments/src/index.ts': `export { a } from './a';\n`,
      // A step library importing the case-work library.
      'libs/payments/src/a.ts': `import { repo } from '@madoguchi/applications';\nexport const a = repo;\n`,
      // A lib reaching into another lib, by alias and by relative path; a lib importing test support and an app.
      'libs/ui/src/deep.ts': `import { repo } from '@madoguchi/applications/application.repository';\nimport { clock } from '../../kernel/src/clock';\nimport { testApp } from '../../../test/support/test-app';\nimport { x } from '../../../apps/portal/src/other';\nexport const d = [repo, clock, testApp, x];\n`,
      // The engine importing a feature it carries.
      'libs/engine/src/index.ts': `import { payments } from '@madoguchi/payments';\nexport const engine = payments;\n`,
      // The pure workflow library importing a feature.
      'libs/workflow/src/machine.ts': `import { ui } from '@madoguchi/ui';\nexport const m = ui;\n`,
      // One app importing another beyond the named helpers; server reaching past a module.
      'apps/portal/src/other.ts': `export const x = 1;\n`,
      'apps/office/src/page.ts': `import { x } from '../../portal/src/other';\nexport const p = x;\n`,
      'apps/server/src/main.ts': `import { x } from '../../portal/src/other';\nexport const s = x;\n`,
      // A runtime cycle, and a cycle that is type-only (allowed).
      'libs/kernel/src/one.ts': `import { two } from './two';\nexport const one = () => two;\n`,
      'libs/kernel/src/two.ts': `import { one } from './one';\nexport const two = () => one;\n`,
      'libs/kernel/src/three.ts': `import type { Four } from './four';\nexport type Three = { four?: Four };\n`,
      'libs/kernel/src/four.ts': `import type { Three } from './three';\nexport type Four = { three?: Three };\n`,
      'libs/kernel/src/broken.ts': `import { nothing } from './does-not-exist';\nexport const b = nothing;\n`,
    });
    expect(rulesOf(violations)).toEqual([
      'app-imports-app: apps/office/src/page.ts → apps/portal/src/other.ts',
      'code-imports-test: libs/ui/src/deep.ts → test/support/test-app.ts',
      'engine-below-features: libs/engine/src/index.ts → libs/payments/src/index.ts',
      'lib-deep-import: libs/ui/src/deep.ts → libs/applications/src/application.repository.ts',
      'lib-deep-import: libs/ui/src/deep.ts → libs/kernel/src/clock.ts',
      'lib-imports-app: libs/ui/src/deep.ts → apps/portal/src/other.ts',
      'no-circular: libs/kernel/src/one.ts → libs/kernel/src/two.ts',
      'not-to-unresolvable: libs/kernel/src/broken.ts → ./does-not-exist',
      'server-imports-app-internals: apps/server/src/main.ts → apps/portal/src/other.ts',
      'step-lib-imports-applications: libs/payments/src/a.ts → libs/applications/src/index.ts',
      'workflow-is-pure: libs/workflow/src/machine.ts → libs/ui/src/index.ts',
    ]);
  });
});

describe('ESLint (eslint.config.mjs)', () => {
  function lint(file: string, text: string): { status: number | null; out: string } {
    const run = spawnSync(process.execPath, [ESLINT, '--stdin', '--stdin-filename', file], { cwd: REPO, input: text, encoding: 'utf8' });
    return { status: run.status, out: run.stdout + run.stderr };
  }

  it('refuses a disable comment that no longer disables anything', () => {
    const { status, out } = lint('libs/kernel/src/example.ts', `// eslint-disable-next-line no-control-regex\nexport const plain = /abc/;\n`);
    expect(status).toBe(1);
    expect(out).toContain('Unused eslint-disable directive');
  });

  it('refuses an unused import in library code and accepts a deliberately unused _name', () => {
    expect(lint('libs/kernel/src/example.ts', `import { join } from 'node:path';\nexport const x = 1;\n`)).toMatchObject({ status: 1 });
    const { status, out } = lint('libs/kernel/src/example.ts', `export function drop(row: { id: string; name: string }) {\n  const { id: _id, ...rest } = row;\n  return rest;\n}\n`);
    expect(out).toBe('');
    expect(status).toBe(0);
  });
});

