import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { validateDefinition } from './definition-validator';
import type { DefinitionError, ProcedureDefinition } from './procedure-definition';

const CATALOG = path.resolve(__dirname, '../../../../config/procedures');
const FILE = 'variant.yaml';
const DEPARTMENTS = ['shimin', 'zeimu', 'kankyo', 'sports', 'zaisei'];
const context = { departments: DEPARTMENTS };

const catalogDefinition = (code: string): ProcedureDefinition =>
  parse(readFileSync(path.join(CATALOG, `${code}.yaml`), 'utf8')) as ProcedureDefinition;

// juminhyo: perCopy fee at submission, review, issue, notify, no approval route.
const JUMINHYO = catalogDefinition('juminhyo');
// taiyoko-hojo: no fee, review, an approval route with a 合議 and an amount rule, issue, notify.
const TAIYOKO_CATALOG = catalogDefinition('taiyoko-hojo');
// The same with a plain two-level route, so each variant below shows one problem.
const TAIYOKO: ProcedureDefinition = {
  ...structuredClone(TAIYOKO_CATALOG),
  approvalRoute: [
    { role: 'approver', level: 'kakaricho' },
    { role: 'approver', level: 'kacho' },
  ],
  approvalRules: undefined,
  grant: undefined,
};
delete TAIYOKO.approvalRules;
delete TAIYOKO.grant;

/** A deep copy of a valid definition, changed by `change`. */
function variant(base: ProcedureDefinition, change: (definition: ProcedureDefinition) => void): Record<string, unknown> {
  const copy = structuredClone(base);
  change(copy);
  return copy as unknown as Record<string, unknown>;
}

const validate = (data: unknown): DefinitionError[] => validateDefinition(data, FILE, context);
const problem = (pointer: string, reason: string): DefinitionError => ({ file: FILE, path: pointer, reason });

describe('validateDefinition', () => {
  it('accepts the catalog definitions it is derived from', () => {
    expect(validate(JUMINHYO)).toEqual([]);
    expect(validate(TAIYOKO_CATALOG)).toEqual([]);
    expect(validate(TAIYOKO)).toEqual([]);
  });

  it('names the file on every problem', () => {
    const errors = validateDefinition(variant(JUMINHYO, (d) => (d.department = 'somu')), 'config/procedures/x.yaml', context);
    expect(errors.map((error) => error.file)).toEqual(['config/procedures/x.yaml']);
  });

  describe('structure', () => {
    it('reports an unknown top-level field by name', () => {
      const data = { ...JUMINHYO, colour: 'red' };
      expect(validate(data)).toEqual([problem('/', 'must NOT have additional properties ("colour")')]);
    });

    it('reports a missing required field', () => {
      const data = variant(JUMINHYO, (d) => delete (d as Partial<ProcedureDefinition>).steps);
      expect(validate(data)).toEqual([problem('/', "must have required property 'steps'")]);
    });

    it('lists the allowed values of an enum', () => {
      const data = variant(JUMINHYO, (d) => ((d as { category: string }).category = 'permit'));
      expect(validate(data)).toEqual([
        problem('/category', 'must be equal to one of the allowed values ("certificate", "subsidy", "booking", "notification", "other")'),
      ]);
    });

    it('reports every structural problem at once and skips the cross-field rules', () => {
      const data = variant(JUMINHYO, (d) => {
        (d as { version: unknown }).version = 0;
        (d as { identity: string }).identity = 'passport';
        d.department = 'somu'; // a cross-field rule: not reached
      });
      const errors = validate(data);
      expect(errors.map((error) => error.path)).toEqual(['/version', '/identity']);
      expect(errors[0].reason).toBe('must be >= 1');
    });

    it('requires the form schema to be a JSON object', () => {
      const data = variant(JUMINHYO, (d) => ((d.form as { schema: unknown }).schema = true));
      expect(validate(data)).toEqual([problem('/form/schema', 'must be object')]);
    });
  });

  describe('steps', () => {
    it('rejects an unknown step kind, naming the known ones', () => {
      const data = variant(JUMINHYO, (d) => ((d.steps as string[]) = ['form', 'identity', 'fee', 'review', 'print', 'issue', 'notify']));
      expect(validate(data)).toEqual([
        problem('/steps/4', 'unknown step kind "print" (known: form, identity, fee, review, approval, booking, issue, notify)'),
      ]);
    });

    it('rejects a step that appears twice, at the second occurrence', () => {
      const data = variant(JUMINHYO, (d) => (d.steps = ['form', 'identity', 'fee', 'review', 'review', 'issue', 'notify']));
      expect(validate(data)).toEqual([problem('/steps/4', 'step "review" appears more than once')]);
    });

    it('requires "form" first', () => {
      const data = variant(JUMINHYO, (d) => (d.steps = ['identity', 'form', 'fee', 'review', 'issue', 'notify']));
      expect(validate(data)).toEqual([problem('/steps/0', 'the first step must be "form"')]);
    });

    it('requires "identity" right after "form"', () => {
      const data = variant(JUMINHYO, (d) => (d.steps = ['form', 'fee', 'identity', 'review', 'issue', 'notify']));
      expect(validate(data)).toEqual([
        problem('/steps/2', '"identity" must come right after "form", before submission'),
        problem('/steps/2', '"identity" happens before submission and must come before every other step'),
      ]);
    });

    it('requires "notify" last', () => {
      const data = variant(JUMINHYO, (d) => (d.steps = ['form', 'identity', 'fee', 'review', 'notify', 'issue']));
      expect(validate(data)).toEqual([problem('/steps/4', '"notify" must be the last step')]);
    });

    it('requires "review" before "issue"', () => {
      const data = variant(JUMINHYO, (d) => (d.steps = ['form', 'identity', 'fee', 'issue', 'review', 'notify']));
      expect(validate(data)).toEqual([problem('/steps/4', '"review" must come before "issue"')]);
    });

    it('requires "approval" before "notify"', () => {
      const data = variant(TAIYOKO, (d) => (d.steps = ['form', 'identity', 'review', 'issue', 'notify', 'approval']));
      const errors = validate(data);
      expect(errors).toContainEqual(problem('/steps/5', '"approval" must come before "notify"'));
      expect(errors).toContainEqual(problem('/steps/5', '"approval" must come before "issue"'));
    });

    it('requires "review" before "approval"', () => {
      const data = variant(TAIYOKO, (d) => (d.steps = ['form', 'identity', 'approval', 'review', 'issue', 'notify']));
      expect(validate(data)).toEqual([problem('/steps/3', '"review" must come before "approval"')]);
    });

    it('keeps a "booking" step to booking procedures', () => {
      const data = variant(JUMINHYO, (d) => (d.steps = ['form', 'identity', 'fee', 'review', 'booking', 'issue', 'notify']));
      expect(validate(data)).toEqual([problem('/steps/4', 'a "booking" step is only for procedures of category "booking"')]);
    });

    it('requires a "booking" step in a booking procedure', () => {
      const data = variant(TAIYOKO, (d) => (d.category = 'booking'));
      expect(validate(data)).toEqual([problem('/steps', 'a booking procedure needs a "booking" step')]);
    });
  });

  describe('identity', () => {
    it('requires an "identity" step for a My Number Card signature', () => {
      const data = variant(TAIYOKO, (d) => (d.steps = ['form', 'review', 'approval', 'issue', 'notify']));
      expect(validate(data)).toEqual([problem('/steps', 'identity "myNumberCardSignature" needs an "identity" step')]);
    });

    it('refuses an "identity" step with identity level "none"', () => {
      const data = variant(TAIYOKO, (d) => (d.identity = 'none'));
      expect(validate(data)).toEqual([problem('/steps/1', 'an "identity" step needs an identity level other than "none"')]);
    });
  });

  describe('department and national list', () => {
    it('rejects an unknown department, naming the known ones', () => {
      const data = variant(JUMINHYO, (d) => (d.department = 'somu'));
      expect(validate(data)).toEqual([problem('/department', 'unknown department "somu" (known: shimin, zeimu, kankyo, sports, zaisei)')]);
    });

    it('requires a nationalCategory with a nationalCode', () => {
      const data = variant(JUMINHYO, (d) => (d.nationalCode = 'kosodate-01'));
      expect(validate(data)).toEqual([problem('/nationalCategory', 'a procedure with a nationalCode needs its nationalCategory')]);
    });

    it('accepts a nationalCode with its nationalCategory', () => {
      const data = variant(JUMINHYO, (d) => {
        d.nationalCode = 'kosodate-01';
        d.nationalCategory = 'kosodate';
      });
      expect(validate(data)).toEqual([]);
    });
  });

  describe('form schema', () => {
    it('reports a misspelt type', () => {
      const data = variant(JUMINHYO, (d) => ((d.form.schema.properties as Record<string, { type: string }>).purposeDetail.type = 'strnig'));
      const errors = validate(data);
      expect(errors).toHaveLength(1);
      expect(errors[0].path).toBe('/form/schema');
      expect(errors[0].reason).toMatch(/^invalid JSON Schema: schema is invalid: .*purposeDetail\/type/);
    });

    it('reports an unknown keyword (strict mode)', () => {
      const data = variant(JUMINHYO, (d) => {
        const properties = d.form.schema.properties as Record<string, Record<string, unknown>>;
        properties.purposeDetail = { type: 'string', maxLenght: 200 };
      });
      expect(validate(data)).toEqual([problem('/form/schema', 'invalid JSON Schema: strict mode: unknown keyword: "maxLenght"')]);
    });

    it('requires the form to describe an object', () => {
      const data = variant(TAIYOKO, (d) => (d.form.schema = { type: 'array', items: { type: 'string' } }));
      expect(validate(data)).toEqual([problem('/form/schema/type', 'the form schema must describe an object (type: object)')]);
    });
  });

  describe('approval route', () => {
    it('rejects an unknown role, naming the known ones', () => {
      const data = variant(TAIYOKO, (d) => ((d.approvalRoute as Array<{ role: string }>) = [{ role: 'mayor' }]));
      expect(validate(data)).toEqual([
        problem('/approvalRoute/0/role', 'unknown role "mayor" (known: clerk, reviewer, approver, manager, administrator, accountant)'),
      ]);
    });

    it('requires a level on an approver step', () => {
      const data = variant(TAIYOKO, (d) => (d.approvalRoute = [{ role: 'approver' } as never, { role: 'approver', level: 'kacho' }]));
      expect(validate(data)).toEqual([problem('/approvalRoute/0/level', 'an approver step needs a level (kakaricho, kacho or bucho)')]);
    });

    it('refuses a step decided by anyone but an approver', () => {
      const data = variant(TAIYOKO, (d) => (d.approvalRoute = [{ role: 'reviewer', level: 'kakaricho' } as never, { role: 'approver', level: 'kacho' }]));
      expect(validate(data)).toEqual([problem('/approvalRoute/0/role', 'approval steps are decided by approvers: role must be "approver"')]);
    });

    it('accepts a consultation (合議) of other known departments', () => {
      const data = variant(TAIYOKO, (d) => {
        d.approvalRoute = [{ role: 'approver', level: 'kakaricho' }, { consultation: { departments: ['zeimu', 'shimin'] } }, { role: 'approver', level: 'kacho' }];
      });
      expect(validate(data)).toEqual([]);
    });

    it('refuses a consultation of an unknown or the owning department', () => {
      const data = variant(TAIYOKO, (d) => {
        d.approvalRoute = [{ consultation: { departments: ['nowhere', 'kankyo'] } }, { role: 'approver', level: 'kacho' }];
      });
      expect(validate(data)).toEqual([
        problem('/approvalRoute/0/consultation/departments/0', 'unknown department "nowhere"'),
        problem('/approvalRoute/0/consultation/departments', 'the owning department does not consult itself'),
      ]);
    });

    it('checks approval rules against the form and wants one condition each', () => {
      const data = variant(TAIYOKO, (d) => {
        d.approvalRules = [
          { when: { field: 'requestedAmount', atLeast: 50000 }, level: 'bucho' },
          { when: { field: 'noSuchField', in: ['a'] }, level: 'bucho' },
          { when: { field: 'buildingType', atLeast: 1, in: ['新築住宅'] }, level: 'bucho' },
        ];
      });
      expect(validate(data)).toEqual([
        problem('/approvalRules/1/when/field', 'no form field "noSuchField"'),
        problem('/approvalRules/2/when', 'give exactly one of "atLeast" or "in"'),
      ]);
    });

    it('wants the grant amount to be an integer field of a subsidy', () => {
      expect(validate(variant(TAIYOKO, (d) => (d.grant = { amountField: 'requestedAmount' })))).toEqual([]);
      expect(validate(variant(TAIYOKO, (d) => (d.grant = { amountField: 'capacityKw' })))).toEqual([
        problem('/grant/amountField', 'the amount field must be an integer (yen)'),
      ]);
    });

    it('refuses levels going down along the route', () => {
      const data = variant(TAIYOKO, (d) => (d.approvalRoute = [{ role: 'approver', level: 'kacho' }, { role: 'approver', level: 'kakaricho' }]));
      expect(validate(data)).toEqual([problem('/approvalRoute/1/level', 'levels must not go down along the route')]);
    });

    it('points at the step where the level goes down', () => {
      const data = variant(TAIYOKO, (d) => {
        d.approvalRoute = [
          { role: 'approver', level: 'kakaricho' },
          { role: 'approver', level: 'bucho' },
          { role: 'approver', level: 'kacho' },
        ];
      });
      expect(validate(data)).toEqual([problem('/approvalRoute/2/level', 'levels must not go down along the route')]);
    });

    it('accepts equal levels', () => {
      const data = variant(TAIYOKO, (d) => {
        d.approvalRoute = [{ role: 'approver', level: 'kacho' }, { role: 'approver', level: 'kacho' }];
      });
      expect(validate(data)).toEqual([]);
    });

    it('requires a route for an "approval" step', () => {
      const data = variant(TAIYOKO, (d) => (d.approvalRoute = []));
      expect(validate(data)).toEqual([problem('/approvalRoute', 'an "approval" step needs an approval route')]);
    });

    it('requires an "approval" step for a route', () => {
      const data = variant(TAIYOKO, (d) => (d.steps = ['form', 'identity', 'review', 'issue', 'notify']));
      expect(validate(data)).toEqual([problem('/approvalRoute', 'an approval route needs an "approval" step')]);
    });
  });

  describe('fee', () => {
    it('requires quantityField for a perCopy fee', () => {
      const data = variant(JUMINHYO, (d) => delete d.fee.quantityField);
      expect(validate(data)).toEqual([
        problem('/fee/quantityField', 'fee rule "perCopy" needs quantityField, the form field with the number of copies'),
      ]);
    });

    it('requires quantityField to be an integer field', () => {
      const data = variant(JUMINHYO, (d) => (d.fee.quantityField = 'purposeDetail'));
      expect(validate(data)).toEqual([problem('/fee/quantityField', '"purposeDetail" must be a required integer field of the form')]);
    });

    it('requires quantityField to be a required field', () => {
      const data = variant(JUMINHYO, (d) => (d.form.schema.required = ['scope', 'purpose']));
      expect(validate(data)).toEqual([problem('/fee/quantityField', '"copies" must be a required integer field of the form')]);
    });

    it('requires quantityField to exist in the form', () => {
      const data = variant(JUMINHYO, (d) => (d.fee.quantityField = 'count'));
      expect(validate(data)).toEqual([problem('/fee/quantityField', '"count" must be a required integer field of the form')]);
    });

    it('refuses quantityField on a rule other than perCopy or perSlot', () => {
      const data = variant(JUMINHYO, (d) => (d.fee.rule = 'fixed'));
      expect(validate(data)).toEqual([problem('/fee/quantityField', 'quantityField only applies to fee rules "perCopy" and "perSlot"')]);
    });

    it('requires amount, timing, revenueAccountCode and paymentDeadlineHours', () => {
      const data = variant(JUMINHYO, (d) => {
        delete d.fee.amount;
        delete d.fee.timing;
        delete d.fee.revenueAccountCode;
        delete d.fee.paymentDeadlineHours;
      });
      expect(validate(data)).toEqual([
        problem('/fee/amount', 'fee rule "perCopy" needs amount'),
        problem('/fee/timing', 'fee rule "perCopy" needs timing'),
        problem('/fee/revenueAccountCode', 'fee rule "perCopy" needs revenueAccountCode'),
        problem('/fee/paymentDeadlineHours', 'fee rule "perCopy" needs paymentDeadlineHours'),
      ]);
    });

    it('requires a "fee" step for a fee rule', () => {
      const data = variant(JUMINHYO, (d) => (d.steps = ['form', 'identity', 'review', 'issue', 'notify']));
      expect(validate(data)).toEqual([problem('/steps', 'fee rule "perCopy" needs a "fee" step')]);
    });

    it('refuses a "fee" step without a fee rule', () => {
      const data = variant(TAIYOKO, (d) => (d.steps = ['form', 'identity', 'fee', 'review', 'approval', 'issue', 'notify']));
      expect(validate(data)).toEqual([problem('/steps/2', 'a "fee" step needs a fee rule other than "none"')]);
    });

    it('requires a review before a fee paid after assessment', () => {
      const data = variant(JUMINHYO, (d) => (d.fee.timing = 'afterAssessment'));
      expect(validate(data)).toEqual([problem('/steps/2', 'a fee paid after assessment needs a "review" step before the "fee" step')]);
    });

    it('requires some review for a fee paid after assessment', () => {
      const data = variant(JUMINHYO, (d) => {
        d.fee.timing = 'afterAssessment';
        d.steps = ['form', 'identity', 'fee', 'issue', 'notify'];
      });
      expect(validate(data)).toEqual([problem('/steps/2', 'a fee paid after assessment needs a "review" step before the "fee" step')]);
    });

    it('accepts a fee paid after assessment that follows the review', () => {
      const data = variant(JUMINHYO, (d) => {
        d.fee.timing = 'afterAssessment';
        d.steps = ['form', 'identity', 'review', 'fee', 'issue', 'notify'];
      });
      expect(validate(data)).toEqual([]);
    });

    it('refuses a fee paid at submission after the review', () => {
      const data = variant(JUMINHYO, (d) => (d.steps = ['form', 'identity', 'review', 'fee', 'issue', 'notify']));
      expect(validate(data)).toEqual([problem('/steps/3', 'a fee paid at submission must come before the "review" step')]);
    });

    it('refuses duplicate reduction codes', () => {
      const data = variant(JUMINHYO, (d) => {
        const label = { ja: '免除', en: 'Exemption' };
        d.fee.reductions = [
          { code: 'welfare', label, percent: 100 },
          { code: 'welfare', label, percent: 50 },
        ];
      });
      expect(validate(data)).toEqual([problem('/fee/reductions/1/code', 'duplicate reduction "welfare"')]);
    });
  });

  describe('document', () => {
    it('requires an "issue" step for a document', () => {
      const data = variant(JUMINHYO, (d) => (d.steps = ['form', 'identity', 'fee', 'review', 'notify']));
      expect(validate(data)).toEqual([problem('/document', 'a document needs an "issue" step to issue it')]);
    });

    it('requires a document for an "issue" step', () => {
      const data = variant(JUMINHYO, (d) => (d.document = null));
      expect(validate(data)).toEqual([problem('/document', 'an "issue" step needs a document')]);
    });
  });

  it('reports every cross-field problem of one definition together', () => {
    const data = variant(TAIYOKO, (d) => {
      d.department = 'somu';
      d.approvalRoute = [];
      d.document = null;
    });
    expect(validate(data)).toEqual([
      problem('/department', 'unknown department "somu" (known: shimin, zeimu, kankyo, sports, zaisei)'),
      problem('/approvalRoute', 'an "approval" step needs an approval route'),
      problem('/document', 'an "issue" step needs a document'),
    ]);
  });
});
