import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CompiledProcedure } from '../machine/compiled-procedure';
import { DefinitionLoadError, type LoadedDefinition, loadDefinitionDirectory, parseDefinition } from './definition-loader';
import { NATIONAL_CATEGORY_LABELS, type NationalCategory, type ProcedureDefinition } from './procedure-definition';

const REPO = path.resolve(__dirname, '../../../..');
const CATALOG = path.join(REPO, 'config/procedures');
// The national list, copied into the repository: tests read nothing outside it.
const PRIORITY_LIST = path.join(REPO, 'config/national-priority-procedures.yaml');

const catalogText = (code: string): string => readFileSync(path.join(CATALOG, `${code}.yaml`), 'utf8');
const context = { departments: ['shimin', 'kankyo', 'zaisei'] };

/** The thrown DefinitionLoadError, failing the test when nothing is thrown. */
function loadError(run: () => unknown): DefinitionLoadError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionLoadError);
    return error as DefinitionLoadError;
  }
  throw new Error('expected a DefinitionLoadError');
}

describe('parseDefinition', () => {
  it('returns the definition of a valid text', () => {
    const result = parseDefinition(catalogText('juminhyo'), 'juminhyo.yaml', context);
    expect(result.errors).toEqual([]);
    expect(result.definition).toMatchObject({ code: 'juminhyo', version: 1, steps: ['form', 'identity', 'fee', 'review', 'issue', 'notify'] });
  });

  it('reports text that is not YAML at the document root', () => {
    const result = parseDefinition('code: [juminhyo\nversion: 1\n', 'broken.yaml', context);
    expect(result.definition).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: 'broken.yaml', path: '/' });
    expect(result.errors[0].reason).toMatch(/^not valid YAML: /);
    expect(result.errors[0].reason).not.toContain('\n');
  });

  it('returns no definition when validation fails', () => {
    const result = parseDefinition(catalogText('juminhyo').replace('department: shimin', 'department: somu'), 'j.yaml', context);
    expect(result.definition).toBeUndefined();
    expect(result.errors).toEqual([{ file: 'j.yaml', path: '/department', reason: 'unknown department "somu" (known: shimin, kankyo, zaisei)' }]);
  });
});

describe('loadDefinitionDirectory', () => {
  let directory: string;
  const write = (name: string, text: string) => writeFileSync(path.join(directory, name), text);
  const file = (name: string) => path.join(directory, name);

  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-catalog-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('loads every YAML file in file-name order and ignores other files', () => {
    write('b-taiyoko.yaml', catalogText('taiyoko-hojo'));
    write('a-juminhyo.yml', catalogText('juminhyo'));
    write('README.md', '# not a definition');
    write('notes.txt', 'code: nothing');

    const loaded = loadDefinitionDirectory(directory, context);
    expect(loaded.map((entry) => [entry.definition.code, entry.file])).toEqual([
      ['juminhyo', file('a-juminhyo.yml')],
      ['taiyoko-hojo', file('b-taiyoko.yaml')],
    ]);
  });

  it('returns nothing for an empty folder', () => {
    expect(loadDefinitionDirectory(directory, context)).toEqual([]);
  });

  it('refuses a code defined in two files, naming both', () => {
    write('first.yaml', catalogText('juminhyo'));
    write('second.yaml', catalogText('juminhyo').replace('version: 1', 'version: 2'));

    const error = loadError(() => loadDefinitionDirectory(directory, context));
    expect(error.errors).toEqual([
      { file: file('second.yaml'), path: '/code', reason: `duplicate code "juminhyo", already defined in ${file('first.yaml')}` },
    ]);
    expect(error.message).toContain(file('first.yaml'));
    expect(error.message).toContain(file('second.yaml'));
  });

  it('reports invalid YAML with its file', () => {
    write('broken.yaml', 'code: juminhyo\n  version: : 1\n');
    const error = loadError(() => loadDefinitionDirectory(directory, context));
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toMatchObject({ file: file('broken.yaml'), path: '/' });
    expect(error.errors[0].reason).toMatch(/^not valid YAML: /);
  });

  it('collects the problems of every broken file into one error', () => {
    write('a-valid.yaml', catalogText('juminhyo'));
    write('b-broken-yaml.yaml', 'steps: [form\n');
    write('c-bad-department.yaml', catalogText('taiyoko-hojo').replace('department: kankyo', 'department: somu'));
    write(
      'd-two-problems.yaml',
      catalogText('juminhyo')
        .replace('code: juminhyo', 'code: juminhyo-2')
        .replace('steps: [form, identity, fee, review, issue, notify]', 'steps: [form, identity, fee, review, notify]')
        .replace('quantityField: copies', 'quantityField: purposeDetail'),
    );
    write('e-duplicate.yaml', catalogText('juminhyo'));

    const error = loadError(() => loadDefinitionDirectory(directory, context));
    expect(error.name).toBe('DefinitionLoadError');
    expect(error.errors.map(({ file: name, path: pointer }) => [path.basename(name), pointer])).toEqual([
      ['b-broken-yaml.yaml', '/'],
      ['c-bad-department.yaml', '/department'],
      ['d-two-problems.yaml', '/fee/quantityField'],
      ['d-two-problems.yaml', '/document'],
      ['e-duplicate.yaml', '/code'],
    ]);
    expect(error.errors.find((item) => item.path === '/document')?.reason).toBe('a document needs an "issue" step to issue it');

    const lines = error.message.split('\n');
    expect(lines[0]).toBe('5 problem(s) in procedure definitions:');
    expect(lines).toHaveLength(6);
    for (const [index, item] of error.errors.entries()) {
      expect(lines[index + 1]).toBe(`  - ${item.file} ${item.path}: ${item.reason}`);
    }
    expect(error.errors.some((item) => item.file === file('a-valid.yaml'))).toBe(false);
  });
});

/** Codes of the national priority list and their category. */
function priorityCodes(): Map<string, NationalCategory> {
  const list = parse(readFileSync(PRIORITY_LIST, 'utf8')) as { procedures: Array<{ code: string; category: string; name: string }> };
  const codes = new Map<string, NationalCategory>();
  for (const { code, category, name } of list.procedures) {
    if (!(category in NATIONAL_CATEGORY_LABELS)) throw new Error(`unknown national category "${category}" for ${code}`);
    if (!/^[a-z]+-\d{2}$/.test(code) || !name) throw new Error(`malformed entry ${code} in ${PRIORITY_LIST}`);
    codes.set(code, category as NationalCategory);
  }
  return codes;
}

describe('the default catalog (config/procedures)', () => {
  const municipality = parse(readFileSync(path.join(REPO, 'config/municipalities/990001.yaml'), 'utf8')) as {
    departments: Array<{ code: string }>;
  };
  let loaded: LoadedDefinition[];
  let byCode: Map<string, ProcedureDefinition>;

  beforeAll(() => {
    loaded = loadDefinitionDirectory(CATALOG, { departments: municipality.departments.map((department) => department.code) });
    byCode = new Map(loaded.map((entry) => [entry.definition.code, entry.definition]));
  });

  it('loads without problems, one file per code', () => {
    expect(loaded.length).toBeGreaterThanOrEqual(37);
    for (const entry of loaded) expect(path.basename(entry.file)).toBe(`${entry.definition.code}.yaml`);
  });

  it('contains every procedure of the national priority list, targeted, with its category', () => {
    const priority = priorityCodes();
    const counts: Record<string, number> = {};
    for (const category of priority.values()) counts[category] = (counts[category] ?? 0) + 1;
    expect(counts).toEqual({ kosodate: 15, kaigo: 11, hisai: 1, hikkoshi: 2 });

    for (const [code, nationalCategory] of priority) {
      expect({ code, definition: byCode.get(code) }).toEqual({
        code,
        definition: expect.objectContaining({ targeted: true, nationalCategory, nationalCode: code }),
      });
    }
  });

  it('contains the certificates, subsidies and bookings the city targets', () => {
    const cityTargets = [
      'juminhyo',
      'inkan-shomei',
      'shotoku-kazei-shomei',
      'nozei-shomei',
      'taiyoko-hojo',
      'bohan-camera-hojo',
      'taiikukan-yoyaku',
      'kominkan-yoyaku',
    ];
    for (const code of cityTargets) {
      expect({ code, definition: byCode.get(code) }).toEqual({
        code,
        definition: expect.objectContaining({ targeted: true, nationalCategory: null }),
      });
    }
  });

  it('compiles every definition, and its initial snapshot restores in draft', () => {
    for (const { definition } of loaded) {
      const compiled = new CompiledProcedure(definition);
      const initial = compiled.initialSnapshot();
      expect(compiled.stateOf(initial)).toBe('draft');
      const restored = compiled.restore(JSON.parse(JSON.stringify(initial)));
      expect(restored.status).toBe('active');
      expect(compiled.allowedEvents(initial)).toEqual(['resident.discard', 'resident.submit']);
    }
  });
});
