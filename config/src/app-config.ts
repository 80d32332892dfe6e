import path from 'node:path';
import { type DigitalAuthConfig, loadDigitalAuthConfig } from './digital-auth-config';
import { loadPaymentsConfig, type PaymentsConfig } from './payments-config';

/**
 * Process configuration, read once from the environment at boot. Anything
 * wrong stops the start with a message naming the variable.
 */
export interface AppConfig {
  port: number;
  host: string;
  /** Absent: start the embedded PostgreSQL. */
  databaseUrl: string | null;
  embeddedPostgres: { port: number; dataDir: string; database: string };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  configDir: string;
  /** Municipality used when a public request names none. */
  defaultMunicipalityId: string | null;
  /** Run the background worker inside the API process (development). */
  inlineWorker: boolean;
  bodyLimitBytes: number;
  databasePoolSize: number;
  /** Folder for local state: embedded cluster, development secrets, mail drops. */
  dataDir: string;
  /** Base URL of the public site, used in links sent by mail. */
  publicBaseUrl: string;
  /** SMTP server for outgoing mail (smtp://host:port); unset: mail is written to <dataDir>/mail. */
  smtpUrl: string | null;
  mailFrom: string;
  /** Send session cookies only over HTTPS (off for local http development). */
  cookieSecure: boolean;
  /** PEM trust anchors (CA certificates) for My Number Card verification. */
  jpkiTrustDir: string;
  /** Drafts untouched this long are discarded. */
  draftTtlDays: number;
  /** A claim on an application with no action by its holder this long is released by the worker. */
  claimIdleMinutes: number;
  /** Payment provider, webhook secret and reconciliation (config/src/payments-config.ts). */
  payments: PaymentsConfig;
  /** My Number Card in the browser through OpenID Connect (config/src/digital-auth-config.ts). */
  digitalAuth: DigitalAuthConfig;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    // Decimal digits only: Number() would read " " as 0 and "0x50" as 80.
    const value = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const defaultMunicipalityId = env.DEFAULT_MUNICIPALITY_ID?.trim() || null;
  if (defaultMunicipalityId && !/^[0-9]{6}$/.test(defaultMunicipalityId)) {
    problems.push('DEFAULT_MUNICIPALITY_ID must be six digits');
  }
  const worker = env.WORKER?.trim() || 'inline';
  if (worker !== 'inline' && worker !== 'off') {
    problems.push(`WORKER must be "inline" or "off", got "${worker}"`);
  }
  const dataDir = path.resolve(cwd, env.DATA_DIR?.trim() || '.data');
  const port = integer('PORT', 3000, 0, 65535);
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps://');
  const publicBaseUrl = (env.PUBLIC_BASE_URL?.trim() || `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicBaseUrl)) problems.push('PUBLIC_BASE_URL must start with http:// or https://');
  const cookieSecure = (env.COOKIE_SECURE?.trim() || (publicBaseUrl.startsWith('https://') ? 'true' : 'false')) === 'true';
  const config: AppConfig = {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl,
    embeddedPostgres: {
      port: integer('EMBEDDED_PG_PORT', 54320, 1024, 65535),
      dataDir: path.join(dataDir, 'postgres'),
      database: 'madoguchi',
    },
    logLevel,
    configDir: path.resolve(cwd, env.CONFIG_DIR?.trim() || 'config'),
    defaultMunicipalityId,
    inlineWorker: worker === 'inline',
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    databasePoolSize: integer('DATABASE_POOL_SIZE', 10, 1, 200),
    dataDir,
    publicBaseUrl,
    smtpUrl,
    mailFrom: env.MAIL_FROM?.trim() || 'Madoguchi <no-reply@madoguchi.invalid>',
    cookieSecure,
    draftTtlDays: integer('DRAFT_TTL_DAYS', 30, 1, 365),
    claimIdleMinutes: integer('CLAIM_IDLE_MINUTES', 120, 5, 10080),
    payments: loadPaymentsConfig(env, problems, integer),
    digitalAuth: loadDigitalAuthConfig(env, problems, publicBaseUrl),
    jpkiTrustDir: path.resolve(cwd, env.JPKI_TRUST_DIR?.trim() || path.join(env.CONFIG_DIR?.trim() || 'config', 'jpki')),
  };
  // The built-in registry holds fictitious people: certificates from it are
  // samples. A production site plugs in its core system, or says it is a demonstration.
  if (env.NODE_ENV === 'production' && env.SAMPLE_REGISTRY_IN_PRODUCTION?.trim() !== 'allow') {
    problems.push('the built-in resident registry is fictitious sample data; in production bind a real registry adapter, or set SAMPLE_REGISTRY_IN_PRODUCTION=allow for a demonstration');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
