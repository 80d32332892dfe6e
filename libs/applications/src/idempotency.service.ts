import { Injectable } from '@nestjs/common';
import { Clock, canonicalJson, type MunicipalityId, RequestError, sha256Hex } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';

export class IdempotencyError extends RequestError {
  static reused(): IdempotencyError {
    return new IdempotencyError(422, 'IDEMPOTENCY_KEY_REUSED', {
      ja: '同じ送信キーで異なる内容が送られました。新しい操作として送り直してください。',
      en: 'This Idempotency-Key was used for a different request.',
    });
  }
  static inProgress(): IdempotencyError {
    return new IdempotencyError(409, 'IDEMPOTENCY_KEY_IN_PROGRESS', {
      ja: '同じ操作を処理中です。しばらくしてから結果をご確認ください。',
      en: 'A request with this Idempotency-Key is still being processed.',
    });
  }
  static malformed(): IdempotencyError {
    return new IdempotencyError(400, 'IDEMPOTENCY_KEY_MALFORMED', {
      ja: '送信キー（Idempotency-Key）の形式が正しくありません。',
      en: 'Idempotency-Key must be 1–255 visible ASCII characters.',
    });
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` for requests that create things: the first request with a
 * key runs and its response is stored; a repeat with the same body gets the
 * stored response, a repeat with another body is refused, and a repeat while
 * the first still runs gets 409. A failed first attempt (4xx/5xx thrown)
 * releases the key so the caller can retry.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async run<T>(municipalityId: MunicipalityId, owner: string, key: string | undefined, request: unknown, work: () => Promise<T>): Promise<T> {
    if (key === undefined) return work();
    if (!KEY.test(key)) throw IdempotencyError.malformed();
    const requestHash = sha256Hex(canonicalJson(request ?? null));
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (municipality_id, owner, key, request_hash, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING key`,
      [municipalityId, owner, key, requestHash, this.clock.now()],
    );
    if (claimed.length === 0) {
      const rows: Array<{ request_hash: string; response: T | null; status_code: number | null }> = await this.dataSource.query(
        `SELECT request_hash, response, status_code FROM idempotency_keys WHERE municipality_id = $1 AND owner = $2 AND key = $3`,
        [municipalityId, owner, key],
      );
      const stored = rows[0];
      if (!stored) return this.run(municipalityId, owner, key, request, work);
      if (stored.request_hash !== requestHash) throw IdempotencyError.reused();
      if (stored.status_code === null) throw IdempotencyError.inProgress();
      return stored.response as T;
    }
    try {
      const response = await work();
      await this.dataSource.query(
        `UPDATE idempotency_keys SET response = $4, status_code = 200 WHERE municipality_id = $1 AND owner = $2 AND key = $3`,
        [municipalityId, owner, key, JSON.stringify(response)],
      );
      return response;
    } catch (error) {
      await this.dataSource.query(`DELETE FROM idempotency_keys WHERE municipality_id = $1 AND owner = $2 AND key = $3`, [municipalityId, owner, key]);
      throw error;
    }
  }
}
