import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefinitionLoadError, loadDefinitionDirectory, type ProcedureDefinition } from '@madoguchi/workflow';
import { parse } from 'yaml';
import {
  COMMON_TEXTS_FILE,
  formFields,
  loadProcedureTextsDirectory,
  localizeProcedure,
  type MissingTranslation,
  missingTranslations,
  parseProcedureTexts,
} from './procedure-texts';

const REPO = path.resolve(__dirname, '../../../..');
const TEXTS = path.join(REPO, 'config/procedure-texts');
const municipality = parse(readFileSync(path.join(REPO, 'config/municipalities/990001.yaml'), 'utf8')) as { departments: Array<{ code: string }> };
const catalog = loadDefinitionDirectory(path.join(REPO, 'config/procedures'), {
  departments: municipality.departments.map((department) => department.code),
}).map((entry) => entry.definition);
const definition = (code: string): ProcedureDefinition => {
  const found = catalog.find((item) => item.code === code);
  if (!found) throw new Error(`no ${code} in the catalog`);
  return found;
};

describe('parseProcedureTexts', () => {
  const juminhyo = () => [definition('juminhyo')];

  it('accepts texts for fields and choices of the definition', () => {
    const result = parseProcedureTexts(
      'code: juminhyo\nen:\n  eligibility: Anyone\n  fields:\n    purpose:\n      title: Purpose\n      choices: { その他: Other }\n',
      'juminhyo.yaml',
      juminhyo(),
    );
    expect(result.errors).toEqual([]);
    expect(result.texts).toEqual({ en: { eligibility: 'Anyone', fields: { purpose: { title: 'Purpose', choices: { その他: 'Other' } } } } });
  });

  it('reports every unknown field, choice, key and language with file and pointer', () => {
    const text = [
      'code: juminhyo',
      'fr: { name: Certificat }',
      'en:',
      '  nmae: Typo',
      '  eligibility: ""',
      '  fields:',
      '    purpos: { title: Purpose }',
      '    purpose:',
      '      label: Purpose',
      '      choices: { Work: Work }',
      '    address.postalCode: { title: Postal code }',
    ].join('\n');
    const result = parseProcedureTexts(text, 'j.yaml', juminhyo());
    expect(result.texts).toBeUndefined();
    expect(result.errors).toEqual([
      { file: 'j.yaml', path: '/fr', reason: 'unknown key (expected code, ja, ja-easy, en)' },
      { file: 'j.yaml', path: '/en/nmae', reason: 'unknown key (expected name, description, eligibility, requirements, documentName, fields)' },
      { file: 'j.yaml', path: '/en/eligibility', reason: 'must be a non-empty string' },
      { file: 'j.yaml', path: '/en/fields/purpos', reason: 'no version of "juminhyo" has a field "purpos"' },
      { file: 'j.yaml', path: '/en/fields/purpose/label', reason: 'unknown key (expected title, hint, choices)' },
      { file: 'j.yaml', path: '/en/fields/purpose/choices/Work', reason: '"Work" is not a choice of "purpose" in any version of "juminhyo"' },
      { file: 'j.yaml', path: '/en/fields/address.postalCode', reason: 'no version of "juminhyo" has a field "address.postalCode"' },
    ]);
  });

  it('accepts a field that only an older version has (texts apply to every version)', () => {
    const v1 = definition('juminhyo');
    const v2 = structuredClone(v1);
    v2.version = 2;
    delete (v2.form.schema as { properties: Record<string, unknown> }).properties.submitTo;
    const text = 'code: juminhyo\nen:\n  fields:\n    submitTo: { title: Submitted to }\n';
    expect(parseProcedureTexts(text, 'j.yaml', [v2]).errors).toEqual([
      { file: 'j.yaml', path: '/en/fields/submitTo', reason: 'no version of "juminhyo" has a field "submitTo"' },
    ]);
    expect(parseProcedureTexts(text, 'j.yaml', [v1, v2]).errors).toEqual([]);
  });

  it('refuses texts for a code the catalog lacks, and a document name where nothing is issued', () => {
    expect(parseProcedureTexts('code: nothing\nen: { name: Nothing }\n', 'n.yaml', []).errors).toEqual([
      { file: 'n.yaml', path: '/code', reason: 'no procedure "nothing" in the catalog' },
    ]);
    expect(parseProcedureTexts('code: tennyu-01\nen: { documentName: Permit }\n', 't.yaml', [definition('tennyu-01')]).errors).toEqual([
      { file: 't.yaml', path: '/en/documentName', reason: 'no version of "tennyu-01" issues a document' },
    ]);
  });

  it('reports YAML that does not parse', () => {
    const result = parseProcedureTexts('code: [juminhyo\n', 'b.yaml', juminhyo());
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: 'b.yaml', path: '/' });
    expect(result.errors[0].reason).toMatch(/^not valid YAML: /);
  });
});

describe('loadProcedureTextsDirectory', () => {
  let directory: string;
  const write = (name: string, text: string) => writeFileSync(path.join(directory, name), text);
  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-texts-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('collects the problems of every file, the common one included, into one DefinitionLoadError', () => {
    write('juminhyo.yaml', 'code: juminhyo\nen: { fields: { nope: { title: x } } }\n');
    write('nozei-shomei.yaml', 'code: inkan-shomei\nen: { name: Seal }\n');
    write(COMMON_TEXTS_FILE, 'en:\n  name: Not here\n  fields:\n    phone: { title: Phone number }\n    fax: { title: Fax }\n');
    let thrown: unknown;
    try {
      loadProcedureTextsDirectory(directory, catalog);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DefinitionLoadError);
    const errors = (thrown as DefinitionLoadError).errors.map((item) => [path.basename(item.file), item.path, item.reason]);
    expect(errors).toEqual([
      [COMMON_TEXTS_FILE, '/en/name', 'unknown key (expected fields)'],
      [COMMON_TEXTS_FILE, '/en/fields/fax', 'no procedure has a field "fax"'],
      ['juminhyo.yaml', '/en/fields/nope', 'no version of "juminhyo" has a field "nope"'],
      ['nozei-shomei.yaml', '/code', '"inkan-shomei" does not match the file name (expected "nozei-shomei")'],
    ]);
    expect((thrown as Error).message).toContain(`${path.join(directory, 'juminhyo.yaml')} /en/fields/nope: no version of "juminhyo" has a field "nope"`);
  });

  it('lets per-procedure texts win over the common ones', () => {
    write(COMMON_TEXTS_FILE, 'en:\n  fields:\n    phone: { title: Phone number }\n');
    write('hisai-01.yaml', 'code: hisai-01\nen:\n  fields:\n    phone: { title: Daytime phone number }\n');
    const loaded = loadProcedureTextsDirectory(directory, catalog);
    expect(localizeProcedure(definition('hisai-01'), 'en', loaded).fields.phone.title).toBe('Daytime phone number');
    expect(localizeProcedure(definition('juminhyo'), 'en', loaded).fields.copies.title).toBe('通数');
    expect(localizeProcedure(definition('kaigo-01'), 'en', loaded).fields.phone.title).toBe('Phone number');
  });
});

describe('localizeProcedure', () => {
  const texts = {
    byCode: new Map([
      [
        'juminhyo',
        {
          ja: { eligibility: '住民登録のある方', requirements: 'マイナンバーカード' },
          'ja-easy': { name: '住民票の写しを もらう', fields: { scope: { title: 'だれの ことを 書きますか', choices: { 本人のみ: 'わたしだけ' } } } },
          en: { eligibility: 'Registered residents', fields: { scope: { choices: { 世帯全員: 'Everyone in the household' } } } },
        },
      ],
    ]),
    common: {},
  };

  it('gives the definition its own Japanese without any texts', () => {
    const localized = localizeProcedure(definition('juminhyo'), 'ja');
    expect(localized).toMatchObject({ name: '住民票の写しの交付請求', eligibility: '', requirements: '', documentName: '住民票の写し' });
    expect(localized.fields.scope).toEqual({
      title: '記載する人',
      choices: [
        { value: '本人のみ', label: '本人のみ' },
        { value: '世帯全員', label: '世帯全員' },
        { value: '世帯の一部', label: '世帯の一部' },
      ],
    });
    expect(Object.keys(localized.fields)).toEqual([...formFields(definition('juminhyo')).keys()]);
  });

  it('falls back from やさしい日本語 to Japanese, key by key', () => {
    const localized = localizeProcedure(definition('juminhyo'), 'ja-easy', texts);
    expect(localized.name).toBe('住民票の写しを もらう');
    expect(localized.description).toBe(definition('juminhyo').description?.ja);
    expect(localized.eligibility).toBe('住民登録のある方');
    expect(localized.documentName).toBe('住民票の写し');
    expect(localized.fields.scope.title).toBe('だれの ことを 書きますか');
    expect(localized.fields.scope.choices?.map((choice) => choice.label)).toEqual(['わたしだけ', '世帯全員', '世帯の一部']);
    expect(localized.fields.copies.title).toBe('通数');
  });

  it('falls back from English to the definition English, then Japanese; stored values never change', () => {
    const localized = localizeProcedure(definition('juminhyo'), 'en', texts);
    expect(localized.name).toBe('Request for a certificate of residence');
    expect(localized.documentName).toBe('Certificate of residence');
    expect(localized.eligibility).toBe('Registered residents');
    expect(localized.requirements).toBe('マイナンバーカード');
    expect(localized.fields.scope.title).toBe('記載する人');
    expect(localized.fields.scope.choices).toEqual([
      { value: '本人のみ', label: '本人のみ' },
      { value: '世帯全員', label: 'Everyone in the household' },
      { value: '世帯の一部', label: '世帯の一部' },
    ]);
  });

  it('lists what falls back as missing translations', () => {
    const missing = missingTranslations(definition('juminhyo'), texts);
    const keys = (language: string) => missing.filter((item) => item.language === language).map((item) => item.key);
    expect(keys('ja')).toEqual([]);
    expect(keys('ja-easy')).toContain('description');
    expect(keys('ja-easy')).not.toContain('name');
    expect(keys('ja-easy')).toContain('fields.scope.choices.世帯全員');
    expect(keys('ja-easy')).not.toContain('fields.scope.choices.本人のみ');
    expect(keys('en')).not.toContain('name');
    expect(keys('en')).toContain('requirements');
    expect(keys('en')).toContain('fields.scope.title');
    expect(keys('en')).not.toContain('fields.scope.choices.世帯全員');
  });
});

describe('the texts of the default catalog (config/procedure-texts)', () => {
  const priority = (parse(readFileSync(path.join(REPO, 'config/national-priority-procedures.yaml'), 'utf8')) as { procedures: Array<{ code: string }> }).procedures.map(
    (entry) => entry.code,
  );
  const required = new Set([...priority, 'juminhyo', 'inkan-shomei', 'shotoku-kazei-shomei', 'nozei-shomei']);
  const loaded = loadProcedureTextsDirectory(TEXTS, catalog);
  const missing: MissingTranslation[] = catalog.flatMap((item) => missingTranslations(item, loaded));
  const format = (items: MissingTranslation[]) => items.map((item) => `${item.code}\t${item.language}\t${item.key}`).join('\n');

  it('loads against the catalog without problems', () => {
    expect(loaded.byCode.size).toBeGreaterThanOrEqual(required.size);
  });

  it('has every translation of the national priority procedures and the certificates', () => {
    expect(priority).toHaveLength(29);
    expect(format(missing.filter((item) => required.has(item.code)))).toBe('');
  });

  it('lists the missing translations of the other procedures', () => {
    const others = missing.filter((item) => !required.has(item.code));
    // Printed, not failed: the city's own procedures are translated as time allows.
    if (others.length > 0) console.log(`${others.length} missing translation(s) outside the priority list:\n${format(others)}`);
    expect(others.every((item) => !required.has(item.code))).toBe(true);
  });
});
