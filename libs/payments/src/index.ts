/**
 * libs/payments — fees paid cashlessly, and fees taken at the counter.
 *
 * Owns payments (one row per attempt), their append-only payment_events,
 * refunds and webhook receipts; the provider-neutral payment state machine
 * (domain/payment-status.ts); the PaymentProvider interface and the built-in
 * simulated provider (simulated-provider/, with its own sim_* tables, hosted
 * pages under /simulated-provider and signed webhooks); webhook handling,
 * reconciliation, the accounting CSV and the cashless KPI; counter
 * payments (counter/: provider `counter`, receipts numbered per fiscal year,
 * refunds handed back at the desk, never sent to a provider).
 *
 * It moves an application only by `payment.succeeded` through
 * ApplicationWorkflowService, in the transaction that records the payment's
 * success. It never trusts an amount from a client: the fee comes from the
 * application's snapshot, computed by the server.
 */
export * from './domain/payment-status';
export * from './domain/day-range';
export * from './provider/payment-provider';
export * from './provider/webhook-signature';
export * from './payment.errors';
export * from './payment.repository';
export * from './payment-settings';
export * from './payment-settlement.service';
export * from './payments.service';
export * from './refunds.service';
export * from './payment-webhooks.service';
export * from './payment-reconciliation.service';
export * from './accounting-export.service';
export * from './cashless-kpi.service';
export * from './counter/counter-payments.service';
export * from './counter/dto/counter-payment.dto';
export * from './dto/payment.dto';
export * from './simulated-provider/simulated-provider.service';
export * from './simulated-provider/simulated-webhook.sender';
export * from './simulated-provider/simulated-provider.controller';
export * from './simulated-provider/test-cards';
export * from './payments.module';
export * from './payment-access';
