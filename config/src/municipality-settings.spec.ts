import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { loadMunicipalitySettings, type MunicipalitySettings } from './municipality-settings';

const CONFIG_DIR = path.resolve(__dirname, '..');

function settings(overrides: Partial<MunicipalitySettings> = {}): MunicipalitySettings {
  return {
    id: '990002',
    name: { ja: '試験市', en: 'Test City' },
    catalog: 'procedures',
    referenceNumberFormat: '{era}{eraYear}-{seq:6}',
    fiscalYearStartMonth: 4,
    timeZone: 'Asia/Tokyo',
    departments: [
      { code: 'shimin', name: { ja: '市民課', en: 'Citizens Division' } },
      { code: 'zeimu', name: { ja: '税務課', en: 'Taxation Division' } },
    ],
    kpi: {
      onlineProcedures: { baseline: { count: 2, date: '2023-03-31' }, target: { count: 30, date: '2026-03-31' } },
      stages: { juminhyo: 'operate', 'kosodate-01': 'study' },
    },
    ...overrides,
  };
}

/** The message of the error thrown; fails the test when nothing is thrown. */
function failure(configDir: string): string {
  try {
    loadMunicipalitySettings(configDir);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected loadMunicipalitySettings to throw');
}

describe('loadMunicipalitySettings', () => {
  let configDir: string;
  let directory: string;
  const write = (name: string, value: unknown) =>
    writeFileSync(path.join(directory, name), typeof value === 'string' ? value : stringify(value));
  const file = (name: string) => path.join(directory, name);

  beforeEach(() => {
    configDir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-config-'));
    directory = path.join(configDir, 'municipalities');
    mkdirSync(directory);
  });
  afterEach(() => rmSync(configDir, { recursive: true, force: true }));

  it('loads a valid file', () => {
    write('990002.yaml', settings());
    expect(loadMunicipalitySettings(configDir)).toEqual([settings()]);
  });

  it('loads every file, in file-name order, .yml too, and ignores other files', () => {
    write('990003.yml', settings({ id: '990003' }));
    write('990002.yaml', settings());
    write('README.md', '# municipalities');
    expect(loadMunicipalitySettings(configDir).map((item) => item.id)).toEqual(['990002', '990003']);
  });

  it('requires the file name to be the municipality id', () => {
    write('sakuragaoka.yaml', settings());
    expect(failure(configDir)).toBe(
      `Municipality settings are not valid:\n  - ${file('sakuragaoka.yaml')} /id: file name must be the municipality id (990002.yaml)`,
    );
  });

  it('refuses a department listed twice', () => {
    const [shimin, zeimu] = settings().departments;
    write('990002.yaml', settings({ departments: [shimin, zeimu, { ...shimin, name: { ja: '市民課2', en: 'Citizens 2' } }] }));
    expect(failure(configDir)).toContain(`${file('990002.yaml')} /departments/2/code: duplicate department "shimin"`);
  });

  it.each([
    ['after', '2027-03-31'],
    ['on', '2026-03-31'],
  ])('refuses a baseline date %s the target date', (_relation, baselineDate) => {
    const base = settings();
    const kpi = { ...base.kpi, onlineProcedures: { ...base.kpi.onlineProcedures, baseline: { count: 2, date: baselineDate } } };
    write('990002.yaml', settings({ kpi }));
    expect(failure(configDir)).toContain(`${file('990002.yaml')} /kpi/onlineProcedures: the baseline date must come before the target date`);
  });

  it('reports a file that is not YAML', () => {
    write('990002.yaml', 'id: "990002"\nname: { ja: 試験市\n');
    expect(failure(configDir)).toMatch(new RegExp(`^Municipality settings are not valid:\\n  - ${file('990002.yaml')}: not valid YAML \\(`));
  });

  it('reports schema violations with their path', () => {
    write('990002.yaml', { ...settings({ fiscalYearStartMonth: 13, kpi: { ...settings().kpi, stages: { juminhyo: 'done' as never } } }) });
    const message = failure(configDir);
    expect(message).toContain(`${file('990002.yaml')} /fiscalYearStartMonth: must be <= 12`);
    expect(message).toContain(`${file('990002.yaml')} /kpi/stages/juminhyo: must be equal to one of the allowed values`);
  });

  it('reports a missing field at the root', () => {
    const { timeZone: _omitted, ...withoutTimeZone } = settings();
    write('990002.yaml', withoutTimeZone);
    expect(failure(configDir)).toContain(`${file('990002.yaml')} /: must have required property 'timeZone'`);
  });

  it('requires {seq} in the reference number format', () => {
    write('990002.yaml', settings({ referenceNumberFormat: '{era}{eraYear}-000001' }));
    expect(failure(configDir)).toContain(`${file('990002.yaml')} /referenceNumberFormat: must match pattern`);
  });

  it('refuses an empty directory', () => {
    expect(failure(configDir)).toBe(`Municipality settings are not valid:\n  - ${directory}: no municipality settings found`);
  });

  it('reports the problems of every file at once', () => {
    write('990002.yaml', settings());
    write('990003.yaml', settings());
    write('990004.yaml', 'id: [');
    const lines = failure(configDir).split('\n');
    expect(lines[0]).toBe('Municipality settings are not valid:');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(`  - ${file('990003.yaml')} /id: file name must be the municipality id (990002.yaml)`);
    expect(lines[2]).toMatch(new RegExp(`^  - ${file('990004.yaml')}: not valid YAML \\(.+ at line 1, column 6:?\\)$`));
  });
});

describe('the sample municipality (config/municipalities/990001.yaml)', () => {
  let sample: MunicipalitySettings;
  let catalog: Array<{ code: string; targeted: boolean }>;

  beforeAll(() => {
    [sample] = loadMunicipalitySettings(CONFIG_DIR).filter((item) => item.id === '990001');
    const catalogDir = path.join(CONFIG_DIR, sample.catalog);
    catalog = readdirSync(catalogDir)
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => parse(readFileSync(path.join(catalogDir, name), 'utf8')) as { code: string; targeted: boolean });
  });

  it('loads', () => {
    expect(sample).toMatchObject({ id: '990001', catalog: 'procedures', fiscalYearStartMonth: 4, timeZone: 'Asia/Tokyo' });
    expect(sample.kpi.onlineProcedures).toEqual({ baseline: { count: 2, date: '2023-03-31' }, target: { count: 30, date: '2026-03-31' } });
  });

  it('has a stage for every targeted procedure of its catalog', () => {
    const targeted = catalog.filter((definition) => definition.targeted).map((definition) => definition.code);
    expect(targeted.length).toBeGreaterThanOrEqual(37);
    expect(targeted.filter((code) => !(code in sample.kpi.stages))).toEqual([]);
  });

  it('has no stage for a procedure its catalog does not have', () => {
    const codes = new Set(catalog.map((definition) => definition.code));
    expect(Object.keys(sample.kpi.stages).filter((code) => !codes.has(code))).toEqual([]);
  });
});
