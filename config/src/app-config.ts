import { isIP } from 'node:net';
import path from 'node:path';
import { type DigitalAuthConfig, loadDigitalAuthConfig } from './digital-auth-config';
import { loadPaymentsConfig, type PaymentsConfig } from './payments-config';
import { loadShortRetention, type ShortRetentionDays } from './retention-config';

/**
 * Process configuration, read once from the environment at boot. Anything
 * wrong stops the start with a message naming the variable.
 */
export interface AppConfig {
  port: number;
  host: string;
  /** The service's connection (a role that owns nothing). Absent: start the embedded PostgreSQL. */
  databaseUrl: string | null;
  /** The schema owner's connection, for migrations only. Absent: migrations use databaseUrl. */
  migrationDatabaseUrl: string | null;
  /**
   * A streaming replica of databaseUrl's database (`DATABASE_REPLICA_URL`,
   * same role): reads that tolerate a little lag go there
   * (libs/kernel/src/database/read-replica.ts). Absent: everything on the primary.
   */
  databaseReplicaUrl: string | null;
  /** NODE_ENV=production: refuse development fallbacks (keys, superuser connections). */
  production: boolean;
  /** Signed checkpoints of the audit chain heads, kept outside PostgreSQL (libs/audit). */
  auditCheckpoints: { dir: string; intervalSeconds: number };
  /**
   * walArchiveDir: where the embedded server archives WAL for point-in-time
   * recovery (WAL_ARCHIVE_DIR; `off`: no archiving). An external server's
   * archiving is its DBA's (docs/operations.md).
   */
  embeddedPostgres: { port: number; dataDir: string; database: string; walArchiveDir: string | null };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  configDir: string;
  /** Municipality used when a public request names none. */
  defaultMunicipalityId: string | null;
  /** Run the background worker inside the API process (development). */
  inlineWorker: boolean;
  /**
   * Which apps this process serves (`APPS`, default all): a municipality puts
   * `portal,api` in the internet zone and `office,api` on its staff network.
   */
  apps: readonly ServedApp[];
  bodyLimitBytes: number;
  databasePoolSize: number;
  /**
   * HTTP processes sharing the port (`WEB_CONCURRENCY`, default 1): the
   * first process prepares the database and forks them (node:cluster).
   */
  webConcurrency: number;
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
  /** How often the trust folder is read again (besides on change), so a new CRL file is honoured without a restart. */
  jpkiTrustReloadSeconds: number;
  /** Open data: a count under this is published as `*` (small counts could identify a person). */
  openDataMinCellCount: number;
  /**
   * Express `trust proxy`: which hops may name the client in X-Forwarded-For.
   * false (unset): none, the socket address is the client.
   */
  trustProxy: false | number | string[];
  /** Open online drafts one resident may hold at once. */
  maxDraftsPerResident: number;
  /** Bytes of attachments one resident may store (a file reused across applications counts once). */
  maxAttachmentBytesPerResident: number;
  /** Drafts untouched this long are discarded. */
  draftTtlDays: number;
  /** Days each kind of short-lived record is kept (SHORT_RETENTION_DAYS, config/src/retention-config.ts). */
  shortRetentionDays: ShortRetentionDays;
  /** A claim on an application with no action by its holder this long is released by the worker. */
  claimIdleMinutes: number;
  /** Payment provider, webhook secret and reconciliation (config/src/payments-config.ts). */
  payments: PaymentsConfig;
  /**
   * Tests only (`MADOGUCHI_TEST_IDEMPOTENCY_PAUSE=beforeCommit:<ms>|afterCommit:<ms>`,
   * refused in production): an idempotent request waits this long just before
   * or just after its transaction commits, so a test can kill the process in
   * that window deterministically.
   */
  idempotencyTestPause: { at: 'beforeCommit' | 'afterCommit'; ms: number } | null;
  /** My Number Card in the browser through OpenID Connect (config/src/digital-auth-config.ts). */
  digitalAuth: DigitalAuthConfig;
}

/** The apps one process can serve: the JSON API, the resident portal, the staff office. */
export const SERVED_APPS = ['api', 'portal', 'office'] as const;
export type ServedApp = (typeof SERVED_APPS)[number];

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
  const migrationDatabaseUrl = env.MIGRATION_DATABASE_URL?.trim() || null;
  if (migrationDatabaseUrl && !/^postgres(ql)?:\/\//.test(migrationDatabaseUrl)) {
    problems.push('MIGRATION_DATABASE_URL must start with postgres:// or postgresql://');
  }
  if (migrationDatabaseUrl && !databaseUrl) {
    problems.push('MIGRATION_DATABASE_URL is for an external database: set DATABASE_URL (the service role) too');
  }
  const databaseReplicaUrl = env.DATABASE_REPLICA_URL?.trim() || null;
  if (databaseReplicaUrl && !/^postgres(ql)?:\/\//.test(databaseReplicaUrl)) {
    problems.push('DATABASE_REPLICA_URL must start with postgres:// or postgresql://');
  }
  if (databaseReplicaUrl && !databaseUrl) {
    problems.push('DATABASE_REPLICA_URL is a standby of an external primary: set DATABASE_URL too');
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
  const apps = (env.APPS?.trim() || SERVED_APPS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const unknownApps = apps.filter((name) => !(SERVED_APPS as readonly string[]).includes(name));
  if (unknownApps.length > 0 || apps.length === 0) {
    problems.push(`APPS must be a comma list of ${SERVED_APPS.join(', ')}, got "${env.APPS}"`);
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
    migrationDatabaseUrl,
    databaseReplicaUrl,
    production: env.NODE_ENV === 'production',
    auditCheckpoints: {
      dir: path.resolve(cwd, env.AUDIT_CHECKPOINT_DIR?.trim() || path.join(dataDir, 'audit-checkpoints')),
      intervalSeconds: integer('AUDIT_CHECKPOINT_INTERVAL_SECONDS', 300, 5, 86_400),
    },
    embeddedPostgres: {
      port: integer('EMBEDDED_PG_PORT', 54320, 1024, 65535),
      dataDir: path.join(dataDir, 'postgres'),
      database: 'madoguchi',
      walArchiveDir: env.WAL_ARCHIVE_DIR?.trim() === 'off' ? null : path.resolve(cwd, env.WAL_ARCHIVE_DIR?.trim() || path.join(dataDir, 'wal-archive')),
    },
    logLevel,
    configDir: path.resolve(cwd, env.CONFIG_DIR?.trim() || 'config'),
    defaultMunicipalityId,
    inlineWorker: worker === 'inline',
    apps: [...new Set(apps)].filter((name): name is ServedApp => (SERVED_APPS as readonly string[]).includes(name)),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    databasePoolSize: integer('DATABASE_POOL_SIZE', 10, 1, 200),
    webConcurrency: integer('WEB_CONCURRENCY', 1, 1, 64),
    dataDir,
    publicBaseUrl,
    smtpUrl,
    mailFrom: env.MAIL_FROM?.trim() || 'Madoguchi <no-reply@madoguchi.invalid>',
    cookieSecure,
    draftTtlDays: integer('DRAFT_TTL_DAYS', 30, 1, 365),
    shortRetentionDays: loadShortRetention(env, problems),
    claimIdleMinutes: integer('CLAIM_IDLE_MINUTES', 120, 5, 10080),
    payments: loadPaymentsConfig(env, problems, integer),
    idempotencyTestPause: idempotencyTestPause(env, problems),
    digitalAuth: loadDigitalAuthConfig(env, problems, publicBaseUrl),
    jpkiTrustDir: path.resolve(cwd, env.JPKI_TRUST_DIR?.trim() || path.join(env.CONFIG_DIR?.trim() || 'config', 'jpki')),
    jpkiTrustReloadSeconds: integer('JPKI_TRUST_RELOAD_SECONDS', 60, 5, 86400),
    openDataMinCellCount: integer('OPENDATA_MIN_CELL_COUNT', 3, 1, 1000),
    trustProxy: trustProxy(env, problems),
    maxDraftsPerResident: integer('MAX_DRAFTS_PER_RESIDENT', 20, 1, 1000),
    maxAttachmentBytesPerResident: integer('MAX_ATTACHMENT_BYTES_PER_RESIDENT', 200 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024 * 1024),
  };
  // The built-in registry holds fictitious people: certificates from it are
  // samples. A production site plugs in its core system, or says it is a demonstration.
  if (env.NODE_ENV === 'production' && env.SAMPLE_REGISTRY_IN_PRODUCTION?.trim() !== 'allow') {
    problems.push('the built-in resident registry is fictitious sample data; in production bind a real registry adapter, or set SAMPLE_REGISTRY_IN_PRODUCTION=allow for a demonstration');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: a hop count (1-10), or a comma list of `loopback`,
 * `linklocal`, `uniquelocal`, addresses and CIDR ranges. Unset: no proxy is
 * trusted, so a client cannot pick its own address with X-Forwarded-For
 * (the sign-in throttle counts per address). `true` (trust everything) is
 * refused for the same reason.
 */
function trustProxy(env: NodeJS.ProcessEnv, problems: string[]): AppConfig['trustProxy'] {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw) return false;
  if (/^[0-9]+$/.test(raw)) {
    const hops = Number(raw);
    if (hops >= 1 && hops <= 10) return hops;
    problems.push(`TRUST_PROXY as a hop count must be from 1 to 10, got "${raw}"`);
    return false;
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !TRUST_PROXY_NAMES.includes(entry) && !isAddressOrRange(entry));
  if (bad.length > 0) {
    problems.push(`TRUST_PROXY must be a hop count or a comma list of ${TRUST_PROXY_NAMES.join(', ')}, IP addresses and CIDR ranges, got "${bad.join(', ')}"`);
    return false;
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function idempotencyTestPause(env: NodeJS.ProcessEnv, problems: string[]): AppConfig['idempotencyTestPause'] {
  const raw = env.MADOGUCHI_TEST_IDEMPOTENCY_PAUSE?.trim();
  if (!raw) return null;
  // A deliberate stall on every idempotent request has no place in production.
  if (env.NODE_ENV === 'production') {
    problems.push('MADOGUCHI_TEST_IDEMPOTENCY_PAUSE is for tests only and is refused with NODE_ENV=production');
    return null;
  }
  const match = /^(beforeCommit|afterCommit):([0-9]{1,6})$/.exec(raw);
  if (!match) {
    problems.push(`MADOGUCHI_TEST_IDEMPOTENCY_PAUSE must be beforeCommit:<ms> or afterCommit:<ms>, got "${raw}"`);
    return null;
  }
  return { at: match[1] as 'beforeCommit' | 'afterCommit', ms: Number(match[2]) };
}
