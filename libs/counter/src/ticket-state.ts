import type { TicketEventType, TicketStatus } from './counter.types';

/**
 * The life of a queue ticket, pure:
 *
 *   waiting → called → serving → done
 *   called → called (recall) · called → noShow
 *   called | serving → transferred → waiting (at the new service, same place)
 *   waiting → cancelled (a resident cancels a booking)
 *
 * Every step is one or more event rows; a transfer is two (transferred, then
 * requeued), so statistics see the visit at each service separately.
 */
export const TICKET_ACTIONS = ['call', 'recall', 'noShow', 'start', 'finish', 'transfer', 'cancel'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export interface TicketStep {
  type: TicketEventType;
  from: TicketStatus | 'transferred';
  to: TicketStatus | 'transferred';
}

const RULES: Record<TicketAction, { from: readonly TicketStatus[]; steps: (from: TicketStatus) => TicketStep[] }> = {
  call: { from: ['waiting'], steps: () => [{ type: 'called', from: 'waiting', to: 'called' }] },
  recall: { from: ['called'], steps: () => [{ type: 'recalled', from: 'called', to: 'called' }] },
  noShow: { from: ['called'], steps: () => [{ type: 'noShow', from: 'called', to: 'noShow' }] },
  start: { from: ['called'], steps: () => [{ type: 'started', from: 'called', to: 'serving' }] },
  finish: { from: ['serving'], steps: () => [{ type: 'finished', from: 'serving', to: 'done' }] },
  transfer: {
    from: ['called', 'serving'],
    steps: (from) => [
      { type: 'transferred', from, to: 'transferred' },
      { type: 'requeued', from: 'transferred', to: 'waiting' },
    ],
  },
  cancel: { from: ['waiting'], steps: () => [{ type: 'cancelled', from: 'waiting', to: 'cancelled' }] },
};

/** What staff (or the resident, for cancel) may do to a ticket in this status. */
export function allowedActions(status: TicketStatus): TicketAction[] {
  return TICKET_ACTIONS.filter((action) => RULES[action].from.includes(status));
}

/** The event rows an action writes, or null when the status does not allow it. */
export function stepsFor(status: TicketStatus, action: TicketAction): TicketStep[] | null {
  return RULES[action].from.includes(status) ? RULES[action].steps(status) : null;
}

/** Status after the steps: the last step's target, never the transient `transferred`. */
export function finalStatus(steps: TicketStep[]): TicketStatus {
  const to = steps[steps.length - 1].to;
  if (to === 'transferred') throw new Error('a transfer ends waiting at the new service');
  return to;
}
