import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { JAPANESE_FORMATS } from './japanese-formats';

/**
 * The ajv instance that compiles procedure form schemas. Strict, so a typo in
 * a keyword is a load error rather than a rule that silently never applies.
 */
export function createFormAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, coerceTypes: false, useDefaults: false });
  addFormats(ajv, ['date', 'date-time', 'email', 'uri', 'time']);
  for (const [name, validate] of Object.entries(JAPANESE_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  // An annotation, not a rule: the field is encrypted at rest and shown masked (see sensitiveFieldPaths).
  ajv.addKeyword({ keyword: SENSITIVE_KEYWORD, schemaType: ['boolean', 'string'], metaSchema: { anyOf: [{ type: 'boolean' }, { enum: ['masked-last-4'] }] } });
  return ajv;
}

/** `x-sensitive: true` (or `masked-last-4`) on a string property of a form schema. */
export const SENSITIVE_KEYWORD = 'x-sensitive';

/**
 * Where a form schema keeps sensitive answers: dotted paths of the string
 * properties annotated `x-sensitive` (through nested objects; `*` for every
 * item of an array). A top-level `individualNumber` is sensitive whether or
 * not it is annotated: definitions that landed before the annotation rely on it.
 */
export function sensitiveFieldPaths(schema: Record<string, unknown>): string[] {
  const paths = new Set<string>();
  const walk = (node: unknown, prefix: string[]): void => {
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (prefix.length > 0 && (record[SENSITIVE_KEYWORD] === true || record[SENSITIVE_KEYWORD] === 'masked-last-4')) paths.add(prefix.join('.'));
    const properties = record.properties as Record<string, unknown> | undefined;
    if (properties && typeof properties === 'object') for (const [name, child] of Object.entries(properties)) walk(child, [...prefix, name]);
    if (record.items) walk(record.items, [...prefix, '*']);
  };
  walk(schema, []);
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (properties && 'individualNumber' in properties) paths.add('individualNumber');
  return [...paths].sort();
}

export function compileFormSchema(ajv: Ajv, schema: Record<string, unknown>): ValidateFunction {
  return ajv.compile(schema);
}
