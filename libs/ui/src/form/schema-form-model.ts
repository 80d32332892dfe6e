import { eraOf, isRealDate } from '@madoguchi/kernel';

/**
 * The application form as pages, from the procedure's JSON Schema. Pure:
 * no I/O, no clock. Reading and writing answers here only turns form posts
 * into JSON and back; whether answers are right is the procedure's
 * validator's job (ApplicationFormPagesService).
 *
 * Order: a definition is stored as jsonb, which does not keep the order of
 * an object's keys, so fields are ordered by the schema's `required` list
 * (an array: its order is the author's), then the optional fields.
 *
 * Grouping rule (one thing per page where the schema groups fields): the
 * plain top-level fields (text, numbers, dates, choices, lists of strings)
 * are the first page; then each nested object and each array of objects is
 * a page of its own, its title the page's heading.
 */

export interface SchemaNode {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  'x-sensitive'?: boolean | string;
}

export interface FormSection {
  /** 1-based page number in the URL. */
  number: number;
  /** The top-level properties this page saves. */
  keys: string[];
  /** For a nested object or array of objects: its path (its title heads the page); null for a run of plain fields. */
  group: string | null;
}

export const isGroup = (node: SchemaNode | undefined): boolean => node?.type === 'object' || (node?.type === 'array' && node.items?.type === 'object');

/** An object's properties in form order: required ones as listed, then the optional ones. */
export function orderedEntries(node: SchemaNode | undefined): Array<[string, SchemaNode]> {
  const properties = node?.properties ?? {};
  const required = (node?.required ?? []).filter((key) => key in properties);
  const optional = Object.keys(properties).filter((key) => !required.includes(key));
  return [...required, ...optional].map((key) => [key, properties[key]]);
}

export function sectionsOf(schema: Record<string, unknown>): FormSection[] {
  const entries = orderedEntries(schema as SchemaNode);
  const plain = entries.filter(([, node]) => !isGroup(node)).map(([key]) => key);
  const groups = entries.filter(([, node]) => isGroup(node)).map(([key]) => key);
  const sections: FormSection[] = plain.length > 0 ? [{ number: 1, keys: plain, group: null }] : [];
  for (const key of groups) sections.push({ number: sections.length + 1, keys: [key], group: key });
  return sections;
}

/** The section holding a field path (the first segment is a top-level key). */
export function sectionOfField(sections: FormSection[], field: string): FormSection | undefined {
  const top = field.split('.')[0];
  return sections.find((section) => section.keys.includes(top));
}

/** Raw form values by field name, as posted or as the stored answers would be posted. */
export type RawValues = Record<string, string | string[] | undefined>;

/** Items of the repeatable lists on this page: how many rows to render or read. */
export const countField = (path: string) => `_n.${path}`;

const ERA_FIRST_YEARS: Record<string, number> = { R: 2019, H: 1989, S: 1926, T: 1912, M: 1868 };

export const isDate = (node: SchemaNode) => node.type === 'string' && (node.format === 'date' || node.format === 'wareki-date');
export const isSensitive = (node: SchemaNode, path: string) => node['x-sensitive'] === true || node['x-sensitive'] === 'masked-last-4' || path === 'individualNumber';

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Full-width digits and hyphens typed on a Japanese keyboard, for fields that hold numbers. */
function halfWidth(text: string): string {
  return text.normalize('NFKC').replace(/[‐－―−ー]/g, '-');
}

/** Fields of digits (codes, phone and postal numbers): full-width digits typed on a Japanese keyboard are made half-width. */
const numericText = (node: SchemaNode) => /\\d|\[0-9\]/.test(node.pattern ?? '') || node.format === 'jp-postal-code' || node.format === 'jp-phone';

/** Wareki parts → ISO date; a date that does not exist (or not in that era) stays a string the validator refuses. */
export function isoFromParts(era: string, year: string, month: string, day: string): string | undefined {
  if (!year.trim() && !month.trim() && !day.trim()) return undefined;
  const [y, m, d] = [year, month, day].map((part) => Number(halfWidth(part.trim())));
  const gregorian = era in ERA_FIRST_YEARS ? ERA_FIRST_YEARS[era] + y - 1 : y;
  const iso = `${String(gregorian).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const valid = Number.isInteger(y) && y >= 1 && Number.isInteger(m) && Number.isInteger(d) && isRealDate(iso);
  if (!valid) return `${era}${year}-${month}-${day}`;
  try {
    if (era in ERA_FIRST_YEARS && eraOf(iso).letter !== era) return `${era}${year}-${month}-${day}`;
  } catch {
    return `${era}${year}-${month}-${day}`;
  }
  return iso;
}

export function partsFromIso(iso: unknown): { era: string; year: string; month: string; day: string } | undefined {
  if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return undefined;
  try {
    const era = eraOf(iso);
    return { era: era.letter, year: String(era.year), month: String(Number(iso.slice(5, 7))), day: String(Number(iso.slice(8, 10))) };
  } catch {
    return undefined;
  }
}

function readLeaf(node: SchemaNode, name: string, body: RawValues): unknown {
  if (isDate(node)) return isoFromParts(first(body[`${name}-era`]), first(body[`${name}-year`]), first(body[`${name}-month`]), first(body[`${name}-day`]));
  if (node.type === 'boolean') return first(body[name]) === 'true';
  if (node.type === 'array') {
    const values = (Array.isArray(body[name]) ? (body[name] as string[]) : body[name] ? [body[name] as string] : []).map((value) => value.trim()).filter(Boolean);
    return values.length > 0 ? values : undefined;
  }
  const text = first(body[name]).trim();
  if (text === '') return undefined;
  if (node.type === 'integer' || node.type === 'number') {
    const normalized = halfWidth(text).replace(/,/g, '');
    return /^-?\d+(\.\d+)?$/.test(normalized) ? Number(normalized) : text;
  }
  return numericText(node) ? halfWidth(text) : text;
}

function readNode(node: SchemaNode, name: string, body: RawValues): unknown {
  if (node.type === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const value = readNode(child, `${name}.${key}`, body);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (node.type === 'array' && (node.items?.type === 'object' || !node.items?.enum)) {
    const count = Math.min(Number(first(body[countField(name)])) || 0, node.maxItems ?? 50);
    const items: unknown[] = [];
    for (let index = 0; index < count; index += 1) {
      const value = readNode(node.items ?? {}, `${name}.${index}`, body);
      if (value !== undefined) items.push(value);
    }
    return items.length > 0 ? items : undefined;
  }
  return readLeaf(node, name, body);
}

/** The answers of one page from its post: the section's top-level keys only (an absent key is cleared). */
export function readSection(schema: Record<string, unknown>, section: FormSection, body: RawValues): Record<string, unknown> {
  const properties = (schema as SchemaNode).properties ?? {};
  const answers: Record<string, unknown> = {};
  for (const key of section.keys) {
    const value = readNode(properties[key], key, body);
    if (value !== undefined) answers[key] = value;
  }
  return answers;
}

/** Stored answers as the page would post them, to fill the page. Sensitive values are left out (never shown back). */
export function rawFromAnswers(schema: Record<string, unknown>, section: FormSection, answers: Record<string, unknown>): RawValues {
  const raw: RawValues = {};
  const write = (node: SchemaNode, name: string, value: unknown) => {
    if (node.type === 'object') {
      const record = (value ?? {}) as Record<string, unknown>;
      for (const [key, child] of Object.entries(node.properties ?? {})) write(child, `${name}.${key}`, record[key]);
      return;
    }
    if (node.type === 'array' && (node.items?.type === 'object' || !node.items?.enum)) {
      const items = Array.isArray(value) ? value : [];
      // A list that needs rows starts with as many empty rows as it needs.
      raw[countField(name)] = String(Math.max(items.length, node.minItems ?? 0));
      items.forEach((item, index) => write(node.items ?? {}, `${name}.${index}`, item));
      return;
    }
    if (value === undefined || value === null) return;
    if (isSensitive(node, name.split('.').filter((part) => !/^\d+$/.test(part)).join('.'))) return;
    if (isDate(node)) {
      const parts = partsFromIso(value);
      if (parts) Object.assign(raw, { [`${name}-era`]: parts.era, [`${name}-year`]: parts.year, [`${name}-month`]: parts.month, [`${name}-day`]: parts.day });
      return;
    }
    if (node.type === 'boolean') raw[name] = value === true ? 'true' : undefined;
    else if (Array.isArray(value)) raw[name] = value.map(String);
    else raw[name] = String(value);
  };
  const properties = (schema as SchemaNode).properties ?? {};
  for (const key of section.keys) write(properties[key], key, answers[key]);
  return raw;
}

/**
 * "Add another" / "remove" on a repeatable list, as submit buttons (they work
 * without JavaScript): `_action` is `add:<path>` or `remove:<path>.<index>`.
 * Returns the raw values with the row counts changed and removed rows shifted up.
 */
export function applyListAction(raw: RawValues, action: string): RawValues | null {
  const add = /^add:([A-Za-z0-9_.]+)$/.exec(action);
  if (add) {
    const count = Number(first(raw[countField(add[1])])) || 0;
    return { ...raw, [countField(add[1])]: String(count + 1) };
  }
  const remove = /^remove:([A-Za-z0-9_.]+)\.(\d+)$/.exec(action);
  if (!remove) return null;
  const [, path, indexText] = remove;
  const index = Number(indexText);
  const count = Number(first(raw[countField(path)])) || 0;
  const out: RawValues = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!name.startsWith(`${path}.`)) {
      out[name] = value;
      continue;
    }
    const match = /^(\d+)(.*)$/.exec(name.slice(path.length + 1));
    if (!match) continue;
    const at = Number(match[1]);
    if (at === index) continue;
    out[`${path}.${at > index ? at - 1 : at}${match[2]}`] = value;
  }
  out[countField(path)] = String(Math.max(0, count - 1));
  return out;
}
