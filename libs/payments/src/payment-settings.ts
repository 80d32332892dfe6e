import type { AppConfig, PaymentProviderName, Secrets, SimulatedProviderFaults } from '@madoguchi/config';
import { createHmac } from 'node:crypto';

/** Payment configuration as the library uses it, resolved once at boot. */
export interface PaymentSettings {
  provider: PaymentProviderName;
  webhookSecret: string;
  publicBaseUrl: string;
  simulatedWebhookUrl: string | null;
  simulatedFaults: SimulatedProviderFaults;
  reconcileAfterMs: number;
}

export const PAYMENT_SETTINGS = Symbol('PAYMENT_SETTINGS');

/**
 * Without PAYMENT_WEBHOOK_SECRET (development and tests only: production
 * refuses to start), the secret is derived from the active encryption key, so
 * it is stable across restarts and never written anywhere.
 */
export function resolvePaymentSettings(config: AppConfig, secrets: Secrets): PaymentSettings {
  const key = secrets.encryptionKeys.get(secrets.activeKeyId);
  if (!config.payments.webhookSecret && !key) throw new Error('no encryption key to derive the payment webhook secret from');
  const webhookSecret = config.payments.webhookSecret ?? createHmac('sha256', key!).update('madoguchi/payments/webhook-secret/v1').digest('base64url');
  return {
    provider: config.payments.provider,
    webhookSecret,
    publicBaseUrl: config.publicBaseUrl,
    simulatedWebhookUrl: config.payments.simulatedWebhookUrl,
    simulatedFaults: { ...config.payments.simulatedFaults },
    reconcileAfterMs: config.payments.reconcileAfterMinutes * 60_000,
  };
}
