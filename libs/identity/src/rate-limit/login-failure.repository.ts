import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';

export interface FailureBucket {
  bucket: string;
  failures: number;
  lastFailedAt: Date;
  blockedUntil: Date | null;
}

/** The only code that touches `login_failures`. Buckets arrive already hashed. */
@Injectable()
export class LoginFailureRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(municipalityId: MunicipalityId, buckets: string[]): Promise<FailureBucket[]> {
    const rows: Array<{ bucket: string; failures: number; last_failed_at: Date; blocked_until: Date | null }> = await this.dataSource.query(
      `SELECT bucket, failures, last_failed_at, blocked_until FROM login_failures WHERE municipality_id = $1 AND bucket = ANY($2)`,
      [municipalityId, buckets],
    );
    return rows.map((row) => ({ bucket: row.bucket, failures: row.failures, lastFailedAt: row.last_failed_at, blockedUntil: row.blocked_until }));
  }

  /**
   * Counts one failure atomically; a bucket idle since `resetBefore` starts
   * again from one. Returns the new count.
   */
  async increment(municipalityId: MunicipalityId, bucket: string, now: Date, resetBefore: Date): Promise<number> {
    const rows: Array<{ failures: number }> = await this.dataSource.query(
      `INSERT INTO login_failures (municipality_id, bucket, failures, last_failed_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (municipality_id, bucket) DO UPDATE
         SET failures = CASE WHEN login_failures.last_failed_at < $4 THEN 1 ELSE login_failures.failures + 1 END,
             blocked_until = CASE WHEN login_failures.last_failed_at < $4 THEN NULL ELSE login_failures.blocked_until END,
             last_failed_at = $3
       RETURNING failures`,
      [municipalityId, bucket, now, resetBefore],
    );
    return rows[0].failures;
  }

  async block(municipalityId: MunicipalityId, bucket: string, until: Date): Promise<void> {
    await this.dataSource.query(`UPDATE login_failures SET blocked_until = GREATEST(blocked_until, $3) WHERE municipality_id = $1 AND bucket = $2`, [
      municipalityId,
      bucket,
      until,
    ]);
  }

  async clear(municipalityId: MunicipalityId, bucket: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_failures WHERE municipality_id = $1 AND bucket = $2`, [municipalityId, bucket]);
  }

  async purge(before: Date): Promise<number> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM login_failures WHERE last_failed_at < $1 AND (blocked_until IS NULL OR blocked_until < $1)`,
      [before],
    );
    return count;
  }
}
