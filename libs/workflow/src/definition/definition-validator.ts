import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { DEFINITION_SCHEMA } from './definition-schema';
import { createFormAjv } from './form-schema-compiler';
import {
  APPROVAL_LEVELS,
  type DefinitionError,
  isConsultationStep,
  type ProcedureDefinition,
  STAFF_ROLES,
  STEP_KINDS,
  type StepKind,
} from './procedure-definition';

/** What a definition is checked against besides itself. */
export interface DefinitionContext {
  departments: readonly string[];
}

const structureAjv = new Ajv({ allErrors: true, strict: true });
addFormats(structureAjv, ['date']);
const validateStructure = structureAjv.compile(DEFINITION_SCHEMA);

/** Steps a resident completes before submitting. */
const PRE_SUBMISSION_STEPS: readonly StepKind[] = ['form', 'identity'];

/**
 * Checks one definition and returns every problem found, each with the file,
 * a JSON pointer and a reason a person can act on. An empty list means the
 * definition can be compiled.
 */
export function validateDefinition(data: unknown, file: string, context: DefinitionContext): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const add = (path: string, reason: string) => errors.push({ file, path, reason });

  if (!validateStructure(data)) {
    for (const error of validateStructure.errors ?? []) {
      const extra =
        error.keyword === 'additionalProperties'
          ? ` ("${(error.params as { additionalProperty: string }).additionalProperty}")`
          : error.keyword === 'enum'
            ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.map((value) => JSON.stringify(value)).join(', ')})`
            : '';
      add(error.instancePath || '/', `${error.message}${extra}`);
    }
    // Cross-field rules assume the structure; stop here.
    return errors;
  }
  const definition = data as unknown as ProcedureDefinition;
  const steps = definition.steps;

  steps.forEach((step, index) => {
    if (!(STEP_KINDS as readonly string[]).includes(step)) {
      add(`/steps/${index}`, `unknown step kind "${step}" (known: ${STEP_KINDS.join(', ')})`);
    } else if (steps.indexOf(step) !== index) {
      add(`/steps/${index}`, `step "${step}" appears more than once`);
    }
  });
  if (steps[0] !== 'form') add('/steps/0', 'the first step must be "form"');
  const identityIndex = steps.indexOf('identity');
  if (identityIndex > 1) add(`/steps/${identityIndex}`, '"identity" must come right after "form", before submission');
  const notifyIndex = steps.indexOf('notify');
  if (notifyIndex >= 0 && notifyIndex !== steps.length - 1) add(`/steps/${notifyIndex}`, '"notify" must be the last step');

  if (!context.departments.includes(definition.department)) {
    add('/department', `unknown department "${definition.department}" (known: ${context.departments.join(', ')})`);
  }
  if (definition.nationalCode && !definition.nationalCategory) {
    add('/nationalCategory', 'a procedure with a nationalCode needs its nationalCategory');
  }

  if (definition.identity === 'myNumberCardSignature' && identityIndex < 0) {
    add('/steps', 'identity "myNumberCardSignature" needs an "identity" step');
  }
  if (identityIndex >= 0 && definition.identity === 'none') {
    add(`/steps/${identityIndex}`, 'an "identity" step needs an identity level other than "none"');
  }

  checkForm(definition, add);
  checkFee(definition, add);
  checkApprovalRoute(definition, add, context.departments);

  const issueIndex = steps.indexOf('issue');
  if (issueIndex >= 0 && !definition.document) add('/document', 'an "issue" step needs a document');
  if (issueIndex < 0 && definition.document) add('/document', 'a document needs an "issue" step to issue it');
  const bookingIndex = steps.indexOf('booking');
  if (bookingIndex >= 0 && definition.category !== 'booking') {
    add(`/steps/${bookingIndex}`, 'a "booking" step is only for procedures of category "booking"');
  }
  if (definition.category === 'booking' && bookingIndex < 0) add('/steps', 'a booking procedure needs a "booking" step');
  for (const decided of ['issue', 'notify'] as const) {
    const index = steps.indexOf(decided);
    for (const before of ['review', 'approval'] as const) {
      const beforeIndex = steps.indexOf(before);
      if (index >= 0 && beforeIndex > index) add(`/steps/${beforeIndex}`, `"${before}" must come before "${decided}"`);
    }
  }
  for (const preSubmission of PRE_SUBMISSION_STEPS) {
    const index = steps.indexOf(preSubmission);
    if (index >= 0 && steps.slice(0, index).some((step) => !PRE_SUBMISSION_STEPS.includes(step as StepKind))) {
      add(`/steps/${index}`, `"${preSubmission}" happens before submission and must come before every other step`);
    }
  }
  return errors;
}

type Add = (path: string, reason: string) => void;

function checkForm(definition: ProcedureDefinition, add: Add): void {
  const schema = definition.form.schema;
  if (schema.type !== 'object') {
    add('/form/schema/type', 'the form schema must describe an object (type: object)');
    return;
  }
  try {
    createFormAjv().compile(schema);
  } catch (error) {
    add('/form/schema', `invalid JSON Schema: ${(error as Error).message}`);
  }
}

function checkFee(definition: ProcedureDefinition, add: Add): void {
  const { fee, steps } = definition;
  const feeIndex = steps.indexOf('fee');
  if (fee.rule === 'none') {
    if (feeIndex >= 0) add(`/steps/${feeIndex}`, 'a "fee" step needs a fee rule other than "none"');
    return;
  }
  if (feeIndex < 0) add('/steps', `fee rule "${fee.rule}" needs a "fee" step`);
  for (const field of ['amount', 'timing', 'revenueAccountCode', 'paymentDeadlineHours'] as const) {
    if (fee[field] === undefined) add(`/fee/${field}`, `fee rule "${fee.rule}" needs ${field}`);
  }
  if (fee.rule === 'perCopy') {
    const properties = (definition.form.schema.properties ?? {}) as Record<string, { type?: unknown }>;
    const required = (definition.form.schema.required ?? []) as string[];
    if (!fee.quantityField) {
      add('/fee/quantityField', 'fee rule "perCopy" needs quantityField, the form field with the number of copies');
    } else if (properties[fee.quantityField]?.type !== 'integer' || !required.includes(fee.quantityField)) {
      add('/fee/quantityField', `"${fee.quantityField}" must be a required integer field of the form`);
    }
  } else if (fee.quantityField && fee.rule !== 'perSlot') {
    add('/fee/quantityField', `quantityField only applies to fee rules "perCopy" and "perSlot"`);
  }
  const reviewIndex = steps.indexOf('review');
  if (feeIndex >= 0 && fee.timing === 'afterAssessment' && (reviewIndex < 0 || reviewIndex > feeIndex)) {
    add(`/steps/${feeIndex}`, 'a fee paid after assessment needs a "review" step before the "fee" step');
  }
  if (feeIndex >= 0 && fee.timing === 'atSubmission' && reviewIndex >= 0 && reviewIndex < feeIndex) {
    add(`/steps/${feeIndex}`, 'a fee paid at submission must come before the "review" step');
  }
  const codes = new Set<string>();
  (fee.reductions ?? []).forEach((reduction, index) => {
    if (codes.has(reduction.code)) add(`/fee/reductions/${index}/code`, `duplicate reduction "${reduction.code}"`);
    codes.add(reduction.code);
  });
}

function checkApprovalRoute(definition: ProcedureDefinition, add: Add, departments: readonly string[]): void {
  const { approvalRoute, steps } = definition;
  const approvalIndex = steps.indexOf('approval');
  if (approvalIndex >= 0 && approvalRoute.length === 0) add('/approvalRoute', 'an "approval" step needs an approval route');
  if (approvalIndex < 0 && approvalRoute.length > 0) add('/approvalRoute', 'an approval route needs an "approval" step');
  const reviewIndex = steps.indexOf('review');
  if (approvalIndex >= 0 && reviewIndex > approvalIndex) add(`/steps/${reviewIndex}`, '"review" must come before "approval"');
  let previousRank = -1;
  approvalRoute.forEach((step, index) => {
    if (isConsultationStep(step)) {
      if ('role' in step || 'level' in step) add(`/approvalRoute/${index}`, 'a consultation step has only "consultation"');
      step.consultation.departments.forEach((department, position) => {
        if (!departments.includes(department)) add(`/approvalRoute/${index}/consultation/departments/${position}`, `unknown department "${department}"`);
      });
      if (step.consultation.departments.includes(definition.department)) {
        add(`/approvalRoute/${index}/consultation/departments`, 'the owning department does not consult itself');
      }
      return;
    }
    const raw = step as { role?: string; level?: string };
    if (raw.role === undefined) {
      add(`/approvalRoute/${index}`, 'a step needs "role: approver" with a "level", or "consultation"');
      return;
    }
    if (!(STAFF_ROLES as readonly string[]).includes(raw.role)) {
      add(`/approvalRoute/${index}/role`, `unknown role "${raw.role}" (known: ${STAFF_ROLES.join(', ')})`);
      return;
    }
    if (raw.role !== 'approver') {
      add(`/approvalRoute/${index}/role`, 'approval steps are decided by approvers: role must be "approver"');
      return;
    }
    if (!raw.level) {
      add(`/approvalRoute/${index}/level`, 'an approver step needs a level (kakaricho, kacho or bucho)');
      return;
    }
    const rank = APPROVAL_LEVELS.indexOf(step.level);
    if (rank < previousRank) add(`/approvalRoute/${index}/level`, 'levels must not go down along the route');
    previousRank = Math.max(previousRank, rank);
  });
  const fields = Object.keys((definition.form.schema.properties as Record<string, unknown> | undefined) ?? {});
  (definition.approvalRules ?? []).forEach((rule, index) => {
    if (approvalIndex < 0) add(`/approvalRules/${index}`, 'approval rules need an "approval" step');
    if (!fields.includes(rule.when.field)) add(`/approvalRules/${index}/when/field`, `no form field "${rule.when.field}"`);
    const conditions = [rule.when.atLeast, rule.when.in].filter((condition) => condition !== undefined).length;
    if (conditions !== 1) add(`/approvalRules/${index}/when`, 'give exactly one of "atLeast" or "in"');
  });
  if (definition.grant) {
    if (definition.category !== 'subsidy') add('/grant', 'only a subsidy has a grant decision');
    const property = (definition.form.schema.properties as Record<string, { type?: unknown }> | undefined)?.[definition.grant.amountField];
    if (!property) add('/grant/amountField', `no form field "${definition.grant.amountField}"`);
    else if (property.type !== 'integer') add('/grant/amountField', 'the amount field must be an integer (yen)');
  }
}
