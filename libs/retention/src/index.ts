/**
 * libs/retention — how long records are kept, and their removal when that
 * time is over: today the short-lived records of every library (sessions,
 * tokens, idempotency records, rate-limit rows, webhook receipts, lapsed
 * holds, delivered outbox messages), one sweep with a period per kind.
 * Also the resident's view of who read their data (access-log/), built
 * from the audit log only. It never changes the audit log.
 */
export * from './access-log/access-log.dto';
export * from './access-log/access-log.service';
export { sendAccessLogCsv } from './access-log/access-log.controller';
export * from './short-retention.repository';
export * from './short-retention.sweep';
export * from './retention.module';
export * from './procedure-retention/procedure-retention.service';
export * from './procedure-retention/account-closure.service';
export * from './procedure-retention/retention.dto';
export * from './procedure-retention/retention.errors';
