import { validateDefinition } from '../definition/definition-validator';
import type { ProcedureDefinition } from '../definition/procedure-definition';
import { WorkflowError, WorkflowErrorCode } from '../workflow.errors';
import { CompiledProcedure, SnapshotRestoreError, type StepResult } from './compiled-procedure';
import type { PersistedSnapshot, WorkflowActor } from './workflow-types';
import { MACHINE_EFFECT_TOPICS } from './procedure-machine';

const AT = '2026-11-22T01:00:00.000Z';
const resident: WorkflowActor = { kind: 'resident', id: 'resident-1' };
const clerk: WorkflowActor = { kind: 'staff', id: 'clerk-1' };
const system: WorkflowActor = { kind: 'system', id: 'system' };
const provider: WorkflowActor = { kind: 'provider', id: 'payments' };
const kakaricho: WorkflowActor = { kind: 'staff', id: 'approver-1', level: 'kakaricho' };
const kacho: WorkflowActor = { kind: 'staff', id: 'approver-2', level: 'kacho' };
const bucho: WorkflowActor = { kind: 'staff', id: 'approver-3', level: 'bucho' };

const paidFee = { rule: 'fixed', amount: 300, revenueAccountCode: '14-02-01-01', paymentDeadlineHours: 24 } as const;
const document = { kind: 'certificate', name: { ja: '証明書', en: 'Certificate' }, delivery: 'online' } as const;

/**
 * A valid definition: form, review and notify, no fee, no route, no document.
 * Every test definition is checked by the validator first, so the machine is
 * only ever exercised with definitions that could be loaded.
 */
function definition(overrides: Partial<ProcedureDefinition> = {}): ProcedureDefinition {
  const result: ProcedureDefinition = {
    code: 'test-procedure',
    version: 3,
    name: { ja: 'テスト手続', en: 'Test procedure' },
    category: 'notification',
    department: 'shimin',
    nationalCategory: null,
    targeted: false,
    channels: { online: { openedOn: '2024-04-01' } },
    identity: 'account',
    form: { schema: { type: 'object', required: ['copies'], properties: { copies: { type: 'integer', minimum: 1 } } } },
    fee: { rule: 'none' },
    approvalRoute: [],
    document: null,
    steps: ['form', 'review', 'notify'],
    ...overrides,
  };
  const errors = validateDefinition(result, 'test', { departments: ['shimin'] });
  if (errors.length > 0) throw new Error(`test definition is invalid: ${JSON.stringify(errors)}`);
  return result;
}

const compile = (overrides: Partial<ProcedureDefinition> = {}) => new CompiledProcedure(definition(overrides));

interface Send {
  type: string;
  actor?: WorkflowActor;
  payload?: Record<string, unknown>;
  at?: string;
}

const event = ({ type, actor = resident, payload = {}, at = AT }: Send) => ({ type, actor, payload, at });

/** Sends the events in turn from the initial snapshot; returns every step. */
function run(compiled: CompiledProcedure, sends: Send[], from: PersistedSnapshot = compiled.initialSnapshot()): StepResult[] {
  const results: StepResult[] = [];
  let snapshot = from;
  for (const send of sends) {
    const result = compiled.step(snapshot, event(send));
    results.push(result);
    snapshot = result.snapshot;
  }
  return results;
}

const statesOf = (results: StepResult[]) => results.map((result) => result.to);
const last = (results: StepResult[]) => results[results.length - 1];

/** The WorkflowError thrown by `action`; fails the test when nothing is thrown. */
function workflowError(action: () => unknown): WorkflowError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError);
    return error as WorkflowError;
  }
  throw new Error('expected a WorkflowError');
}

const submit = (amount?: number): Send => ({ type: 'resident.submit', payload: amount === undefined ? {} : { amount } });
const accept: Send = { type: 'staff.accept', actor: clerk };
const paid: Send = { type: 'payment.succeeded', actor: provider };
const issued: Send = { type: 'document.issued', actor: system };
const sent: Send = { type: 'notification.sent', actor: system };
/** The approvals library names the step decided and whether the route is complete. */
const approve = (actor: WorkflowActor, step: number, routeComplete: boolean, comment?: string): Send => ({
  type: 'approver.approve',
  actor,
  payload: { step, routeComplete, ...(comment ? { comment } : {}) },
});

describe('CompiledProcedure', () => {
  describe('state sequences', () => {
    it('starts in draft with the machine id and version of the definition', () => {
      const compiled = compile();
      const initial = compiled.initialSnapshot();
      expect(compiled.stateOf(initial)).toBe('draft');
      expect(initial.status).toBe('active');
      expect(compiled.machine.id).toBe('test-procedure@v3');
      expect(compiled.allowedEvents(initial)).toEqual(['resident.discard', 'resident.submit']);
    });

    it('runs review then notify, and a discarded draft ends', () => {
      const compiled = compile();
      expect(compiled.stateNames).toEqual(['draft', 'underReview', 'notifying', 'returned', 'completed', 'withdrawn', 'rejected', 'expired', 'discarded']);
      const results = run(compiled, [submit(), accept, sent]);
      expect(statesOf(results)).toEqual(['underReview', 'notifying', 'completed']);
      expect(last(results).snapshot.status).toBe('done');
      expect(compiled.allowedEvents(last(results).snapshot)).toEqual([]);

      const discarded = run(compiled, [{ type: 'resident.discard' }]);
      expect(statesOf(discarded)).toEqual(['discarded']);
      expect(discarded[0].snapshot.status).toBe('done');
    });

    it('fee at submission: payment comes before the review', () => {
      const compiled = compile({
        category: 'certificate',
        fee: { ...paidFee, timing: 'atSubmission' },
        document,
        steps: ['form', 'identity', 'fee', 'review', 'issue', 'notify'],
      });
      const results = run(compiled, [submit(300), paid, accept, issued, sent]);
      expect(statesOf(results)).toEqual(['awaitingPayment', 'underReview', 'issuing', 'notifying', 'completed']);
      expect(results[0].context.fee).toEqual({ amount: 300 });
      expect(last(results).context.fee).toEqual({ amount: 300 });
    });

    it('fee at submission: a zero amount (exemption) skips the payment', () => {
      const compiled = compile({
        category: 'certificate',
        fee: { ...paidFee, timing: 'atSubmission' },
        document,
        steps: ['form', 'identity', 'fee', 'review', 'issue', 'notify'],
      });
      const [submitted] = run(compiled, [submit(0)]);
      expect(submitted.to).toBe('underReview');
      expect(submitted.context.fee).toEqual({ amount: 0 });
    });

    it('fee at submission as the last step: a zero amount completes the application', () => {
      const compiled = compile({ fee: { ...paidFee, timing: 'atSubmission' }, steps: ['form', 'fee'] });
      expect(statesOf(run(compiled, [submit(0)]))).toEqual(['completed']);
      expect(statesOf(run(compiled, [submit(300), paid]))).toEqual(['awaitingPayment', 'completed']);
    });

    it('fee after assessment: the amount is set after the review, then paid', () => {
      const compiled = compile({
        category: 'certificate',
        fee: { ...paidFee, rule: 'perSlot', timing: 'afterAssessment' },
        document,
        steps: ['form', 'review', 'fee', 'issue'],
      });
      const results = run(compiled, [submit(), accept, { type: 'staff.assessFee', actor: clerk, payload: { amount: 2000 } }, paid, issued]);
      expect(statesOf(results)).toEqual(['underReview', 'awaitingAssessment', 'awaitingPayment', 'issuing', 'completed']);
      expect(results[0].context.fee).toEqual({ amount: null });
      expect(results[2].context.fee).toEqual({ amount: 2000 });
    });

    it('fee after assessment: a zero assessment skips the payment', () => {
      const compiled = compile({
        category: 'certificate',
        fee: { ...paidFee, rule: 'perSlot', timing: 'afterAssessment' },
        document,
        steps: ['form', 'review', 'fee', 'issue'],
      });
      const results = run(compiled, [submit(), accept, { type: 'staff.assessFee', actor: clerk, payload: { amount: 0 } }]);
      expect(statesOf(results)).toEqual(['underReview', 'awaitingAssessment', 'issuing']);
      expect(last(results).context.fee).toEqual({ amount: 0 });
    });

    it('fee after assessment: refuses an amount that is not a non-negative integer', () => {
      const compiled = compile({
        fee: { ...paidFee, rule: 'perSlot', timing: 'afterAssessment' },
        steps: ['form', 'review', 'fee'],
      });
      const [, assessing] = run(compiled, [submit(), accept]);
      for (const amount of [-1, 1.5, '300', null]) {
        const error = workflowError(() => compiled.step(assessing.snapshot, event({ type: 'staff.assessFee', actor: clerk, payload: { amount } })));
        expect(error.code).toBe(WorkflowErrorCode.ConditionsNotMet);
      }
    });

    it('approval with one level', () => {
      const compiled = compile({ approvalRoute: [{ role: 'approver', level: 'kacho' }], steps: ['form', 'review', 'approval', 'notify'] });
      const results = run(compiled, [submit(), accept, approve(kacho, 0, true, ' 異議なし '), sent]);
      expect(statesOf(results)).toEqual(['underReview', 'underApproval', 'notifying', 'completed']);
      expect(results[2].context.approvals).toEqual([{ step: 0, level: 'kacho', by: 'approver-2', at: AT, comment: '異議なし' }]);
    });

    it('an approval must name its step and whether the route is complete', () => {
      const compiled = compile({ approvalRoute: [{ role: 'approver', level: 'kacho' }], steps: ['form', 'review', 'approval', 'notify'] });
      const [, approving] = run(compiled, [submit(), accept]);
      for (const payload of [{}, { step: 0 }, { step: -1, routeComplete: true }, { step: 'x', routeComplete: true }, { step: 9, routeComplete: true }, { step: 0, routeComplete: 'yes' }]) {
        const error = workflowError(() => compiled.step(approving.snapshot, event({ type: 'approver.approve', actor: bucho, payload })));
        expect(error.code).toBe(WorkflowErrorCode.ConditionsNotMet);
      }
      expect(compiled.step(approving.snapshot, event(approve(bucho, 0, true))).to).toBe('notifying');
    });

    it('approval with three levels: stays in underApproval until the last', () => {
      const compiled = compile({
        approvalRoute: [
          { role: 'approver', level: 'kakaricho' },
          { role: 'approver', level: 'kacho' },
          { role: 'approver', level: 'bucho' },
        ],
        steps: ['form', 'review', 'approval', 'notify'],
      });
      const results = run(compiled, [submit(), accept, approve(kakaricho, 0, false), approve(kacho, 1, false), approve(bucho, 2, true)]);
      expect(statesOf(results)).toEqual(['underReview', 'underApproval', 'underApproval', 'underApproval', 'notifying']);
      expect(results.map((result) => result.entered)).toEqual([true, true, false, false, true]);
      expect(results[4].context.approvals.map((approval) => [approval.step, approval.level, approval.by])).toEqual([
        [0, 'kakaricho', 'approver-1'],
        [1, 'kacho', 'approver-2'],
        [2, 'bucho', 'approver-3'],
      ]);
    });

    it('a self-transition (middle approval) is not "entered" and keeps the state meta', () => {
      const compiled = compile({
        approvalRoute: [
          { role: 'approver', level: 'kakaricho' },
          { role: 'approver', level: 'kacho' },
        ],
        steps: ['form', 'review', 'approval', 'notify'],
      });
      const results = run(compiled, [submit(), accept, approve(kakaricho, 0, false)]);
      expect(last(results)).toMatchObject({ from: 'underApproval', to: 'underApproval', entered: false });
      expect(last(results).meta).toEqual(compiled.metaOf('underApproval'));
    });

    it('booking: held, reviewed, assessed, paid, issued', () => {
      const compiled = compile({
        category: 'booking',
        fee: { ...paidFee, rule: 'perSlot', timing: 'afterAssessment', paymentDeadlineHours: 72 },
        document: { ...document, kind: 'permit' },
        steps: ['form', 'identity', 'booking', 'review', 'fee', 'issue', 'notify'],
      });
      const results = run(compiled, [
        submit(),
        { type: 'booking.confirmed', actor: system },
        accept,
        { type: 'staff.assessFee', actor: clerk, payload: { amount: 1000 } },
        paid,
        issued,
        sent,
      ]);
      expect(statesOf(results)).toEqual(['awaitingBooking', 'underReview', 'awaitingAssessment', 'awaitingPayment', 'issuing', 'notifying', 'completed']);
      expect(results[0].meta.effects).toEqual([{ topic: 'booking.hold' }]);
    });

    it('booking with the fee at submission: the confirmation carries the slots\' fee into the payment step', () => {
      const compiled = compile({
        category: 'booking',
        fee: { ...paidFee, rule: 'perSlot', timing: 'atSubmission', paymentDeadlineHours: 72 },
        document: { ...document, kind: 'permit' },
        steps: ['form', 'identity', 'booking', 'fee', 'issue', 'notify'],
      });
      const [held] = run(compiled, [submit()]);
      expect(held.to).toBe('awaitingBooking');
      expect(held.context.fee.amount).toBeNull();
      const confirmed = compiled.step(held.snapshot, event({ type: 'booking.confirmed', actor: system, payload: { amount: 1500 } }));
      expect(confirmed).toMatchObject({ to: 'awaitingPayment', entered: true });
      expect(confirmed.context.fee.amount).toBe(1500);
      expect(confirmed.meta.effects).toEqual([{ topic: 'payment.request' }]);
      // A fully reduced booking (減免 100%) skips the payment.
      const exempt = compiled.step(held.snapshot, event({ type: 'booking.confirmed', actor: system, payload: { amount: 0 } }));
      expect(exempt.to).toBe('issuing');
      expect(exempt.context.fee.amount).toBe(0);
      // Without an amount the fee of the submission stands; a malformed one is refused.
      const [heldWithFee] = run(compiled, [submit(700)]);
      expect(compiled.step(heldWithFee.snapshot, event({ type: 'booking.confirmed', actor: system })).context.fee.amount).toBe(700);
      for (const amount of [-1, 1.5, '1500', null]) {
        expect(() => compiled.step(held.snapshot, event({ type: 'booking.confirmed', actor: system, payload: { amount } }))).toThrow(
          expect.objectContaining({ code: WorkflowErrorCode.ConditionsNotMet }),
        );
      }
    });

    it('booking: a released hold expires the application', () => {
      const compiled = compile({ category: 'booking', steps: ['form', 'booking', 'notify'] });
      const results = run(compiled, [submit(), { type: 'booking.released', actor: system }]);
      expect(statesOf(results)).toEqual(['awaitingBooking', 'expired']);
      expect(last(results).snapshot.status).toBe('done');
    });

    it('procedures without review have no "returned" state', () => {
      const withoutReview = compile({ approvalRoute: [{ role: 'approver', level: 'kacho' }], steps: ['form', 'approval', 'notify'] });
      expect(withoutReview.stateNames).not.toContain('returned');
      expect(withoutReview.stateNames).not.toContain('underReview');
      expect(statesOf(run(withoutReview, [submit(), approve(kacho, 0, true), sent]))).toEqual(['underApproval', 'notifying', 'completed']);
      expect(compile().stateNames).toContain('returned');
    });

    it('a payment deadline expires the application', () => {
      const compiled = compile({ fee: { ...paidFee, timing: 'atSubmission' }, steps: ['form', 'fee', 'review'] });
      const results = run(compiled, [submit(300), { type: 'deadline.reached', actor: system }]);
      expect(statesOf(results)).toEqual(['awaitingPayment', 'expired']);
    });
  });

  describe('withdrawal', () => {
    const compiled = compile({
      category: 'certificate',
      fee: { ...paidFee, rule: 'perSlot', timing: 'afterAssessment' },
      approvalRoute: [{ role: 'approver', level: 'kakaricho' }],
      document,
      steps: ['form', 'review', 'fee', 'approval', 'issue', 'notify'],
    });
    const path: Send[] = [
      submit(),
      accept,
      { type: 'staff.assessFee', actor: clerk, payload: { amount: 500 } },
      paid,
      approve(kakaricho, 0, true),
      issued,
      sent,
    ];
    const snapshots = (() => {
      const results = run(compiled, path);
      return Object.fromEntries(results.map((result) => [result.to, result.snapshot])) as Record<string, PersistedSnapshot>;
    })();
    const returned = run(compiled, [submit(), { type: 'staff.sendBack', actor: clerk, payload: { fields: ['copies'], message: '通数をご確認ください' } }]);
    snapshots.returned = last(returned).snapshot;

    it.each(['underReview', 'returned', 'awaitingAssessment', 'awaitingPayment', 'underApproval'])('is allowed in %s, before a decision', (state) => {
      expect(compiled.metaOf(state).decided).toBe(false);
      const result = compiled.step(snapshots[state], event({ type: 'resident.withdraw', payload: { reason: ' 不要になった ' } }));
      expect(result).toMatchObject({ from: state, to: 'withdrawn', entered: true });
      expect(result.context.withdrawal).toEqual({ reason: '不要になった', at: AT });
      expect(result.meta.effects).toEqual([{ topic: 'application.withdrawn' }]);
    });

    it('records no reason when none is given', () => {
      const result = compiled.step(snapshots.underReview, event({ type: 'resident.withdraw' }));
      expect(result.context.withdrawal).toEqual({ reason: null, at: AT });
    });

    it('is allowed while a booking is held', () => {
      const booking = compile({ category: 'booking', steps: ['form', 'booking', 'review'] });
      const [held] = run(booking, [submit()]);
      expect(booking.step(held.snapshot, event({ type: 'resident.withdraw' })).to).toBe('withdrawn');
    });

    it.each(['issuing', 'notifying', 'completed'])('is refused in %s, after the decision', (state) => {
      expect(compiled.metaOf(state).decided).toBe(true);
      const error = workflowError(() => compiled.step(snapshots[state], event({ type: 'resident.withdraw' })));
      expect(error.code).toBe(WorkflowErrorCode.EventNotAllowed);
      expect(error.httpStatus).toBe(409);
    });

    it.each([
      ['withdrawn', { type: 'resident.withdraw' }],
      ['rejected', { type: 'staff.reject', actor: clerk, payload: { reason: '要件を満たさない' } }],
    ] as Array<[string, Send]>)('is refused once %s', (_state, ending) => {
      const ended = compiled.step(snapshots.underReview, event(ending));
      const error = workflowError(() => compiled.step(ended.snapshot, event({ type: 'resident.withdraw' })));
      expect(error.details).toMatchObject({ event: 'resident.withdraw', allowedEvents: [] });
    });

    it('is not how a draft ends (it is discarded)', () => {
      const error = workflowError(() => compiled.step(compiled.initialSnapshot(), event({ type: 'resident.withdraw' })));
      expect(error.details).toEqual({ event: 'resident.withdraw', state: 'draft', allowedEvents: ['resident.discard', 'resident.submit'] });
    });
  });

  describe('staff decisions', () => {
    const compiled = compile({
      approvalRoute: [
        { role: 'approver', level: 'kakaricho' },
        { role: 'approver', level: 'kacho' },
      ],
      steps: ['form', 'review', 'approval', 'notify'],
    });
    const [reviewing] = run(compiled, [submit()]);

    it('a rejection needs a reason', () => {
      for (const payload of [{}, { reason: '' }, { reason: '   ' }, { reason: 42 }]) {
        const error = workflowError(() => compiled.step(reviewing.snapshot, event({ type: 'staff.reject', actor: clerk, payload })));
        expect(error.code).toBe(WorkflowErrorCode.ConditionsNotMet);
        expect(error.httpStatus).toBe(422);
        expect(error.details).toEqual({ event: 'staff.reject', state: 'underReview' });
      }
      const result = compiled.step(reviewing.snapshot, event({ type: 'staff.reject', actor: clerk, payload: { reason: ' 対象外です ' } }));
      expect(result.to).toBe('rejected');
      expect(result.context.rejection).toEqual({ reason: '対象外です', by: 'clerk-1', at: AT });
      expect(result.meta).toMatchObject({ phase: 'final', decided: true, effects: [{ topic: 'application.rejected' }] });
    });

    it('an approver rejection needs a reason too', () => {
      const [approving] = run(compiled, [accept], reviewing.snapshot);
      const error = workflowError(() => compiled.step(approving.snapshot, event({ type: 'approver.reject', actor: kacho, payload: {} })));
      expect(error.code).toBe(WorkflowErrorCode.ConditionsNotMet);
      const result = compiled.step(approving.snapshot, event({ type: 'approver.reject', actor: kacho, payload: { reason: '予算超過' } }));
      expect(result.to).toBe('rejected');
      expect(result.context.rejection).toEqual({ reason: '予算超過', by: 'approver-2', at: AT });
    });

    it('a send-back needs non-empty fields and a message', () => {
      const refused = [
        {},
        { fields: [], message: '修正してください' },
        { fields: 'copies', message: '修正してください' },
        { fields: [''], message: '修正してください' },
        { fields: ['copies', 3], message: '修正してください' },
        { fields: ['copies'] },
        { fields: ['copies'], message: '  ' },
      ];
      for (const payload of refused) {
        const error = workflowError(() => compiled.step(reviewing.snapshot, event({ type: 'staff.sendBack', actor: clerk, payload })));
        expect({ payload, code: error.code }).toEqual({ payload, code: WorkflowErrorCode.ConditionsNotMet });
      }
    });

    it('a send-back returns the application, and a resubmission brings it back to review', () => {
      const results = run(
        compiled,
        [
          { type: 'staff.sendBack', actor: clerk, payload: { fields: ['copies'], message: ' 通数をご確認ください ' } },
          { type: 'resident.resubmit' },
          { type: 'staff.sendBack', actor: clerk, payload: { fields: ['copies'], message: 'もう一度' } },
          { type: 'resident.resubmit' },
          accept,
        ],
        reviewing.snapshot,
      );
      expect(statesOf(results)).toEqual(['returned', 'underReview', 'returned', 'underReview', 'underApproval']);
      expect(results[0].context.sendBack).toEqual({ fields: ['copies'], message: '通数をご確認ください', by: 'clerk-1', at: AT });
      // Nothing consumes a return as a message: the resident hears of it through notification.resident.
      expect(results[0].meta.effects).toEqual([]);
      expect(results[3].context.sendBackCount).toBe(2);
      expect(results[4].context.sendBack).toBeNull();
      expect(results[4].context.sendBackCount).toBe(2);
    });

    it('an approver return needs a comment and starts a new round of approvals', () => {
      const [, afterFirst] = run(compiled, [accept, approve(kakaricho, 0, false)], reviewing.snapshot);
      expect(afterFirst.context.approvals).toHaveLength(1);
      for (const payload of [{}, { comment: '差戻し' }, { to: 'clerk', comment: ' ' }, { to: 'elsewhere', comment: '差戻し' }]) {
        const error = workflowError(() => compiled.step(afterFirst.snapshot, event({ type: 'approver.return', actor: kacho, payload })));
        expect(error.code).toBe(WorkflowErrorCode.ConditionsNotMet);
      }
      const returned = compiled.step(afterFirst.snapshot, event({ type: 'approver.return', actor: kacho, payload: { to: 'clerk', comment: '金額を再確認' } }));
      expect(returned.to).toBe('underReview');
      expect(returned.context.approvals).toEqual([]);
      expect(returned.context.returnedByApprover).toEqual({ comment: '金額を再確認', by: 'approver-2', at: AT });

      // The new round starts again at the first step of the route.
      const again = run(compiled, [accept, approve(kakaricho, 0, false), approve(kacho, 1, true)], returned.snapshot);
      expect(statesOf(again)).toEqual(['underApproval', 'underApproval', 'notifying']);
      expect(last(again).context.approvals.map((approval) => approval.step)).toEqual([0, 1]);
    });

    it('without a review, an approver return restarts the route in place', () => {
      const noReview = compile({
        approvalRoute: [
          { role: 'approver', level: 'kakaricho' },
          { role: 'approver', level: 'kacho' },
        ],
        steps: ['form', 'approval', 'notify'],
      });
      const results = run(noReview, [submit(), approve(kakaricho, 0, false), { type: 'approver.return', actor: kacho, payload: { to: 'clerk', comment: '再検討' } }]);
      expect(last(results)).toMatchObject({ from: 'underApproval', to: 'underApproval', entered: false });
      expect(last(results).context.approvals).toEqual([]);
      expect(noReview.step(last(results).snapshot, event(approve(kacho, 0, false))).to).toBe('underApproval');
    });

    it('a return to the previous step stays in approval and drops that step\'s approval', () => {
      const [, first, second] = run(compiled, [accept, approve(kakaricho, 0, false), approve(kacho, 1, false)], reviewing.snapshot);
      expect(second.context.approvals.map((approval) => approval.step)).toEqual([0, 1]);
      const back = compiled.step(second.snapshot, event({ type: 'approver.return', actor: bucho, payload: { to: 'previous', step: 2, comment: '根拠資料を添付' } }));
      expect(back).toMatchObject({ from: 'underApproval', to: 'underApproval', entered: false });
      expect(back.context.approvals.map((approval) => approval.step)).toEqual([0]);
      expect(first.context.approvals).toHaveLength(1);
    });
  });

  describe('errors', () => {
    const compiled = compile();
    const [reviewing] = run(compiled, [submit()]);

    it('an unknown event type is a 400 WORKFLOW_UNKNOWN_EVENT', () => {
      const error = workflowError(() => compiled.step(reviewing.snapshot, event({ type: 'resident.dance' })));
      expect(error.code).toBe('WORKFLOW_UNKNOWN_EVENT');
      expect(error.httpStatus).toBe(400);
      expect(error.details).toEqual({ event: 'resident.dance' });
      expect(error.userMessage.ja).toContain('resident.dance');
    });

    it('an internal XState event type is unknown too', () => {
      const error = workflowError(() => compiled.step(reviewing.snapshot, event({ type: 'xstate.init' })));
      expect(error.code).toBe('WORKFLOW_UNKNOWN_EVENT');
    });

    it('an event the state does not accept is a 409 listing the allowed events, sorted', () => {
      const error = workflowError(() => compiled.step(reviewing.snapshot, event({ type: 'payment.succeeded', actor: provider })));
      expect(error.code).toBe('WORKFLOW_EVENT_NOT_ALLOWED');
      expect(error.httpStatus).toBe(409);
      expect(error.details).toEqual({
        event: 'payment.succeeded',
        state: 'underReview',
        allowedEvents: ['resident.withdraw', 'staff.accept', 'staff.reject', 'staff.sendBack'],
      });
      expect(compiled.allowedEvents(reviewing.snapshot)).toEqual(['resident.withdraw', 'staff.accept', 'staff.reject', 'staff.sendBack']);
    });

    it('an accepted event whose guard fails is a 422', () => {
      const error = workflowError(() => compiled.step(reviewing.snapshot, event({ type: 'staff.reject', actor: clerk })));
      expect(error.code).toBe('WORKFLOW_EVENT_CONDITIONS_NOT_MET');
      expect(error.httpStatus).toBe(422);
    });

    it('a refused event leaves the given snapshot untouched', () => {
      const before = JSON.stringify(reviewing.snapshot);
      workflowError(() => compiled.step(reviewing.snapshot, event({ type: 'staff.reject', actor: clerk })));
      expect(JSON.stringify(reviewing.snapshot)).toBe(before);
    });
  });

  describe('state meta', () => {
    const compiled = compile({
      category: 'certificate',
      fee: { ...paidFee, timing: 'atSubmission', paymentDeadlineHours: 36 },
      document,
      steps: ['form', 'identity', 'fee', 'review', 'issue', 'notify'],
    });

    it('awaitingPayment asks for a payment and a deadline timer from paymentDeadlineHours', () => {
      const [submitted] = run(compiled, [submit(300)]);
      expect(submitted.meta).toEqual({
        phase: 'active',
        label: { ja: 'お支払い待ち', en: 'Awaiting payment' },
        step: 'fee',
        decided: false,
        effects: [{ topic: 'payment.request' }],
        // A day before the deadline, but not before halfway through it.
        timers: [
          { event: 'deadline.reached', afterMs: 36 * 60 * 60 * 1000 },
          { event: 'reminder.deadlineApproaching', afterMs: 18 * 60 * 60 * 1000 },
        ],
      });
    });

    it('falls back to 72 hours when a definition gives no payment deadline', () => {
      // Loaded definitions always carry paymentDeadlineHours; published rows
      // from before the rule may not.
      const fee = { rule: 'fixed', amount: 300, timing: 'atSubmission', revenueAccountCode: '1' } as const;
      const unchecked = new CompiledProcedure({ ...definition(), fee, steps: ['form', 'fee', 'review'] });
      expect(unchecked.metaOf('awaitingPayment').timers).toEqual([
        { event: 'deadline.reached', afterMs: 72 * 60 * 60 * 1000 },
        { event: 'reminder.deadlineApproaching', afterMs: 48 * 60 * 60 * 1000 },
      ]);
    });

    it('reminds halfway through a deadline shorter than two days', () => {
      const fee = { rule: 'fixed', amount: 300, timing: 'atSubmission', revenueAccountCode: '1', paymentDeadlineHours: 24 } as const;
      const short = new CompiledProcedure({ ...definition(), fee, steps: ['form', 'fee', 'review'] });
      expect(short.metaOf('awaitingPayment').timers[1]).toEqual({ event: 'reminder.deadlineApproaching', afterMs: 12 * 60 * 60 * 1000 });
    });

    it('issuing and notifying are decided and carry their effects, without timers', () => {
      expect(compiled.metaOf('issuing')).toMatchObject({ phase: 'active', step: 'issue', decided: true, effects: [{ topic: 'document.issue' }], timers: [] });
      expect(compiled.metaOf('notifying')).toMatchObject({ phase: 'active', step: 'notify', decided: true, effects: [{ topic: 'notification.send' }], timers: [] });
    });

    it('review and draft ask for nothing', () => {
      expect(compiled.metaOf('underReview')).toMatchObject({ phase: 'active', step: 'review', decided: false, effects: [], timers: [] });
      expect(compiled.metaOf('draft')).toMatchObject({ phase: 'draft', step: null, decided: false, effects: [], timers: [] });
    });

    it.each([
      ['withdrawn', 'application.withdrawn'],
      ['rejected', 'application.rejected'],
      ['expired', 'application.expired'],
    ])('final state %s announces %s', (state, topic) => {
      expect(compiled.metaOf(state)).toEqual({ phase: 'final', label: expect.any(Object), step: null, decided: true, effects: [{ topic }], timers: [] });
    });

    it('a completed application announces nothing (no handler; application.completed piled up in the outbox)', () => {
      expect(compiled.metaOf('completed')).toMatchObject({ phase: 'final', decided: true, effects: [] });
    });

    it('every effect a machine can announce is one of MACHINE_EFFECT_TOPICS', () => {
      const states = ['draft', 'underReview', 'returned', 'completed', 'withdrawn', 'rejected', 'expired', 'discarded'];
      for (const state of states) {
        for (const effect of compiled.metaOf(state).effects) expect(MACHINE_EFFECT_TOPICS).toContain(effect.topic);
      }
    });

    it('a discarded draft announces nothing', () => {
      expect(compiled.metaOf('discarded')).toMatchObject({ phase: 'final', effects: [], timers: [] });
    });

    it('an unknown state has no meta', () => {
      expect(() => compiled.metaOf('ghost')).toThrow(SnapshotRestoreError);
    });
  });

  describe('purity and persistence', () => {
    const compiled = compile({
      approvalRoute: [
        { role: 'approver', level: 'kakaricho' },
        { role: 'approver', level: 'kacho' },
      ],
      steps: ['form', 'review', 'approval', 'notify'],
    });

    it('never reads the clock: the same snapshot and event give the same result', async () => {
      const [, approving] = run(compiled, [submit(), accept]);
      const first = compiled.step(approving.snapshot, event(approve(kakaricho, 0, false, 'OK')));
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = compiled.step(approving.snapshot, event(approve(kakaricho, 0, false, 'OK')));
      expect(second).toEqual(first);
      expect(first.context.approvals[0].at).toBe(AT);
    });

    it('the time recorded is the event time', () => {
      const [reviewing] = run(compiled, [submit()]);
      const at = '2030-01-02T03:04:05.000Z';
      const result = compiled.step(reviewing.snapshot, event({ type: 'staff.reject', actor: clerk, payload: { reason: 'x' }, at }));
      expect(result.context.rejection?.at).toBe(at);
    });

    it('a persisted snapshot survives a JSON round trip and continues', () => {
      const [, , middle] = run(compiled, [submit(), accept, approve(kakaricho, 0, false)]);
      const stored = JSON.parse(JSON.stringify(middle.snapshot)) as PersistedSnapshot;
      expect(stored).toEqual(middle.snapshot);
      expect(compiled.restore(stored).value).toBe('underApproval');

      const fromStored = compiled.step(stored, event(approve(kacho, 1, true)));
      const fromMemory = compiled.step(middle.snapshot, event(approve(kacho, 1, true)));
      expect(fromStored.to).toBe('notifying');
      expect(fromStored).toEqual(fromMemory);
      expect(fromStored.context.approvals).toHaveLength(2);
    });

    it('restores a snapshot in another instance compiled from the same definition', () => {
      const [reviewing] = run(compiled, [submit()]);
      const other = new CompiledProcedure(compiled.definition);
      expect(other.step(reviewing.snapshot, event(accept)).to).toBe('underApproval');
    });

    it('refuses a snapshot whose state no longer exists', () => {
      const [reviewing] = run(compiled, [submit()]);
      const ghost = { ...reviewing.snapshot, value: 'ghost' };
      expect(() => compiled.restore(ghost)).toThrow(SnapshotRestoreError);
      expect(() => compiled.allowedEvents(ghost)).toThrow(SnapshotRestoreError);
      expect(() => compiled.step(ghost, event(accept))).toThrow(SnapshotRestoreError);
    });

    it('refuses a snapshot of a state this version does not have', () => {
      const withoutReview = compile({ approvalRoute: [{ role: 'approver', level: 'kacho' }], steps: ['form', 'approval', 'notify'] });
      const [reviewing] = run(compiled, [submit()]);
      expect(() => withoutReview.step(reviewing.snapshot, event(approve(kacho, 0, true)))).toThrow(SnapshotRestoreError);
      expect(() => withoutReview.restore(reviewing.snapshot)).toThrow(/underReview/);
    });

    it('refuses a snapshot with status "error"', () => {
      const [reviewing] = run(compiled, [submit()]);
      const broken = { ...reviewing.snapshot, status: 'error', error: 'boom' };
      expect(() => compiled.restore(broken)).toThrow(SnapshotRestoreError);
      expect(() => compiled.step(broken, event(accept))).toThrow(SnapshotRestoreError);
    });
  });

  describe('form validation', () => {
    const compiled = compile();

    it('accepts valid answers and names the fields of invalid ones, in Japanese and English', () => {
      const title = (compiled.definition.form.schema.properties as Record<string, { title?: string }>).copies.title;
      const named = title ? `「${title}」` : 'この項目';
      expect(compiled.validateForm({ copies: 2 })).toEqual([]);
      expect(compiled.validateForm({})).toEqual([
        { field: 'copies', keyword: 'required', message: { ja: `${named}を入力してください。`, en: expect.stringContaining('is required') } },
      ]);
      expect(compiled.validateForm({ copies: 0 })).toEqual([
        { field: 'copies', keyword: 'minimum', message: { ja: `${named}は1以上にしてください。`, en: expect.stringContaining('at least 1') } },
      ]);
      expect(compiled.validateForm('text')).toEqual([
        { field: '(form)', keyword: 'type', message: { ja: 'この項目の形式が正しくありません。', en: expect.stringContaining('wrong type') } },
      ]);
    });
  });
});
