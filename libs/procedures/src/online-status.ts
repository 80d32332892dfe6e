import type { ProcedureDefinition } from '@madoguchi/workflow';

export type OfflineReason = 'noOnlineChannel' | 'onlineNotYetOpen' | 'identityInPerson' | 'documentCollectedAtCounter';

export interface OnlineStatus {
  online: boolean;
  /** ISO date the online channel opened (or will open). */
  onlineSince: string | null;
  reasons: OfflineReason[];
}

/** Whether the definition itself makes the resident come in, whatever the channels. */
export function visitReasons(definition: ProcedureDefinition): OfflineReason[] {
  const reasons: OfflineReason[] = [];
  if (definition.identity === 'inPerson') reasons.push('identityInPerson');
  if (definition.document?.delivery === 'counter') reasons.push('documentCollectedAtCounter');
  return reasons;
}

/**
 * A procedure is online on a date when its online channel had opened by then
 * and no step forces a visit: online only if it is online end to end.
 */
export function onlineStatus(definition: ProcedureDefinition, onDate: string): OnlineStatus {
  const openedOn = definition.channels.online?.openedOn ?? null;
  const reasons: OfflineReason[] = [];
  if (!definition.channels.online) reasons.push('noOnlineChannel');
  else if (!openedOn || openedOn > onDate) reasons.push('onlineNotYetOpen');
  reasons.push(...visitReasons(definition));
  return { online: reasons.length === 0, onlineSince: openedOn, reasons };
}
