/**
 * My Number Card in the browser: the OpenID Connect service the portal signs
 * residents in and has applications signed through (a service compatible
 * with the Digital Agency's デジタル認証アプリ API). Unless an issuer is
 * configured, the built-in simulated service at
 * `$PUBLIC_BASE_URL/simulated-digital-auth` plays that part.
 */
export type DigitalAuthMode = 'simulated' | 'external' | 'off';

export interface DigitalAuthConfig {
  mode: DigitalAuthMode;
  /** The issuer the portal discovers (`…/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  /** client_secret_basic; null with the simulator: generated once into its data folder. */
  clientSecret: string | null;
  /** Where the service sends the browser back: `$PUBLIC_BASE_URL/mynumber/callback`. */
  redirectUri: string;
  /** Requested with acr_values and required in the ID token. */
  acr: string;
}

/** The level the simulated service reports for card + PIN (身元確認 by the card, two factors). */
export const SIMULATED_DIGITAL_AUTH_ACR = 'urn:madoguchi:simulated-digital-auth:acr:jpki-card-pin';
export const SIMULATED_DIGITAL_AUTH_PATH = '/simulated-digital-auth';

/** Reads DIGITAL_AUTH_* and SIMULATED_DIGITAL_AUTH_IN_PRODUCTION; problems go to `problems`. */
export function loadDigitalAuthConfig(env: NodeJS.ProcessEnv, problems: string[], publicBaseUrl: string): DigitalAuthConfig {
  const raw = env.DIGITAL_AUTH_ISSUER?.trim() || 'simulated';
  let mode: DigitalAuthMode = 'simulated';
  let issuer = `${publicBaseUrl}${SIMULATED_DIGITAL_AUTH_PATH}`;
  if (raw === 'off') mode = 'off';
  else if (raw !== 'simulated') {
    if (!/^https?:\/\//.test(raw)) problems.push(`DIGITAL_AUTH_ISSUER must be "simulated", "off" or an http(s) issuer URL, got "${raw}"`);
    mode = 'external';
    issuer = raw.replace(/\/+$/, '');
  }
  // The simulated service signs with software cards anyone can use: in
  // production only on purpose (a demonstration site).
  if (mode === 'simulated' && env.NODE_ENV === 'production' && env.SIMULATED_DIGITAL_AUTH_IN_PRODUCTION?.trim() !== 'allow') {
    problems.push(
      'DIGITAL_AUTH_ISSUER=simulated signs in with software test cards; in production configure the real service, set DIGITAL_AUTH_ISSUER=off, or set SIMULATED_DIGITAL_AUTH_IN_PRODUCTION=allow for a demonstration',
    );
  }
  const clientSecret = env.DIGITAL_AUTH_CLIENT_SECRET?.trim() || null;
  if (clientSecret && clientSecret.length < 32) problems.push('DIGITAL_AUTH_CLIENT_SECRET must be at least 32 characters');
  if (mode === 'external' && !clientSecret) problems.push('DIGITAL_AUTH_CLIENT_SECRET is required with an external DIGITAL_AUTH_ISSUER');
  return {
    mode,
    issuer,
    clientId: env.DIGITAL_AUTH_CLIENT_ID?.trim() || 'madoguchi-portal',
    clientSecret,
    redirectUri: `${publicBaseUrl}/mynumber/callback`,
    acr: env.DIGITAL_AUTH_ACR?.trim() || SIMULATED_DIGITAL_AUTH_ACR,
  };
}
