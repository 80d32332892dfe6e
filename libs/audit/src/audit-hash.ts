import { canonicalJson, sha256Hex } from '@madoguchi/kernel';
import type { AuditEntry } from './audit-entry';

/** prev_hash of the first entry of every municipality's chain. */
export const GENESIS_HASH = '0'.repeat(64);

export type HashedAuditFields = Omit<AuditEntry, 'hash'>;

/**
 * SHA-256 (hex) over the canonical JSON of every field of the entry, the
 * previous entry's hash included. Changing this changes every stored hash:
 * it is part of the on-disk format.
 */
export function auditEntryHash(entry: HashedAuditFields): string {
  return sha256Hex(
    canonicalJson({
      municipalityId: entry.municipalityId,
      seq: entry.seq,
      occurredAt: entry.occurredAt.toISOString(),
      actor: { kind: entry.actor.kind, id: entry.actor.id },
      action: entry.action,
      target: entry.target ? { type: entry.target.type, id: entry.target.id } : null,
      details: entry.details,
      prevHash: entry.prevHash,
    }),
  );
}
