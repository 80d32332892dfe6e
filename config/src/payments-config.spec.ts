import { ConfigError, loadAppConfig } from './app-config';

const CWD = '/srv/madoguchi';

describe('payment configuration', () => {
  it('defaults to the simulated provider with a derived secret and a 10-minute reconciliation', () => {
    expect(loadAppConfig({}, CWD).payments).toEqual({
      provider: 'simulated',
      webhookSecret: null,
      simulatedWebhookUrl: null,
      simulatedFaults: { duplicate: false, reorder: false, dropRate: 0 },
      reconcileAfterMinutes: 10,
    });
  });

  it('reads every variable', () => {
    const secret = 'x'.repeat(40);
    expect(
      loadAppConfig(
        {
          PAYMENT_PROVIDER: 'simulated',
          PAYMENT_WEBHOOK_SECRET: secret,
          SIMULATED_PROVIDER_WEBHOOK_URL: 'http://127.0.0.1:3000/payments/webhooks/simulated',
          SIMULATED_PROVIDER_FAULTS: 'duplicate, reorder, drop=0.25',
          PAYMENT_RECONCILE_AFTER_MINUTES: '3',
        },
        CWD,
      ).payments,
    ).toEqual({
      provider: 'simulated',
      webhookSecret: secret,
      simulatedWebhookUrl: 'http://127.0.0.1:3000/payments/webhooks/simulated',
      simulatedFaults: { duplicate: true, reorder: true, dropRate: 0.25 },
      reconcileAfterMinutes: 3,
    });
  });

  it('allows the simulated provider in production only when told to', () => {
    // A demonstration site: the sample resident registry is allowed too.
    const env = { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'y'.repeat(40), SIMULATED_PROVIDER_IN_PRODUCTION: 'allow', SAMPLE_REGISTRY_IN_PRODUCTION: 'allow', SIMULATED_DIGITAL_AUTH_IN_PRODUCTION: 'allow' };
    expect(loadAppConfig(env, CWD).payments.provider).toBe('simulated');
  });

  it.each([
    [{ PAYMENT_PROVIDER: 'stripe' }, 'PAYMENT_PROVIDER must be one of simulated, got "stripe"'],
    [{ PAYMENT_WEBHOOK_SECRET: 'short' }, 'PAYMENT_WEBHOOK_SECRET must be at least 32 characters'],
    [{ NODE_ENV: 'production', SIMULATED_PROVIDER_IN_PRODUCTION: 'allow' }, 'PAYMENT_WEBHOOK_SECRET is required in production'],
    [{ NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'y'.repeat(40) }, 'PAYMENT_PROVIDER=simulated takes no real money'],
    [{ SIMULATED_PROVIDER_WEBHOOK_URL: 'ftp://x' }, 'SIMULATED_PROVIDER_WEBHOOK_URL must start with http:// or https://'],
    [{ SIMULATED_PROVIDER_FAULTS: 'chaos' }, 'SIMULATED_PROVIDER_FAULTS takes duplicate, reorder and drop=<0..1>, got "chaos"'],
    [{ SIMULATED_PROVIDER_FAULTS: 'drop=2' }, 'SIMULATED_PROVIDER_FAULTS takes duplicate, reorder and drop=<0..1>, got "drop=2"'],
    [{ PAYMENT_RECONCILE_AFTER_MINUTES: '0' }, 'PAYMENT_RECONCILE_AFTER_MINUTES must be an integer from 1 to 1440, got "0"'],
  ])('refuses %p', (env, problem) => {
    expect(() => loadAppConfig(env, CWD)).toThrow(ConfigError);
    expect(() => loadAppConfig(env, CWD)).toThrow(problem);
  });
});
