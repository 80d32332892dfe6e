/**
 * The short-lived records and how long each is kept after it stops mattering
 * (days). Each kind names the moment its clock starts: a session after it
 * can no longer be used, a token after it expired, a receipt after it was
 * received. Configured with SHORT_RETENTION_DAYS ("sessions=30,outbox=14").
 */
export const SHORT_RETENTION_KINDS = {
  /** Idempotency records: a client retries within minutes; a week covers a weekend outage. */
  idempotencyKeys: 7,
  /** Sessions, after both tokens expired or it was revoked (refresh-token reuse detection needs them only while the refresh token lives). */
  sessions: 30,
  /** E-mail verification and password reset tokens, after they expired. */
  oneTimeTokens: 7,
  /** Sign-up and request rate-limit windows, after the window started. */
  rateLimits: 1,
  /** Sign-in throttling rows, after the last failure and any block ended. */
  loginFailures: 1,
  /** Payment provider webhook receipts (kept to drop duplicates; providers retry for up to three days). */
  webhookReceipts: 90,
  /** My Number Card nonces, after they expired. */
  jpkiNonces: 1,
  /** My Number Card sign-in (OIDC) transactions, after they expired. */
  oidcTransactions: 1,
  /** Facility holds that lapsed or were released without becoming a booking, after they lapsed. */
  expiredHolds: 30,
  /** Outbox messages delivered, after delivery (dead ones stay for an operator). */
  outbox: 30,
  /** The simulated payment provider's sent webhooks. */
  simulatedWebhooks: 30,
} as const;

export type ShortRetentionKind = keyof typeof SHORT_RETENTION_KINDS;
export type ShortRetentionDays = Record<ShortRetentionKind, number>;

/** SHORT_RETENTION_DAYS: `kind=days` pairs, comma separated; unnamed kinds keep their default. */
export function loadShortRetention(env: NodeJS.ProcessEnv, problems: string[]): ShortRetentionDays {
  const days: ShortRetentionDays = { ...SHORT_RETENTION_KINDS };
  const raw = env.SHORT_RETENTION_DAYS?.trim();
  if (!raw) return days;
  for (const entry of raw.split(',')) {
    const [kind, value] = entry.split('=').map((part) => part.trim());
    if (!(kind in SHORT_RETENTION_KINDS)) {
      problems.push(`SHORT_RETENTION_DAYS: unknown kind "${kind}" (one of ${Object.keys(SHORT_RETENTION_KINDS).join(', ')})`);
      continue;
    }
    if (!/^[0-9]{1,4}$/.test(value ?? '') || Number(value) < 1 || Number(value) > 3650) {
      problems.push(`SHORT_RETENTION_DAYS: ${kind} must be a whole number of days from 1 to 3650, got "${value ?? ''}"`);
      continue;
    }
    days[kind as ShortRetentionKind] = Number(value);
  }
  return days;
}
