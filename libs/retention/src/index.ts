/**
 * libs/retention — how long records are kept, and their removal when that
 * time is over: today the short-lived records of every library (sessions,
 * tokens, idempotency records, rate-limit rows, webhook receipts, lapsed
 * holds, delivered outbox messages), one sweep with a period per kind.
 * It never touches a case's record, the audit log or issued documents.
 */
export * from './short-retention.repository';
export * from './short-retention.sweep';
export * from './retention.module';
