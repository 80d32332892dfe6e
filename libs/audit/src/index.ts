/**
 * libs/audit — the tamper-evident audit log.
 *
 * Owns the audit_log table: one append-only hash chain per municipality.
 * Records what callers tell it to (logins, staff reads of personal data,
 * transitions, approvals, individual-number decryption, exports, catalog and
 * configuration changes) and verifies the chain. It never decides who may
 * read the log, and never stores personal data values (see AuditRecordInput).
 *
 * Limits worth knowing: the triggers stop any role, but the table owner (or
 * a superuser) can switch them off, so in production run the service as a
 * role that does not own the table; and a hash chain cannot show entries cut
 * from its end, so keep the head that verify reports somewhere else.
 */
export * from './audit-entry';
export * from './audit-hash';
export * from './audit.errors';
export * from './audit.service';
export * from './audit.module';
