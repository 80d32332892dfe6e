import { canonicalJson } from '@madoguchi/kernel';
import type { ProcedureDefinition } from '@madoguchi/workflow';

/** One form field's change between two versions (top-level properties of the form schema). */
export interface FieldChange {
  field: string;
  change: 'added' | 'removed' | 'typeChanged' | 'requiredChanged' | 'constraintsChanged';
  before: { type: string | null; required: boolean } | null;
  after: { type: string | null; required: boolean } | null;
}

export interface SectionChange<T> {
  changed: boolean;
  before: T;
  after: T;
}

export interface ProcedureDiff {
  code: string;
  /** Null when nothing of this code is published yet: everything is new. */
  fromVersion: number | null;
  toVersion: number;
  fields: FieldChange[];
  fee: SectionChange<ProcedureDefinition['fee'] | null>;
  approvalRoute: SectionChange<{ route: ProcedureDefinition['approvalRoute']; rules: NonNullable<ProcedureDefinition['approvalRules']> } | null>;
  steps: SectionChange<ProcedureDefinition['steps'] | null> & { added: string[]; removed: string[] };
  document: SectionChange<ProcedureDefinition['document'] | null>;
  /** Other top-level keys whose value differs (name, channels, identity …). */
  otherChanges: string[];
}

type Schema = { properties?: Record<string, Record<string, unknown>>; required?: string[] };

const typeOf = (node: Record<string, unknown> | undefined): string | null => {
  const type = node?.type;
  if (Array.isArray(type)) return type.join('|');
  return typeof type === 'string' ? type : null;
};
const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** What a draft changes against the published version; pure. */
export function diffDefinitions(before: ProcedureDefinition | null, after: ProcedureDefinition): ProcedureDiff {
  const oldSchema = (before?.form.schema ?? {}) as Schema;
  const newSchema = after.form.schema as Schema;
  const oldProps = oldSchema.properties ?? {};
  const newProps = newSchema.properties ?? {};
  const oldRequired = new Set(oldSchema.required ?? []);
  const newRequired = new Set(newSchema.required ?? []);
  const fields: FieldChange[] = [];
  for (const field of [...new Set([...Object.keys(oldProps), ...Object.keys(newProps)])].sort()) {
    const was = field in oldProps ? { type: typeOf(oldProps[field]), required: oldRequired.has(field) } : null;
    const now = field in newProps ? { type: typeOf(newProps[field]), required: newRequired.has(field) } : null;
    let change: FieldChange['change'] | null = null;
    if (!was) change = 'added';
    else if (!now) change = 'removed';
    else if (was.type !== now.type) change = 'typeChanged';
    else if (was.required !== now.required) change = 'requiredChanged';
    else if (!same(oldProps[field], newProps[field])) change = 'constraintsChanged';
    if (change) fields.push({ field, change, before: was, after: now });
  }
  const route = (definition: ProcedureDefinition | null) => (definition ? { route: definition.approvalRoute, rules: definition.approvalRules ?? [] } : null);
  const section = <T>(a: T, b: T): SectionChange<T> => ({ changed: !same(a, b), before: a, after: b });
  const oldSteps = before?.steps ?? [];
  const covered = new Set(['code', 'version', 'form', 'fee', 'approvalRoute', 'approvalRules', 'steps', 'document']);
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after)])].filter((key) => !covered.has(key)).sort();
  return {
    code: after.code,
    fromVersion: before?.version ?? null,
    toVersion: after.version,
    fields,
    fee: section(before?.fee ?? null, after.fee),
    approvalRoute: section(route(before), route(after)),
    steps: {
      ...section(before?.steps ?? null, after.steps),
      added: after.steps.filter((step) => !oldSteps.includes(step)),
      removed: oldSteps.filter((step) => !after.steps.includes(step)),
    },
    document: section(before?.document ?? null, after.document),
    otherChanges: keys.filter((key) => !same((before as unknown as Record<string, unknown> | null)?.[key], (after as unknown as Record<string, unknown>)[key])),
  };
}
