import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { createHash } from 'node:crypto';
import { IdentityError } from '../identity.errors';
import { LoginFailureRepository } from './login-failure.repository';

/** Failures allowed before a delay starts, the first delay (doubling with each further failure), and its cap. */
export interface FailurePolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * OWASP ASVS V2.2: only failures count, and they count against the pair of
 * account and address and against the address, never against the account
 * alone, so strangers cannot lock an owner out. The pair stops a guesser
 * aiming at one account from one address; the address stops one address
 * spraying many accounts. Past its allowance a bucket is delayed, the delay
 * doubling per failure up to the cap; nothing is locked for good.
 */
export const LOGIN_FAILURE_POLICY = {
  pair: { freeFailures: 5, baseDelayMs: 60_000, maxDelayMs: 60 * 60_000 },
  address: { freeFailures: 20, baseDelayMs: 60_000, maxDelayMs: 60 * 60_000 },
} as const satisfies Record<string, FailurePolicy>;

/** A bucket with no failure for this long starts from zero. */
export const FAILURE_MEMORY_MS = 24 * 60 * 60_000;

export interface LoginAttempt {
  kind: 'resident' | 'staff';
  /** What the caller typed to name the account (e-mail lower-cased, login id): unknown accounts are throttled alike. */
  account: string;
  ip: string;
}

export function delayAfter(failures: number, policy: FailurePolicy): number | null {
  if (failures < policy.freeFailures) return null;
  return Math.min(policy.baseDelayMs * 2 ** (failures - policy.freeFailures), policy.maxDelayMs);
}

const hashed = (name: string): string => createHash('sha256').update(name).digest('hex');

@Injectable()
export class LoginThrottle {
  constructor(
    private readonly failures: LoginFailureRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Before the password is checked: refuses a pair or an address that is
   * being delayed (429 with Retry-After). Tells whether this address has
   * recently failed on this account, which a staff lock takes into account.
   */
  async assertAllowed(municipalityId: MunicipalityId, attempt: LoginAttempt): Promise<{ addressHasFailed: boolean }> {
    const now = this.clock.now();
    const { pair, address } = this.buckets(attempt);
    const rows = await this.failures.find(municipalityId, [pair, address]);
    const remembered = rows.filter((row) => row.lastFailedAt.getTime() >= now.getTime() - FAILURE_MEMORY_MS);
    const blockedUntil = Math.max(0, ...remembered.map((row) => row.blockedUntil?.getTime() ?? 0));
    if (blockedUntil > now.getTime()) throw IdentityError.rateLimited(Math.ceil((blockedUntil - now.getTime()) / 1000));
    return { addressHasFailed: remembered.some((row) => row.bucket === pair) };
  }

  async recordFailure(municipalityId: MunicipalityId, attempt: LoginAttempt): Promise<void> {
    const now = this.clock.now();
    const resetBefore = new Date(now.getTime() - FAILURE_MEMORY_MS);
    const { pair, address } = this.buckets(attempt);
    for (const [bucket, policy] of [
      [pair, LOGIN_FAILURE_POLICY.pair],
      [address, LOGIN_FAILURE_POLICY.address],
    ] as const) {
      const delay = delayAfter(await this.failures.increment(municipalityId, bucket, now, resetBefore), policy);
      if (delay !== null) await this.failures.block(municipalityId, bucket, new Date(now.getTime() + delay));
    }
  }

  /** The owner got in from here: this pair starts afresh. The address count stays (it may be spraying other accounts). */
  async recordSuccess(municipalityId: MunicipalityId, attempt: LoginAttempt): Promise<void> {
    await this.failures.clear(municipalityId, this.buckets(attempt).pair);
  }

  purge(): Promise<number> {
    return this.failures.purge(new Date(this.clock.now().getTime() - FAILURE_MEMORY_MS));
  }

  private buckets(attempt: LoginAttempt): { pair: string; address: string } {
    return {
      pair: hashed(`login-pair:${attempt.kind}:${attempt.account}:${attempt.ip}`),
      address: hashed(`login-address:${attempt.ip}`),
    };
  }
}
