/**
 * Field-by-field comparison of two versions of a form. Pure: the caller
 * opens sealed fields before comparing (ciphertexts differ on every seal) and
 * masks them before showing anything.
 *
 * Objects are compared member by member, so a changed account number shows
 * as `bankAccount.accountNumber`; arrays and other values are compared whole,
 * so a changed child shows as `children`.
 */

export interface FormFieldChange {
  /** Dotted path: `purpose`, `bankAccount.accountNumber`. */
  field: string;
  /** The schema's titles along the path (Japanese, as the catalog writes them), or null when the schema has none. */
  title: string | null;
}

type Schema = Record<string, unknown>;

export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>, schema: Schema | undefined): FormFieldChange[] {
  const changes: FormFieldChange[] = [];
  walk(before, after, schema, [], [], changes);
  return changes;
}

/** The value at a dotted path of `changedFields`, or null when absent. */
export function valueAt(form: Record<string, unknown>, field: string): unknown {
  let node: unknown = form;
  for (const segment of field.split('.')) {
    if (!isPlainObject(node) || !Object.hasOwn(node, segment)) return null;
    node = node[segment];
  }
  return node === undefined ? null : node;
}

function walk(before: Record<string, unknown>, after: Record<string, unknown>, schema: Schema | undefined, path: string[], titles: string[], out: FormFieldChange[]): void {
  for (const key of orderedKeys(before, after, schema)) {
    // An absent answer and a null one read the same to whoever filled the form.
    const left = Object.hasOwn(before, key) ? (before[key] ?? null) : null;
    const right = Object.hasOwn(after, key) ? (after[key] ?? null) : null;
    if (sameValue(left, right)) continue;
    const child = propertySchema(schema, key);
    const title = typeof child?.title === 'string' ? child.title : null;
    const childTitles = title ? [...titles, title] : titles;
    if (isPlainObject(left) && isPlainObject(right)) {
      walk(left, right, child, [...path, key], childTitles, out);
    } else {
      out.push({ field: [...path, key].join('.'), title: title ? childTitles.join(' / ') : null });
    }
  }
}

/**
 * A stable order close to the form's: stored definitions are jsonb, which
 * keeps no key order of `properties`, but `required` is an array and keeps
 * the catalog's order. Required fields first in that order, then the rest
 * alphabetically.
 */
function orderedKeys(before: Record<string, unknown>, after: Record<string, unknown>, schema: Schema | undefined): string[] {
  const present = new Set([...Object.keys(before), ...Object.keys(after)]);
  const required = Array.isArray(schema?.required) ? schema.required.filter((key): key is string => typeof key === 'string' && present.has(key)) : [];
  const rest = [...present].filter((key) => !required.includes(key)).sort();
  return [...new Set(required), ...rest];
}

function properties(schema: Schema | undefined): Record<string, Schema> {
  const value = schema?.properties;
  return isPlainObject(value) ? (value as Record<string, Schema>) : {};
}

function propertySchema(schema: Schema | undefined, key: string): Schema | undefined {
  const all = properties(schema);
  return Object.hasOwn(all, key) && isPlainObject(all[key]) ? all[key] : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values; object key order does not matter. */
export function sameValue(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length && left.every((item, index) => sameValue(item, right[index]));
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && sameValue(left[key], right[key]));
  }
  return false;
}
