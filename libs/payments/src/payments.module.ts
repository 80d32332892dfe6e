import { type MiddlewareConsumer, Module, type NestModule, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { EngineModule, IdempotencyService } from '@madoguchi/engine';
import { AuditModule } from '@madoguchi/audit';
import type { AppConfig, Secrets } from '@madoguchi/config';
import { APP_CONFIG, type MunicipalityId, PeriodicJobs, SECRETS, type OutboxMessage, OutboxHandlerRegistry } from '@madoguchi/kernel';
import { ProceduresModule } from '@madoguchi/procedures';
import { AccountingExportService } from './accounting-export.service';
import { CashlessKpiService } from './cashless-kpi.service';
import { CounterPaymentsController } from './counter/counter-payments.controller';
import { CounterPaymentsService } from './counter/counter-payments.service';
import { PaymentRepository } from './payment.repository';
import { PaymentReconciliationService } from './payment-reconciliation.service';
import { PAYMENT_SETTINGS, type PaymentSettings, resolvePaymentSettings } from './payment-settings';
import { PaymentSettlementService, REFUND_TOPIC } from './payment-settlement.service';
import { PaymentWebhooksService } from './payment-webhooks.service';
import { CashlessKpiController, PaymentWebhooksController, ResidentPaymentsController, StaffPaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';
import { PAYMENT_PROVIDER, type PaymentProvider } from './provider/payment-provider';
import { RefundsService } from './refunds.service';
import { FormBodyMiddleware } from './simulated-provider/form-body.middleware';
import { SimRepository } from './simulated-provider/sim.repository';
import { SimulatedPaymentProvider } from './simulated-provider/simulated-payment.provider';
import { SimulatedProviderController } from './simulated-provider/simulated-provider.controller';
import { SimulatedProviderFaults, SimulatedProviderService } from './simulated-provider/simulated-provider.service';
import { SimulatedWebhookSender } from './simulated-provider/simulated-webhook.sender';

/**
 * Fees paid cashlessly: payments and refunds, provider webhooks,
 * reconciliation, the accounting export and the cashless KPI, plus the
 * built-in simulated provider; and fees taken at the counter (counter/). Moves applications only through
 * ApplicationWorkflowService (`payment.succeeded`); never touches their rows.
 */
@Module({
  imports: [EngineModule, ProceduresModule, AuditModule],
  controllers: [ResidentPaymentsController, StaffPaymentsController, PaymentWebhooksController, CashlessKpiController, SimulatedProviderController, CounterPaymentsController],
  providers: [
    { provide: PAYMENT_SETTINGS, useFactory: (config: AppConfig, secrets: Secrets) => resolvePaymentSettings(config, secrets), inject: [APP_CONFIG, SECRETS] },
    {
      provide: SimulatedProviderFaults,
      useFactory: (settings: PaymentSettings) => Object.assign(new SimulatedProviderFaults(), settings.simulatedFaults),
      inject: [PAYMENT_SETTINGS],
    },
    SimRepository,
    SimulatedProviderService,
    SimulatedWebhookSender,
    SimulatedPaymentProvider,
    {
      // The one place that knows which providers exist; a real one is added here.
      provide: PAYMENT_PROVIDER,
      useFactory: (settings: PaymentSettings, simulated: SimulatedPaymentProvider): PaymentProvider => {
        switch (settings.provider) {
          case 'simulated':
            return simulated;
        }
      },
      inject: [PAYMENT_SETTINGS, SimulatedPaymentProvider],
    },
    PaymentRepository,
    PaymentSettlementService,
    PaymentsService,
    RefundsService,
    PaymentWebhooksService,
    PaymentReconciliationService,
    AccountingExportService,
    CashlessKpiService,
    FormBodyMiddleware,
    // Fees taken at the counter. ApplicationsModule does not export its IdempotencyService; it is stateless over
    // the idempotency_keys table, so an instance of our own shares the keys.
    CounterPaymentsService,
    IdempotencyService,
  ],
  exports: [CashlessKpiService, CounterPaymentsService, PaymentsService, RefundsService, PaymentReconciliationService, SimulatedProviderService, SimulatedWebhookSender, PAYMENT_PROVIDER],
})
export class PaymentsModule implements NestModule, OnModuleInit {
  constructor(
    private readonly handlers: OutboxHandlerRegistry,
    private readonly jobs: PeriodicJobs,
    private readonly payments: PaymentsService,
    private readonly refunds: RefundsService,
    private readonly reconciliation: PaymentReconciliationService,
    private readonly simulator: SimulatedProviderService,
    private readonly sender: SimulatedWebhookSender,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(FormBodyMiddleware).forRoutes({ path: 'simulated-provider/*path', method: RequestMethod.POST });
  }

  onModuleInit(): void {
    // Every handler is idempotent: the outbox delivers at least once.
    const on = (topic: string, handle: (municipalityId: MunicipalityId, payload: Record<string, unknown>) => Promise<void>) =>
      this.handlers.register(topic, (message: OutboxMessage) => handle(message.municipalityId, message.payload));
    on('payment.request', (municipalityId, payload) => this.payments.prepare(municipalityId, String(payload.applicationId), Number(payload.revision)));
    on(REFUND_TOPIC, (municipalityId, payload) => this.refunds.execute(municipalityId, String(payload.refundId)));
    on('application.withdrawn', (municipalityId, payload) => this.payments.closeApplication(municipalityId, String(payload.applicationId), 'withdrawn'));
    on('application.rejected', (municipalityId, payload) => this.payments.closeApplication(municipalityId, String(payload.applicationId), 'rejected'));
    on('application.expired', (municipalityId, payload) => this.payments.closeApplication(municipalityId, String(payload.applicationId), 'expired'));

    this.jobs.register({ name: 'payments-reconcile', idleMs: 60_000, run: async () => (await this.reconciliation.reconcile()).polled });
    this.jobs.register({
      name: 'simulated-provider-webhooks',
      idleMs: 250,
      run: async () => {
        const sent = await this.sender.deliverDue();
        return sent.delivered + sent.retried + sent.dead + sent.dropped;
      },
    });
    this.jobs.register({ name: 'simulated-provider-expiry', idleMs: 30_000, run: () => this.simulator.expireDue() });
  }
}
