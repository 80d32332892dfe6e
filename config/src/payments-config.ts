/**
 * Payment settings, read with the rest of the process configuration at boot.
 * Which provider takes the money is configuration; the simulated provider is
 * the one built in (development, tests, demonstrations).
 */
export const PAYMENT_PROVIDERS = ['simulated'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

export interface SimulatedProviderFaults {
  /** Deliver every webhook twice. */
  duplicate: boolean;
  /** Deliver each batch of due webhooks newest first. */
  reorder: boolean;
  /** Share of webhook deliveries silently dropped (0..1). */
  dropRate: number;
}

export interface PaymentsConfig {
  provider: PaymentProviderName;
  /**
   * HMAC-SHA256 key shared with the provider for webhook signatures. Null:
   * derived from the encryption key (refused in production).
   */
  webhookSecret: string | null;
  /** Where the simulated provider sends webhooks; null: this process's own listener, else PUBLIC_BASE_URL. */
  simulatedWebhookUrl: string | null;
  simulatedFaults: SimulatedProviderFaults;
  /** A payment in a non-final state this long without news is polled at the provider. */
  reconcileAfterMinutes: number;
}

type Integer = (name: string, fallback: number, min: number, max: number) => number;

/** Reads the PAYMENT_* and SIMULATED_PROVIDER_* variables; problems go to `problems`. */
export function loadPaymentsConfig(env: NodeJS.ProcessEnv, problems: string[], integer: Integer): PaymentsConfig {
  const provider = (env.PAYMENT_PROVIDER?.trim() || 'simulated') as PaymentProviderName;
  if (!PAYMENT_PROVIDERS.includes(provider)) {
    problems.push(`PAYMENT_PROVIDER must be one of ${PAYMENT_PROVIDERS.join(', ')}, got "${env.PAYMENT_PROVIDER}"`);
  }
  // The simulated provider takes no money and lets anyone "pay" at its store
  // terminal: in production only on purpose (a demonstration site).
  if (provider === 'simulated' && env.NODE_ENV === 'production' && env.SIMULATED_PROVIDER_IN_PRODUCTION?.trim() !== 'allow') {
    problems.push('PAYMENT_PROVIDER=simulated takes no real money; in production configure a real provider, or set SIMULATED_PROVIDER_IN_PRODUCTION=allow for a demonstration');
  }
  const webhookSecret = env.PAYMENT_WEBHOOK_SECRET?.trim() || null;
  if (webhookSecret && webhookSecret.length < 32) problems.push('PAYMENT_WEBHOOK_SECRET must be at least 32 characters');
  if (!webhookSecret && env.NODE_ENV === 'production') problems.push('PAYMENT_WEBHOOK_SECRET is required in production');
  const simulatedWebhookUrl = env.SIMULATED_PROVIDER_WEBHOOK_URL?.trim() || null;
  if (simulatedWebhookUrl && !/^https?:\/\//.test(simulatedWebhookUrl)) problems.push('SIMULATED_PROVIDER_WEBHOOK_URL must start with http:// or https://');
  const simulatedFaults: SimulatedProviderFaults = { duplicate: false, reorder: false, dropRate: 0 };
  for (const item of (env.SIMULATED_PROVIDER_FAULTS ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const drop = /^drop=(0(\.\d+)?|1(\.0+)?)$/.exec(item);
    if (item === 'duplicate') simulatedFaults.duplicate = true;
    else if (item === 'reorder') simulatedFaults.reorder = true;
    else if (drop) simulatedFaults.dropRate = Number(drop[1]);
    else problems.push(`SIMULATED_PROVIDER_FAULTS takes duplicate, reorder and drop=<0..1>, got "${item}"`);
  }
  return {
    provider,
    webhookSecret,
    simulatedWebhookUrl,
    simulatedFaults,
    reconcileAfterMinutes: integer('PAYMENT_RECONCILE_AFTER_MINUTES', 10, 1, 1440),
  };
}
