import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IdentityError } from '../identity.errors';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export const AUTH_LIMITS = {
  perIp: { limit: 30, windowMs: 60_000 },
  perAccount: { limit: 10, windowMs: 15 * 60_000 },
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

  async hit(municipalityId: MunicipalityId, bucket: string, { limit, windowMs }: RateLimit): Promise<void> {
    const now = this.clock.now().getTime();
    const windowStart = new Date(now - (now % windowMs));
    const rows: Array<{ hits: number }> = await this.dataSource.query(
      `INSERT INTO rate_limits (municipality_id, bucket, window_start, hits) VALUES ($1, $2, $3, 1)
       ON CONFLICT (municipality_id, bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
       RETURNING hits`,
      [municipalityId, createHash('sha256').update(bucket).digest('hex'), windowStart],
    );
    if (rows[0].hits > limit) {
      throw IdentityError.rateLimited(Math.ceil((windowStart.getTime() + windowMs - now) / 1000));
    }
  }

  /** Drops windows that ended; run by the worker. */
  async purge(olderThanMs = 24 * 60 * 60_000): Promise<number> {
    const [, count]: [unknown[], number] = await this.dataSource.query(`DELETE FROM rate_limits WHERE window_start < $1`, [
      new Date(this.clock.now().getTime() - olderThanMs),
    ]);
    return count;
  }
}
