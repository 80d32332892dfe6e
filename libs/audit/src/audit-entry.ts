import type { MunicipalityId } from '@madoguchi/kernel';

/** Who did it. A payment provider or the timer poller is `system` with its own id. */
export type AuditActorKind = 'resident' | 'staff' | 'system' | 'anonymous';

export const AUDIT_ACTOR_KINDS: readonly AuditActorKind[] = ['resident', 'staff', 'system', 'anonymous'];

export interface AuditActor {
  kind: AuditActorKind;
  /** Account or component id; null only for `anonymous` (e.g. a login for an unknown account). */
  id: string | null;
}

/** What it was done to: `{ type: 'application', id: <uuid> }`, `{ type: 'procedure', id: 'juminhyo@3' }`. */
export interface AuditTarget {
  type: string;
  id: string;
}

/**
 * The actions the product records. `action` is any dotted camelCase name
 * (`area.verb` or `area.thing.verb`); these are the agreed ones, so the
 * audit viewer can filter on a stable vocabulary.
 */
export const AuditActions = {
  LoginSucceeded: 'auth.login.succeeded',
  LoginFailed: 'auth.login.failed',
  ApplicationRead: 'application.read',
  ApplicationTransition: 'application.transition',
  ApprovalDecided: 'approval.decided',
  IndividualNumberDecrypted: 'individualNumber.decrypted',
  ExportCreated: 'export.created',
  CatalogPublished: 'catalog.published',
  ConfigChanged: 'config.changed',
  ApplicationClaimed: 'application.claim.taken',
  ApplicationClaimReleased: 'application.claim.released',
  ApplicationClaimAssigned: 'application.claim.assigned',
  ApplicationClaimIdleReleased: 'application.claim.idleReleased',
  ApplicationClaimEnded: 'application.claim.ended',
  ApplicationNoteAdded: 'application.note.added',
} as const;

export const AUDIT_ACTION_PATTERN = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/;

/**
 * One thing to record.
 *
 * `details` holds ids, codes, field NAMES and outcomes — never the values of
 * personal data: not a name, address, birth date, e-mail, password, token,
 * form answer or individual number. Write `{ fields: ['address'] }`, not the
 * address. The log is kept for years and cannot be corrected, so a value put
 * here can never be removed. (record() refuses a value that looks like an
 * individual number as a last line of defence; it cannot catch the rest.)
 */
export interface AuditRecordInput {
  actor: AuditActor;
  action: string;
  target?: AuditTarget | null;
  details?: Record<string, unknown>;
}

/** A stored entry, as verify recomputes it and the viewer shows it. */
export interface AuditEntry {
  municipalityId: MunicipalityId;
  seq: number;
  occurredAt: Date;
  actor: AuditActor;
  action: string;
  target: AuditTarget | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type AuditBreakReason =
  | 'hash mismatch'
  | 'prev_hash mismatch'
  | 'gap in sequence'
  /** Entries up to the checkpoint's seq were there when it was written, and are gone. */
  | 'truncated before checkpoint'
  /** The entry at the checkpoint's seq no longer has the hash the checkpoint signed: the chain was recomputed. */
  | 'differs from checkpoint';

/**
 * The chain against the latest signed checkpoint outside the database
 * (AUDIT_CHECKPOINT_DIR): `none` when no checkpoint was written yet;
 * `invalid` when the checkpoint file was edited, forged or cut (line names
 * the first bad line).
 */
export type AuditCheckpointCheck =
  | { status: 'none' }
  | { status: 'matches' | 'truncated' | 'differs'; seq: number; hash: string; at: string }
  | { status: 'invalid'; line: number; problem: string };

export interface AuditVerification {
  ok: boolean;
  /** Entries found intact, in seq order, before the first break (all of them when ok). */
  checked: number;
  /**
   * The first broken link. For a gap, `seq` is the first missing number;
   * otherwise it is the entry whose stored hash or prev_hash is wrong.
   */
  firstBroken: { seq: number; reason: AuditBreakReason } | null;
  /**
   * The last entry found intact. A hash chain alone cannot show entries cut
   * from its end or a chain recomputed from a changed entry on: `checkpoint`
   * compares it with the head signed outside the database.
   */
  head: { seq: number; hash: string } | null;
  checkpoint: AuditCheckpointCheck;
}

export interface AuditListQuery {
  targetType?: string;
  targetId?: string;
  action?: string;
  /** Who did it (a staff, resident or system id). */
  actorId?: string;
  /** Entries that occurred at or after this instant. */
  from?: Date;
  /** Entries that occurred before this instant (exclusive: pass the next day's start for a whole day). */
  to?: Date;
  /** 1 to 500. */
  limit: number;
  /** Only entries with a smaller seq: pass the previous page's `nextBefore`. */
  before?: number;
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** `before` for the next (older) page; null when this was the last one. */
  nextBefore: number | null;
}
