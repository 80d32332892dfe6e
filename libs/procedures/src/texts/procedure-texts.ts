import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type DefinitionError, DefinitionLoadError, type ProcedureDefinition } from '@madoguchi/workflow';
import { parse } from 'yaml';

/**
 * Presentation texts of procedures in three languages, kept beside the
 * versioned definitions (config/procedure-texts/) and never inside them: a
 * landed (code, version) must not change, yet wording improves all the time.
 * Texts apply to every version of a code. Nothing here decides behaviour:
 * enum values stay the stored answers; only their labels are translated.
 */

export const TEXT_LANGUAGES = ['ja', 'ja-easy', 'en'] as const;
export type TextLanguage = (typeof TEXT_LANGUAGES)[number];

/** Languages that must be written for every procedure; `ja` is the definition's own text. */
export const TRANSLATED_LANGUAGES = ['ja-easy', 'en'] as const satisfies readonly TextLanguage[];

/** The file of texts shared by every procedure with a field of that path (phone, bank account …). */
export const COMMON_TEXTS_FILE = '_common.yaml';

export interface FieldTexts {
  title?: string;
  hint?: string;
  /** Stored enum value → label. */
  choices?: Record<string, string>;
}

export interface LanguageTexts {
  name?: string;
  description?: string;
  /** Who can apply. */
  eligibility?: string;
  /** What the resident needs to apply. */
  requirements?: string;
  documentName?: string;
  /** By property path: `purpose`, `bankAccount.bankCode`, `children.name` (array items by the array's name). */
  fields?: Record<string, FieldTexts>;
}

export type ProcedureTexts = Partial<Record<TextLanguage, LanguageTexts>>;

export interface ProcedureTextCatalog {
  byCode: ReadonlyMap<string, ProcedureTexts>;
  /** Field texts shared by all procedures (per-code texts win). */
  common: ProcedureTexts;
}

export const EMPTY_TEXT_CATALOG: ProcedureTextCatalog = { byCode: new Map(), common: {} };

export interface FieldShape {
  /** The definition's own (Japanese) title. */
  title?: string;
  /** The definition's own (Japanese) description, shown as a hint. */
  description?: string;
  /** Enum values of the field, or of its items for a multiple choice. */
  values?: string[];
}

interface SchemaNode {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Every field of a form by property path, in the order the form lists them. */
export function formFields(definition: ProcedureDefinition): Map<string, FieldShape> {
  const fields = new Map<string, FieldShape>();
  const walk = (properties: Record<string, SchemaNode> | undefined, prefix: string) => {
    for (const [key, node] of Object.entries(properties ?? {})) {
      const fieldPath = prefix ? `${prefix}.${key}` : key;
      const values = (node.enum ?? node.items?.enum)?.map(String);
      fields.set(fieldPath, { title: node.title, description: node.description, ...(values ? { values } : {}) });
      walk(node.properties, fieldPath);
      walk(node.items?.properties, fieldPath);
    }
  };
  walk((definition.form.schema as SchemaNode).properties, '');
  return fields;
}

const TOP_KEYS = ['name', 'description', 'eligibility', 'requirements', 'documentName'] as const;
const FIELD_KEYS = ['title', 'hint', 'choices'] as const;

const pointer = (...parts: string[]) => '/' + parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

/**
 * Validates one texts file against every known version of its code (or, for
 * the common file, against every procedure). A key naming a field or a choice
 * that no version has is an error, so a typo never silently falls back.
 */
export function parseProcedureTexts(
  text: string,
  file: string,
  versions: ProcedureDefinition[],
  options: { common?: boolean } = {},
): { code?: string; texts?: ProcedureTexts; errors: DefinitionError[] } {
  const errors: DefinitionError[] = [];
  const fail = (at: string, reason: string) => errors.push({ file, path: at, reason });
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: true });
  } catch (error) {
    return { errors: [{ file, path: '/', reason: `not valid YAML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  if (!isObject(data)) return { errors: [{ file, path: '/', reason: 'must be a mapping' }] };

  let code: string | undefined;
  if (!options.common) {
    if (!isText(data.code)) fail('/code', 'must be the procedure code');
    else if (versions.length === 0) fail('/code', `no procedure "${data.code}" in the catalog`);
    else code = data.code;
  }
  const what = code ? `no version of "${code}"` : 'no procedure';

  // Union over versions: texts apply to every version, so a field of an older one stays valid.
  const fields = new Map<string, { values: Set<string> }>();
  for (const definition of versions) {
    for (const [fieldPath, shape] of formFields(definition)) {
      const entry = fields.get(fieldPath) ?? { values: new Set<string>() };
      for (const value of shape.values ?? []) entry.values.add(value);
      fields.set(fieldPath, entry);
    }
  }
  const hasDocument = versions.some((definition) => definition.document);

  const texts: ProcedureTexts = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'code' && !options.common) continue;
    if (!(TEXT_LANGUAGES as readonly string[]).includes(key)) {
      fail(pointer(key), `unknown key (expected ${options.common ? '' : 'code, '}${TEXT_LANGUAGES.join(', ')})`);
      continue;
    }
    const language = key as TextLanguage;
    if (!isObject(value)) {
      fail(pointer(language), 'must be a mapping');
      continue;
    }
    const out: LanguageTexts = {};
    for (const [textKey, textValue] of Object.entries(value)) {
      if (textKey === 'fields') continue;
      if (options.common || !(TOP_KEYS as readonly string[]).includes(textKey)) {
        fail(pointer(language, textKey), `unknown key (expected ${options.common ? 'fields' : [...TOP_KEYS, 'fields'].join(', ')})`);
      } else if (!isText(textValue)) {
        fail(pointer(language, textKey), 'must be a non-empty string');
      } else if (textKey === 'documentName' && !hasDocument) {
        fail(pointer(language, textKey), `${what} issues a document`);
      } else {
        out[textKey as (typeof TOP_KEYS)[number]] = textValue;
      }
    }
    if (value.fields !== undefined) {
      if (!isObject(value.fields)) {
        fail(pointer(language, 'fields'), 'must be a mapping of field paths');
      } else {
        out.fields = {};
        for (const [fieldPath, fieldValue] of Object.entries(value.fields)) {
          const at = (...rest: string[]) => pointer(language, 'fields', fieldPath, ...rest);
          const known = fields.get(fieldPath);
          if (!known) {
            fail(at(), `${what} has a field "${fieldPath}"`);
            continue;
          }
          if (!isObject(fieldValue)) {
            fail(at(), 'must be a mapping of title, hint, choices');
            continue;
          }
          const field: FieldTexts = {};
          for (const [fieldKey, item] of Object.entries(fieldValue)) {
            if (!(FIELD_KEYS as readonly string[]).includes(fieldKey)) {
              fail(at(fieldKey), `unknown key (expected ${FIELD_KEYS.join(', ')})`);
            } else if (fieldKey === 'choices') {
              if (!isObject(item)) {
                fail(at(fieldKey), 'must map stored values to labels');
                continue;
              }
              field.choices = {};
              for (const [choice, label] of Object.entries(item)) {
                if (!known.values.has(choice)) fail(at(fieldKey, choice), `"${choice}" is not a choice of "${fieldPath}" in ${code ? `any version of "${code}"` : 'any procedure'}`);
                else if (!isText(label)) fail(at(fieldKey, choice), 'must be a non-empty string');
                else field.choices[choice] = label;
              }
            } else if (!isText(item)) {
              fail(at(fieldKey), 'must be a non-empty string');
            } else {
              field[fieldKey as 'title' | 'hint'] = item;
            }
          }
          out.fields[fieldPath] = field;
        }
      }
    }
    texts[language] = out;
  }
  return errors.length > 0 ? { errors } : { code, texts, errors };
}

/**
 * Loads `config/procedure-texts/`: one `<code>.yaml` per procedure plus the
 * optional `_common.yaml`. `versions` holds every known version of every
 * code. Throws DefinitionLoadError with every problem of every file at once.
 */
export function loadProcedureTextsDirectory(directory: string, versions: ProcedureDefinition[]): ProcedureTextCatalog {
  const byCodeVersions = new Map<string, ProcedureDefinition[]>();
  for (const definition of versions) byCodeVersions.set(definition.code, [...(byCodeVersions.get(definition.code) ?? []), definition]);

  const errors: DefinitionError[] = [];
  const byCode = new Map<string, ProcedureTexts>();
  let common: ProcedureTexts = {};
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    // No folder: every procedure shows its definition's own texts.
    return EMPTY_TEXT_CATALOG;
  }
  for (const name of names) {
    const file = path.join(directory, name);
    const text = readFileSync(file, 'utf8');
    if (name === COMMON_TEXTS_FILE) {
      const result = parseProcedureTexts(text, file, versions, { common: true });
      errors.push(...result.errors);
      common = result.texts ?? {};
      continue;
    }
    const code = name.replace(/\.ya?ml$/, '');
    const result = parseProcedureTexts(text, file, byCodeVersions.get(code) ?? []);
    errors.push(...result.errors);
    if (!result.texts || !result.code) continue;
    if (result.code !== code) {
      errors.push({ file, path: '/code', reason: `"${result.code}" does not match the file name (expected "${code}")` });
      continue;
    }
    byCode.set(code, result.texts);
  }
  if (errors.length > 0) throw new DefinitionLoadError(errors);
  return { byCode, common };
}

export interface LocalizedField {
  title: string;
  hint?: string;
  choices?: Array<{ value: string; label: string }>;
}

export interface LocalizedProcedure {
  language: TextLanguage;
  name: string;
  description: string;
  eligibility: string;
  requirements: string;
  documentName: string | null;
  fields: Record<string, LocalizedField>;
}

/** Where each language looks, in order: its own texts, then Japanese. */
const FALLBACKS: Record<TextLanguage, TextLanguage[]> = { ja: ['ja'], 'ja-easy': ['ja-easy', 'ja'], en: ['en', 'ja'] };

/**
 * The procedure as a resident of `language` reads it. Pure: the catalog is
 * passed in. ja-easy falls back to Japanese, English to the definition's own
 * English and then Japanese; a field's Japanese is the form's title, its
 * hint the form's description, a choice's label the stored value itself.
 */
export function localizeProcedure(
  definition: ProcedureDefinition,
  language: TextLanguage,
  catalog: ProcedureTextCatalog = EMPTY_TEXT_CATALOG,
): LocalizedProcedure {
  const own = catalog.byCode.get(definition.code) ?? {};
  const chain = FALLBACKS[language];
  const top = (key: (typeof TOP_KEYS)[number], fromDefinition: { ja: string; en: string } | undefined): string | undefined => {
    for (const step of chain) {
      const text = own[step]?.[key] ?? (step !== 'ja-easy' ? fromDefinition?.[step] : undefined);
      if (text) return text;
    }
    return undefined;
  };
  const fieldText = (fieldPath: string, pick: (field: FieldTexts) => string | undefined, fallback: string | undefined) => {
    for (const step of chain) {
      const text = pickField(own, step, fieldPath, pick) ?? pickField(catalog.common, step, fieldPath, pick);
      if (text) return text;
    }
    return fallback;
  };

  const fields: Record<string, LocalizedField> = {};
  for (const [fieldPath, shape] of formFields(definition)) {
    const hint = fieldText(fieldPath, (field) => field.hint, shape.description);
    fields[fieldPath] = {
      title: fieldText(fieldPath, (field) => field.title, shape.title) ?? fieldPath,
      ...(hint ? { hint } : {}),
      ...(shape.values
        ? { choices: shape.values.map((value) => ({ value, label: fieldText(fieldPath, (field) => field.choices?.[value], value) ?? value })) }
        : {}),
    };
  }
  return {
    language,
    name: top('name', definition.name) ?? definition.code,
    description: top('description', definition.description) ?? '',
    eligibility: top('eligibility', undefined) ?? '',
    requirements: top('requirements', undefined) ?? '',
    documentName: definition.document ? (top('documentName', definition.document.name) ?? null) : null,
    fields,
  };
}

function pickField(texts: ProcedureTexts, language: TextLanguage, fieldPath: string, pick: (field: FieldTexts) => string | undefined) {
  const field = texts[language]?.fields?.[fieldPath];
  return field ? pick(field) : undefined;
}

export interface MissingTranslation {
  code: string;
  language: TextLanguage;
  /** `name`, `eligibility`, `fields.purpose.title`, `fields.purpose.choices.その他` … */
  key: string;
}

/**
 * Every text of the definition that a language lacks and would show in
 * Japanese instead. Japanese itself lacks only what no definition holds
 * (eligibility, requirements).
 */
export function missingTranslations(definition: ProcedureDefinition, catalog: ProcedureTextCatalog): MissingTranslation[] {
  const missing: MissingTranslation[] = [];
  const own = catalog.byCode.get(definition.code) ?? {};
  const has = (language: TextLanguage, key: (typeof TOP_KEYS)[number], fromDefinition?: { ja: string; en: string }) =>
    Boolean(own[language]?.[key] ?? (language !== 'ja-easy' ? fromDefinition?.[language] : undefined));
  for (const key of ['eligibility', 'requirements'] as const) {
    if (!has('ja', key)) missing.push({ code: definition.code, language: 'ja', key });
  }
  for (const language of TRANSLATED_LANGUAGES) {
    const add = (key: string) => missing.push({ code: definition.code, language, key });
    if (!has(language, 'name', definition.name)) add('name');
    if (definition.description && !has(language, 'description', definition.description)) add('description');
    for (const key of ['eligibility', 'requirements'] as const) if (!has(language, key)) add(key);
    if (definition.document && !has(language, 'documentName', definition.document.name)) add('documentName');
    for (const [fieldPath, shape] of formFields(definition)) {
      const text = (pick: (field: FieldTexts) => string | undefined) =>
        pickField(own, language, fieldPath, pick) ?? pickField(catalog.common, language, fieldPath, pick);
      if (!text((field) => field.title)) add(`fields.${fieldPath}.title`);
      const jaHint = pickField(own, 'ja', fieldPath, (field) => field.hint) ?? shape.description;
      if (jaHint && !text((field) => field.hint)) add(`fields.${fieldPath}.hint`);
      for (const value of shape.values ?? []) if (!text((field) => field.choices?.[value])) add(`fields.${fieldPath}.choices.${value}`);
    }
  }
  return missing;
}
