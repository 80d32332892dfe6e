import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IdentityError } from '../identity.errors';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/**
 * Request limits per address. They count every request, successes too, so
 * they are keyed by address (or another key the caller controls), never by
 * the account a request names: that would let anyone spend an owner's
 * allowance. Failed sign-ins are counted separately, by LoginThrottle.
 */
export const AUTH_LIMITS = {
  perIp: { limit: 30, windowMs: 60_000 },
  /** Registration and reset mails per address and IP. */
  perAddressAndIp: { limit: 5, windowMs: 15 * 60_000 },
  /** Mails to one address, whoever asks: past it the request is answered alike but nothing is sent (no mail bombing). */
  mailsPerAddress: { limit: 10, windowMs: 60 * 60_000 },
} as const satisfies Record<string, RateLimit>;

/**
 * Fixed-window counters in PostgreSQL, so every API process shares them.
 * Bucket names are hashed: an e-mail address is never stored here.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts a request; past the limit throws `refuse` (by default the generic
   * 429 RATE_LIMITED; sign-in routes pass IdentityError.rateLimited).
   */
  async hit(
    municipalityId: MunicipalityId,
    bucket: string,
    limit: RateLimit,
    refuse: (retryAfterSeconds: number) => Error = IdentityError.tooManyRequests,
  ): Promise<void> {
    const { allowed, retryAfterSeconds } = await this.count(municipalityId, bucket, limit);
    if (!allowed) throw refuse(retryAfterSeconds);
  }

  /** Counts a request and tells whether it is within the limit, for callers that must not answer differently. */
  async tryHit(municipalityId: MunicipalityId, bucket: string, limit: RateLimit): Promise<boolean> {
    return (await this.count(municipalityId, bucket, limit)).allowed;
  }

  private async count(municipalityId: MunicipalityId, bucket: string, { limit, windowMs }: RateLimit): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const now = this.clock.now().getTime();
    const windowStart = new Date(now - (now % windowMs));
    const rows: Array<{ hits: number }> = await this.dataSource.query(
      `INSERT INTO rate_limits (municipality_id, bucket, window_start, hits) VALUES ($1, $2, $3, 1)
       ON CONFLICT (municipality_id, bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
       RETURNING hits`,
      [municipalityId, createHash('sha256').update(bucket).digest('hex'), windowStart],
    );
    return { allowed: rows[0].hits <= limit, retryAfterSeconds: Math.ceil((windowStart.getTime() + windowMs - now) / 1000) };
  }

  /** Drops windows that ended; run by the worker. */
  async purge(olderThanMs = 24 * 60 * 60_000): Promise<number> {
    const [, count]: [unknown[], number] = await this.dataSource.query(`DELETE FROM rate_limits WHERE window_start < $1`, [
      new Date(this.clock.now().getTime() - olderThanMs),
    ]);
    return count;
  }
}
