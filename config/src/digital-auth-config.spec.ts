import path from 'node:path';
import { ConfigError, loadAppConfig } from './app-config';
import { SIMULATED_DIGITAL_AUTH_ACR } from './digital-auth-config';

const CWD = path.resolve('/srv/madoguchi');
/** Everything else production needs, so only the digital-auth rule speaks. */
const PRODUCTION = {
  NODE_ENV: 'production',
  PAYMENT_WEBHOOK_SECRET: 'y'.repeat(40),
  SIMULATED_PROVIDER_IN_PRODUCTION: 'allow',
  SAMPLE_REGISTRY_IN_PRODUCTION: 'allow',
};

describe('digital authentication configuration', () => {
  it('uses the built-in simulated service under PUBLIC_BASE_URL by default', () => {
    expect(loadAppConfig({ PUBLIC_BASE_URL: 'https://city.example/' }, CWD).digitalAuth).toEqual({
      mode: 'simulated',
      issuer: 'https://city.example/simulated-digital-auth',
      clientId: 'madoguchi-portal',
      clientSecret: null,
      redirectUri: 'https://city.example/mynumber/callback',
      acr: SIMULATED_DIGITAL_AUTH_ACR,
    });
  });

  it('refuses the simulated service in production unless told it is a demonstration', () => {
    expect(() => loadAppConfig(PRODUCTION, CWD)).toThrow(ConfigError);
    expect(() => loadAppConfig(PRODUCTION, CWD)).toThrow(/SIMULATED_DIGITAL_AUTH_IN_PRODUCTION=allow/);
    expect(loadAppConfig({ ...PRODUCTION, SIMULATED_DIGITAL_AUTH_IN_PRODUCTION: 'allow' }, CWD).digitalAuth.mode).toBe('simulated');
    expect(loadAppConfig({ ...PRODUCTION, DIGITAL_AUTH_ISSUER: 'off' }, CWD).digitalAuth.mode).toBe('off');
  });

  it('needs a client secret of 32+ characters for an external service', () => {
    expect(() => loadAppConfig({ DIGITAL_AUTH_ISSUER: 'https://auth.example' }, CWD)).toThrow(/DIGITAL_AUTH_CLIENT_SECRET is required/);
    expect(() => loadAppConfig({ DIGITAL_AUTH_ISSUER: 'ftp://x', DIGITAL_AUTH_CLIENT_SECRET: 's'.repeat(32) }, CWD)).toThrow(/must be "simulated", "off" or an http/);
    expect(() => loadAppConfig({ DIGITAL_AUTH_CLIENT_SECRET: 'short' }, CWD)).toThrow(/at least 32 characters/);
    const external = loadAppConfig({ ...PRODUCTION, DIGITAL_AUTH_ISSUER: 'https://auth.example/', DIGITAL_AUTH_CLIENT_SECRET: 's'.repeat(32) }, CWD).digitalAuth;
    expect(external).toMatchObject({ mode: 'external', issuer: 'https://auth.example', clientSecret: 's'.repeat(32) });
  });
});
