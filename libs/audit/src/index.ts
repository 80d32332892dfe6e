/**
 * libs/audit — the tamper-evident audit log.
 *
 * Owns the audit_log table: one append-only hash chain per municipality.
 * Records what callers tell it to (logins, staff reads of personal data,
 * transitions, approvals, individual-number decryption, exports, catalog and
 * configuration changes) and verifies the chain. It never decides who may
 * read the log, and never stores personal data values (see AuditRecordInput).
 *
 * Defences, each against a stronger account: the triggers stop the owner's
 * mistakes; the service role (madoguchi_app) has no UPDATE, DELETE or
 * TRUNCATE and cannot switch triggers off; and against the owner or a
 * superuser, who can do both and recompute every later hash, the chain head
 * is signed into a checkpoint file outside PostgreSQL (AUDIT_CHECKPOINT_DIR,
 * AUDIT_CHECKPOINT_KEY) that verify holds the chain against. Someone with the
 * owner account AND the checkpoint key (or write access to delete the file)
 * can still rewrite history undetected: keep those apart.
 */
export * from './audit-entry';
export * from './audit-hash';
export * from './audit-checkpoint';
export * from './audit-verification-text';
export * from './audit.errors';
export * from './audit.service';
export * from './audit.module';
