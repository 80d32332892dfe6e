import { assign, createMachine, type AnyStateMachine } from 'xstate';
import {
  type LocalizedText,
  type ProcedureDefinition,
  type StepKind,
} from '../definition/procedure-definition';
import type { StateMeta, WorkflowContext, WorkflowEvent } from './workflow-types';
import { declareOutboxTopic, type OutboxTopic } from '@madoguchi/kernel';

/**
 * Bump when the generated machine shape changes. Snapshots stored by earlier
 * compiler versions must still restore (see the snapshot fixtures in tests).
 *
 * 3: procedures with a booking step accept `booking.cancelled` once the
 *    booking is confirmed (issuing, notifying, completed) and end in
 *    `cancelled`; their `completed` is therefore no longer an XState final
 *    state (CompiledProcedure.restore reopens a version-2 `done` snapshot).
 */
export const COMPILER_VERSION = 3;

/**
 * Reminder timers carry this prefix: the timer poller tells the resident
 * instead of sending the machine an event.
 */
export const REMINDER_EVENT_PREFIX = 'reminder.';

/**
 * Every outbox topic a compiled machine can put in `meta.effects`. The
 * outbox registry refuses to start when one of them has no handler: a
 * message nobody handles stays pending and is retried forever.
 * (`application.returned` and `application.completed` had no consumer and
 * piled up; the resident hears of both through `notification.resident`.)
 */
export const MACHINE_EFFECT_TOPICS = [
  'payment.request',
  'booking.hold',
  'document.issue',
  'notification.send',
  'application.withdrawn',
  'application.rejected',
  'application.expired',
] as const;

const EFFECT_TOPICS: ReadonlyMap<string, OutboxTopic> = new Map(MACHINE_EFFECT_TOPICS.map((topic) => [topic, declareOutboxTopic(topic)]));

/** The outbox topic of a machine effect; a topic outside MACHINE_EFFECT_TOPICS is a programming error. */
export function machineEffectTopic(topic: string): OutboxTopic {
  const declared = EFFECT_TOPICS.get(topic);
  if (!declared) throw new Error(`machine effect topic "${topic}" is not in MACHINE_EFFECT_TOPICS`);
  return declared;
}

export const STATE_LABELS: Record<string, LocalizedText> = {
  draft: { ja: '下書き', en: 'Draft' },
  awaitingAssessment: { ja: '手数料の確認中', en: 'Fee being assessed' },
  awaitingPayment: { ja: 'お支払い待ち', en: 'Awaiting payment' },
  underReview: { ja: '審査中', en: 'Under review' },
  returned: { ja: '修正のお願い（差戻し）', en: 'Returned for correction' },
  underApproval: { ja: '決裁中', en: 'Awaiting approval' },
  awaitingBooking: { ja: '予約の確定待ち', en: 'Awaiting booking confirmation' },
  issuing: { ja: '交付の準備中', en: 'Preparing your document' },
  notifying: { ja: '通知の送付中', en: 'Sending the notice' },
  completed: { ja: '完了', en: 'Completed' },
  withdrawn: { ja: '取下げ済み', en: 'Withdrawn' },
  rejected: { ja: '却下', en: 'Rejected' },
  expired: { ja: '期限切れ', en: 'Expired' },
  cancelled: { ja: '予約取消し', en: 'Booking cancelled' },
  discarded: { ja: '破棄済み', en: 'Discarded' },
};

/** Events the generic lifecycle understands. */
export const WORKFLOW_EVENTS = [
  'resident.submit',
  'resident.discard',
  'resident.withdraw',
  'resident.resubmit',
  'staff.accept',
  'staff.assessFee',
  'staff.sendBack',
  'staff.reject',
  'approver.approve',
  'approver.return',
  'approver.reject',
  'payment.succeeded',
  'booking.confirmed',
  'booking.released',
  'booking.cancelled',
  'document.issued',
  'notification.sent',
  'deadline.reached',
] as const;

type Transition = {
  target?: string;
  guard?: string;
  actions?: string | string[];
};
type StateConfig = {
  type?: 'final';
  on?: Record<string, Transition | Transition[]>;
  meta: StateMeta;
};

const HOUR_MS = 60 * 60 * 1000;
const DEFAULT_PAYMENT_DEADLINE_HOURS = 72;
const REMINDER_LEAD_MS = 24 * HOUR_MS;
/** Approval rules may append one step at a higher level. */
const MAX_ADDED_STEPS = 1;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * Compiles a definition into an XState machine. The machine is pure: guards
 * and actions read only context and event; side effects and deadlines are
 * described in each state's `meta` and carried out by the engine.
 */
export function compileProcedureMachine(definition: ProcedureDefinition): AnyStateMachine {
  const postSubmission = definition.steps.filter((step) => step !== 'form' && step !== 'identity');
  const sequence: Array<{ state: string; step: StepKind }> = [];
  for (const step of postSubmission) {
    switch (step) {
      case 'fee':
        if (definition.fee.timing === 'afterAssessment') sequence.push({ state: 'awaitingAssessment', step });
        sequence.push({ state: 'awaitingPayment', step });
        break;
      case 'review':
        sequence.push({ state: 'underReview', step });
        break;
      case 'approval':
        sequence.push({ state: 'underApproval', step });
        break;
      case 'booking':
        sequence.push({ state: 'awaitingBooking', step });
        break;
      case 'issue':
        sequence.push({ state: 'issuing', step });
        break;
      case 'notify':
        sequence.push({ state: 'notifying', step });
        break;
      default:
        break;
    }
  }
  const names = sequence.map((entry) => entry.state);
  const after = (state: string): string => names[names.indexOf(state) + 1] ?? 'completed';
  const hasReview = names.includes('underReview');
  const paymentTarget = names.includes('awaitingPayment') ? after('awaitingPayment') : null;
  const route = definition.approvalRoute;

  const meta = (state: string, phase: StateMeta['phase'], extra: Partial<StateMeta> = {}): StateMeta => ({
    phase,
    label: STATE_LABELS[state],
    step: sequence.find((entry) => entry.state === state)?.step ?? null,
    decided: false,
    effects: [],
    timers: [],
    ...extra,
  });
  const withdraw: Transition = { target: 'withdrawn', actions: 'recordWithdrawal' };
  // A confirmed booking can be cancelled up to its day of use, long after the
  // application completed: the application must say so, not stay `completed`.
  const hasBooking = names.includes('awaitingBooking');
  const cancellable: Record<string, Transition> = hasBooking ? { 'booking.cancelled': { target: 'cancelled', actions: 'recordCancellation' } } : {};

  const states: Record<string, StateConfig> = {
    draft: {
      on: {
        'resident.submit': entryTransitions(names[0] ?? 'completed', paymentTarget),
        'resident.discard': { target: 'discarded' },
      },
      meta: meta('draft', 'draft'),
    },
  };

  function entryTransitions(target: string, skipPaymentTo: string | null): Transition | Transition[] {
    const record: Transition = { target, actions: 'recordFee' };
    // A fee reduced to zero (免除) skips the payment step altogether.
    return target === 'awaitingPayment' && skipPaymentTo
      ? [{ target: skipPaymentTo, guard: 'zeroAmount', actions: 'recordFee' }, record]
      : record;
  }

  /**
   * The booking step prices the slots it holds, so a confirmation straight
   * into the payment step carries the fee as `amount` (zero skips the
   * payment, as an exemption at submission does). Without an amount the fee
   * recorded at submission stands; an amount that is not a non-negative
   * integer is refused.
   */
  function bookingConfirmed(next: string): Transition | Transition[] {
    if (next !== 'awaitingPayment' || !paymentTarget) return { target: next };
    return [
      { target: paymentTarget, guard: 'zeroAmount', actions: 'recordFee' },
      { target: next, guard: 'validAmount', actions: 'recordFee' },
      { target: next, guard: 'noAmount' },
    ];
  }

  for (const { state } of sequence) {
    const next = after(state);
    switch (state) {
      case 'awaitingAssessment':
        states[state] = {
          on: {
            'staff.assessFee': [
              { target: after('awaitingPayment'), guard: 'zeroAmount', actions: 'recordFee' },
              { target: 'awaitingPayment', guard: 'validAmount', actions: 'recordFee' },
            ],
            'resident.withdraw': withdraw,
          },
          meta: meta(state, 'active'),
        };
        break;
      case 'awaitingPayment': {
        const hours = definition.fee.paymentDeadlineHours ?? DEFAULT_PAYMENT_DEADLINE_HOURS;
        // A day before the deadline, but not before halfway through it.
        const remindAfterMs = Math.max(hours * HOUR_MS - REMINDER_LEAD_MS, (hours * HOUR_MS) / 2);
        states[state] = {
          on: {
            'payment.succeeded': { target: next },
            'deadline.reached': { target: 'expired' },
            'resident.withdraw': withdraw,
          },
          meta: meta(state, 'active', {
            effects: [{ topic: 'payment.request' }],
            timers: [
              { event: 'deadline.reached', afterMs: hours * HOUR_MS },
              { event: `${REMINDER_EVENT_PREFIX}deadlineApproaching`, afterMs: remindAfterMs },
            ],
          }),
        };
        break;
      }
      case 'underReview':
        states[state] = {
          on: {
            'staff.accept': { target: next, actions: 'clearSendBack' },
            'staff.sendBack': { target: 'returned', guard: 'validSendBack', actions: 'recordSendBack' },
            'staff.reject': { target: 'rejected', guard: 'hasReason', actions: 'recordRejection' },
            'resident.withdraw': withdraw,
          },
          meta: meta(state, 'active'),
        };
        break;
      case 'underApproval':
        // The approvals library decides who may act and where the route
        // stands (levels, 合議, 代決, separation of duties) and says so in the
        // payload; the machine records each decision and moves on when the
        // route is complete.
        states[state] = {
          on: {
            'approver.approve': [
              { target: next, guard: 'routeComplete', actions: 'recordApproval' },
              { guard: 'routeContinues', actions: 'recordApproval' },
            ],
            'approver.return': [
              { target: hasReview ? 'underReview' : 'underApproval', guard: 'returnToClerk', actions: 'recordReturn' },
              { guard: 'returnToPreviousStep', actions: 'recordStepReturn' },
            ],
            'approver.reject': { target: 'rejected', guard: 'hasReason', actions: 'recordRejection' },
            'resident.withdraw': withdraw,
          },
          meta: meta(state, 'active'),
        };
        break;
      case 'awaitingBooking':
        states[state] = {
          on: {
            'booking.confirmed': bookingConfirmed(next),
            'booking.released': { target: 'expired' },
            'resident.withdraw': withdraw,
          },
          meta: meta(state, 'active', { effects: [{ topic: 'booking.hold' }] }),
        };
        break;
      case 'issuing':
        states[state] = {
          on: { 'document.issued': { target: next }, ...cancellable },
          meta: meta(state, 'active', { decided: true, effects: [{ topic: 'document.issue' }] }),
        };
        break;
      case 'notifying':
        states[state] = {
          on: { 'notification.sent': { target: next }, ...cancellable },
          meta: meta(state, 'active', { decided: true, effects: [{ topic: 'notification.send' }] }),
        };
        break;
    }
  }
  if (hasReview) {
    states.returned = {
      on: {
        'resident.resubmit': { target: 'underReview' },
        'resident.withdraw': withdraw,
      },
      meta: meta('returned', 'active'),
    };
  }
  const final = (state: string, topic: string | null): StateConfig => ({
    type: 'final',
    meta: meta(state, 'final', { decided: true, effects: topic ? [{ topic }] : [] }),
  });
  states.completed = hasBooking
    ? { on: { ...cancellable }, meta: meta('completed', 'final', { decided: true }) }
    : final('completed', null);
  if (hasBooking) {
    // The refund and the permit's revocation are the bookings library's, in the cancelling transaction: no effect here.
    states.cancelled = { type: 'final', meta: meta('cancelled', 'final', { decided: true }) };
  }
  states.withdrawn = final('withdrawn', 'application.withdrawn');
  states.rejected = final('rejected', 'application.rejected');
  states.expired = final('expired', 'application.expired');
  states.discarded = { type: 'final', meta: meta('discarded', 'final') };

  const stepOf = (event: WorkflowEvent): number | null => {
    const step = event.payload.step;
    return typeof step === 'number' && Number.isInteger(step) && step >= 0 && step < Math.max(route.length, 1) + MAX_ADDED_STEPS ? step : null;
  };
  const amountOf = (event: WorkflowEvent): number | null => {
    const amount = event.payload.amount;
    return typeof amount === 'number' && Number.isInteger(amount) && amount >= 0 ? amount : null;
  };

  return createMachine(
    {
      id: `${definition.code}@v${definition.version}`,
      version: `${definition.version}.${COMPILER_VERSION}`,
      types: {} as { context: WorkflowContext; events: WorkflowEvent },
      context: {
        procedure: { code: definition.code, version: definition.version },
        fee: { amount: null },
        approvals: [],
        rejection: null,
        sendBack: null,
        sendBackCount: 0,
        returnedByApprover: null,
        withdrawal: null,
      },
      initial: 'draft',
      states: states as never,
    },
    {
      guards: {
        zeroAmount: ({ event }) => amountOf(event as WorkflowEvent) === 0,
        validAmount: ({ event }) => amountOf(event as WorkflowEvent) !== null,
        noAmount: ({ event }) => (event as WorkflowEvent).payload.amount === undefined,
        hasReason: ({ event }) => text((event as WorkflowEvent).payload.reason).length > 0,
        hasComment: ({ event }) => text((event as WorkflowEvent).payload.comment).length > 0,
        validSendBack: ({ event }) => {
          const { fields, message } = (event as WorkflowEvent).payload;
          return (
            Array.isArray(fields) &&
            fields.length > 0 &&
            fields.every((field) => typeof field === 'string' && field.length > 0) &&
            text(message).length > 0
          );
        },
        routeComplete: ({ event }) => stepOf(event as WorkflowEvent) !== null && (event as WorkflowEvent).payload.routeComplete === true,
        routeContinues: ({ event }) => stepOf(event as WorkflowEvent) !== null && (event as WorkflowEvent).payload.routeComplete === false,
        returnToClerk: ({ event }) => {
          const { payload } = event as WorkflowEvent;
          return payload.to === 'clerk' && text(payload.comment).length > 0;
        },
        returnToPreviousStep: ({ event }) => {
          const { payload } = event as WorkflowEvent;
          return payload.to === 'previous' && stepOf(event as WorkflowEvent) !== null && text(payload.comment).length > 0;
        },
      },
      actions: {
        recordFee: assign({
          fee: ({ event }) => ({ amount: amountOf(event as WorkflowEvent) }),
        }),
        recordSendBack: assign({
          sendBack: ({ event }) => {
            const { payload, actor, at } = event as WorkflowEvent;
            return { fields: [...(payload.fields as string[])], message: text(payload.message), by: actor.id, at };
          },
          sendBackCount: ({ context }) => context.sendBackCount + 1,
        }),
        clearSendBack: assign({ sendBack: null }),
        recordRejection: assign({
          rejection: ({ event }) => {
            const { payload, actor, at } = event as WorkflowEvent;
            return { reason: text(payload.reason), by: actor.id, at };
          },
        }),
        recordApproval: assign({
          approvals: ({ context, event }) => {
            const { payload, actor, at } = event as WorkflowEvent;
            const comment = text(payload.comment);
            const onBehalfOf = typeof payload.onBehalfOf === 'string' ? payload.onBehalfOf : null;
            return [
              ...context.approvals,
              { step: stepOf(event as WorkflowEvent) ?? context.approvals.length, level: actor.level ?? null, by: actor.id, at, comment: comment || null, ...(onBehalfOf ? { onBehalfOf } : {}) },
            ];
          },
        }),
        // Back one step: the approvals of that step and of the returning one no longer count.
        recordStepReturn: assign({
          approvals: ({ context, event }) => {
            const step = stepOf(event as WorkflowEvent) ?? 0;
            return context.approvals.filter((approval) => approval.step < step - 1);
          },
        }),
        recordReturn: assign({
          approvals: [],
          returnedByApprover: ({ event }) => {
            const { payload, actor, at } = event as WorkflowEvent;
            return { comment: text(payload.comment), by: actor.id, at };
          },
        }),
        recordCancellation: assign({
          cancellation: ({ event }) => {
            const { payload, actor, at } = event as WorkflowEvent;
            const whole = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0);
            return {
              by: actor.id,
              byKind: actor.kind,
              reason: text(payload.reason) || null,
              refundAmount: whole(payload.refundAmount),
              refundPercent: whole(payload.refundPercent),
              at,
            };
          },
        }),
        recordWithdrawal: assign({
          withdrawal: ({ event }) => {
            const { payload, at } = event as WorkflowEvent;
            return { reason: text(payload.reason) || null, at };
          },
        }),
      },
    },
  );
}
