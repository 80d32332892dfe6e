/**
 * Which transitions of the generic lifecycle a resident is told about. Pure,
 * from the states and the event alone, so the engine can decide in its
 * transaction whether a notification is owed.
 */
export const NOTIFICATION_KINDS = [
  'received',
  'returnedForCorrection',
  'paymentDue',
  'paymentReceived',
  'approved',
  'rejected',
  'documentReady',
  'bookingConfirmed',
  'expired',
  'deadlineApproaching',
  'bookingCancelled',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export function notificationKindFor(from: string, to: string, event: string): NotificationKind | null {
  if (from === 'draft' && to !== 'draft' && to !== 'discarded') return to === 'awaitingPayment' ? 'paymentDue' : 'received';
  if (event === 'payment.succeeded') return 'paymentReceived';
  // Slots held until paid are not booked yet: the resident is asked to pay before the hold lapses.
  if (event === 'booking.confirmed') return to === 'awaitingPayment' ? 'paymentDue' : 'bookingConfirmed';
  if (event === 'booking.cancelled') return 'bookingCancelled';
  if (from === to) return null;
  switch (to) {
    case 'returned':
      return 'returnedForCorrection';
    case 'awaitingPayment':
      return 'paymentDue';
    case 'rejected':
      return 'rejected';
    case 'expired':
      return 'expired';
    case 'notifying':
      return 'documentReady';
    default:
      return event === 'approver.approve' ? 'approved' : null;
  }
}
