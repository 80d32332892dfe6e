import type { SummaryRow } from '../components/summary-list';
import { formatDate, type Lang, type Translate } from '../i18n/i18n';
import type { FieldError } from '../components/error-summary';
import { fieldId } from './form-group';
import type { SchemaFieldText } from './schema-form-fields';
import { type FormSection, isDate, orderedEntries, type SchemaNode, sectionOfField, sectionsOf } from './schema-form-model';

/** The page's language and translator. */
export interface SchemaAnswersContext {
  lang: Lang;
  t: Translate;
}

/** The procedure as the form pages show it (portal and counter alike). */
export interface FormProcedure {
  code: string;
  name: string;
  needsSignature: boolean;
  schema: Record<string, unknown>;
  required: string[];
  fields: Record<string, SchemaFieldText>;
  sections: FormSection[];
}

/** A validator's problem with one field, its message in both languages. */
export interface SchemaFormProblem {
  field: string;
  keyword: string;
  message: { ja: string; en: string };
}

/** The form of a procedure from its schema and its texts in the page language. */
export function formProcedureOf(procedure: { code: string; identity: string; schema: Record<string, unknown>; texts: { name: string; fields: Record<string, SchemaFieldText> } }): FormProcedure {
  return {
    code: procedure.code,
    name: procedure.texts.name,
    needsSignature: procedure.identity === 'myNumberCardSignature',
    schema: procedure.schema,
    required: ((procedure.schema as SchemaNode).required ?? []).slice(),
    fields: procedure.texts.fields,
    sections: sectionsOf(procedure.schema),
  };
}

export function sectionTitle(context: SchemaAnswersContext, procedure: FormProcedure, section: FormSection): string {
  return section.group ? (procedure.fields[section.group]?.title ?? section.group) : context.t('apply.sectionDetails');
}

const textPath = (field: string) => field.split('.').filter((part) => !/^\d+$/.test(part)).join('.');

function nodeAt(schema: Record<string, unknown>, field: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema as SchemaNode;
  for (const segment of field.split('.')) {
    if (!node) return undefined;
    node = /^\d+$/.test(segment) ? node.items : node.properties?.[segment];
  }
  return node;
}

/**
 * The validator's problems in the page language: its message names the
 * field by the definition's Japanese title, replaced here by the title in
 * the page language (やさしい日本語 reads the Japanese message).
 */
export function toFieldErrors(context: SchemaAnswersContext, procedure: FormProcedure, problems: SchemaFormProblem[]): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const problem of problems) {
    const id = fieldId({ name: problem.field });
    if (seen.has(id)) continue;
    seen.add(id);
    const node = nodeAt(procedure.schema, problem.field);
    const title = procedure.fields[textPath(problem.field)]?.title;
    let message: string;
    if (problem.keyword === 'format' && node && isDate(node)) message = context.t('apply.error.date', { title: title ?? problem.field });
    else {
      message = context.lang === 'en' ? problem.message.en : problem.message.ja;
      if (node?.title && title) message = message.split(node.title).join(title);
    }
    errors.push({ fieldId: id, message });
  }
  return errors;
}

/** Masked sensitive answers by field name (array indexes expanded), for "already saved (…)" hints. */
export function maskedByName(formData: Record<string, unknown>, sensitivePaths: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: unknown, path: string[], at: string[]) => {
    if (path.length === 0) {
      if (typeof node === 'string' && node !== '') out[at.join('.')] = node;
      return;
    }
    const [head, ...rest] = path;
    if (head === '*') {
      if (Array.isArray(node)) node.forEach((item, index) => walk(item, rest, [...at, String(index)]));
      return;
    }
    if (typeof node === 'object' && node !== null) walk((node as Record<string, unknown>)[head], rest, [...at, head]);
  };
  for (const path of sensitivePaths) walk(formData, path.split('.'), []);
  return out;
}

function display(context: SchemaAnswersContext, procedure: FormProcedure, node: SchemaNode, path: string, value: unknown): string {
  const { t } = context;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return t('apply.notAnswered');
  if (node.type === 'boolean') return value === true ? t('apply.yesAnswer') : t('apply.noAnswer');
  if (isDate(node) && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(context.lang, value);
  const choices = procedure.fields[textPath(path)]?.choices;
  const label = (item: unknown) => choices?.find((choice) => choice.value === String(item))?.label ?? String(item);
  if (Array.isArray(value)) return value.map(label).join('、');
  return label(value);
}

export interface CheckAnswersSection {
  title: string;
  rows: SummaryRow[];
}

/** Where a page of the form is: `/applications/:id/form/` on the portal, the counter's own path in the office. */
export type SectionHref = (sectionNumber: number) => string;

/** Check your answers: a list per page, each answer with a change link to its field on its page. */
export function toCheckSections(context: SchemaAnswersContext, sectionHref: SectionHref, procedure: FormProcedure, answers: Record<string, unknown>): CheckAnswersSection[] {
  const properties = (procedure.schema as SchemaNode).properties ?? {};
  return procedure.sections.map((section) => {
    const rows: SummaryRow[] = [];
    const href = (path: string) => `${sectionHref(section.number)}#${fieldId({ name: path })}`;
    const titleOf = (path: string) => procedure.fields[textPath(path)]?.title ?? path;
    const add = (node: SchemaNode, path: string, value: unknown, keyPrefix: string) => {
      if (node.type === 'object') {
        for (const [key, child] of orderedEntries(node)) add(child, `${path}.${key}`, (value as Record<string, unknown> | undefined)?.[key], keyPrefix);
        return;
      }
      if (node.type === 'array' && node.items?.type === 'object') {
        const items = Array.isArray(value) ? value : [];
        if (items.length === 0) rows.push({ key: titleOf(path), value: context.t('apply.notAnswered'), change: { href: href(path), what: titleOf(path) } });
        items.forEach((item, index) => {
          const prefix = `${context.t('apply.item', { title: titleOf(path), number: index + 1 })} `;
          for (const [key, child] of orderedEntries(node.items)) add(child, `${path}.${index}.${key}`, (item as Record<string, unknown>)[key], prefix);
        });
        return;
      }
      const title = `${keyPrefix}${titleOf(path)}`;
      rows.push({ key: title, value: display(context, procedure, node, path, value), change: { href: href(path), what: title } });
    };
    for (const key of section.keys) add(properties[key], key, answers[key], '');
    return { title: sectionTitle(context, procedure, section), rows };
  });
}

/** What the whole form still lacks, each linking to its field on its page. */
export function toMissing(context: SchemaAnswersContext, sectionHref: SectionHref, procedure: FormProcedure, problems: SchemaFormProblem[]): Array<{ href: string; message: string }> {
  return toFieldErrors(context, procedure, problems).map((error) => {
    const field = problems.find((problem) => fieldId({ name: problem.field }) === error.fieldId)?.field ?? '';
    const section = sectionOfField(procedure.sections, field) ?? procedure.sections[0];
    return { href: `${sectionHref(section.number)}#${error.fieldId}`, message: error.message };
  });
}
