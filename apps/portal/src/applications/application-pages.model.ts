import type { MessageKey } from '@madoguchi/ui';

/**
 * What the resident's application pages show, as plain typed props: the
 * controller maps the services' answers into these, the views render them.
 */

/** Every state of the procedure machines, each with its words in the catalogs. */
export const APPLICATION_STATES = [
  'draft',
  'awaitingAssessment',
  'awaitingPayment',
  'underReview',
  'returned',
  'underApproval',
  'awaitingBooking',
  'issuing',
  'notifying',
  'completed',
  'withdrawn',
  'rejected',
  'expired',
  'cancelled',
  'discarded',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const CLOSED_STATES: readonly string[] = ['withdrawn', 'rejected', 'expired', 'cancelled', 'discarded'];
const WAITING_STATES: readonly string[] = ['underReview', 'underApproval', 'awaitingBooking', 'issuing', 'notifying', 'awaitingAssessment'];

export type StatusTone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export function stateKey(state: string): MessageKey | null {
  return (APPLICATION_STATES as readonly string[]).includes(state) ? (`applications.state.${state}` as MessageKey) : null;
}

export function stateTone(state: string): StatusTone {
  if (state === 'completed') return 'success';
  if (state === 'awaitingPayment' || state === 'returned' || state === 'draft') return 'warning';
  if (state === 'rejected' || state === 'expired') return 'danger';
  if (CLOSED_STATES.includes(state)) return 'neutral';
  return 'info';
}

/** The one thing the resident does next, and where. */
export type NextStep = { kind: 'draft' | 'awaitingPayment' | 'returned' | 'completed'; href: string } | { kind: 'wait' } | { kind: 'none' };

export function nextStepOf(application: { id: string; state: string; procedureCode: string }): NextStep {
  const base = `/applications/${application.id}`;
  switch (application.state) {
    // The apply flow continues a draft at its own form (branch `apply`: /apply/:code?application=<id>).
    case 'draft':
      return { kind: 'draft', href: `/apply/${application.procedureCode}?application=${application.id}` };
    case 'awaitingPayment':
      return { kind: 'awaitingPayment', href: `${base}/pay` };
    case 'returned':
      return { kind: 'returned', href: `${base}/correct` };
    case 'completed':
      return { kind: 'completed', href: base };
    default:
      return WAITING_STATES.includes(application.state) ? { kind: 'wait' } : { kind: 'none' };
  }
}

export interface ListedApplication {
  id: string;
  procedureName: string;
  referenceNumber: string | null;
  state: string;
  /** Fallback words when a state has no catalog entry (never expected). */
  statusText: string;
  createdOn: string;
  submittedOn: string | null;
  dueOn: string | null;
  next: NextStep;
}

export interface PaymentView {
  paymentId: string;
  status: 'created' | 'started' | 'authorised' | 'succeeded' | 'failed' | 'cancelled' | 'expired';
  method: string | null;
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
  konbini: { paymentNumber: string; deadline: string } | null;
  payeasy: { collectorNumber: string; customerNumber: string; confirmationNumber: string; deadline: string } | null;
  expiresAt: string | null;
  updatedAt: string;
}

export interface DocumentLink {
  title: string;
  href: string | null;
  issuedOn: string;
}

export interface TimelineRow {
  at: string;
  /** ISO date in the municipality's zone, for formatDate. */
  on: string;
  description: string;
  status: string;
}

export interface FieldChangeRow {
  label: string;
  before: string | null;
  after: string | null;
}
