import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, Clock, canonicalJson, type MunicipalityId, RequestError, sha256Hex } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';

export class IdempotencyError extends RequestError {
  static reused(): IdempotencyError {
    return new IdempotencyError(422, 'IDEMPOTENCY_KEY_REUSED', {
      ja: '同じ送信キーで異なる内容が送られました。新しい操作として送り直してください。',
      en: 'This Idempotency-Key was used for a different request.',
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

interface StoredKey<T> {
  request_hash: string;
  response: T | null;
  status_code: number | null;
}

/**
 * `Idempotency-Key` for requests that create things. The key, the work and
 * the stored response commit in one transaction, so there is never a key
 * without its outcome or an outcome without its key: a process that dies
 * mid-request leaves nothing behind (the retry does the work) or everything
 * (the retry gets the stored response), never a key stuck "in progress".
 *
 * A repeat with the same body gets the stored response; one with another
 * body is refused. A repeat while the first is still running waits on the
 * key's unique index until the first commits (then replays its response) or
 * rolls back (then does the work itself). A failed first attempt (thrown)
 * rolls back, key included, so the caller can retry.
 *
 * The work gets the transaction's EntityManager and must do its writes, and
 * the reads its response is built from, through it.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run<T>(
    municipalityId: MunicipalityId,
    owner: string,
    key: string | undefined,
    request: unknown,
    work: (manager: EntityManager | undefined) => Promise<T>,
  ): Promise<T> {
    if (key === undefined) return work(undefined);
    if (!KEY.test(key)) throw IdempotencyError.malformed();
    const requestHash = sha256Hex(canonicalJson(request ?? null));
    // The usual retry finds a committed outcome: answer it without a transaction.
    const committed = await this.find<T>(this.dataSource.manager, municipalityId, owner, key);
    if (committed) return this.replay(committed, requestHash);
    const outcome = await this.dataSource.transaction(async (manager): Promise<{ replayed: StoredKey<T> } | { response: T }> => {
      // Blocks while another transaction holds an uncommitted row for this key.
      const claimed: unknown[] = await manager.query(
        `INSERT INTO idempotency_keys (municipality_id, owner, key, request_hash, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING key`,
        [municipalityId, owner, key, requestHash, this.clock.now()],
      );
      if (claimed.length === 0) {
        // A new statement sees what the other transaction committed.
        const stored = await this.find<T>(manager, municipalityId, owner, key);
        if (stored) return { replayed: stored };
        throw new Error('idempotency key conflicted but is not visible');
      }
      const response = await work(manager);
      await manager.query(`UPDATE idempotency_keys SET response = $4, status_code = 200 WHERE municipality_id = $1 AND owner = $2 AND key = $3`, [
        municipalityId,
        owner,
        key,
        JSON.stringify(response ?? null),
      ]);
      await this.testPause('beforeCommit');
      return { response };
    });
    if ('replayed' in outcome) return this.replay(outcome.replayed, requestHash);
    await this.testPause('afterCommit');
    return outcome.response;
  }

  private async find<T>(manager: EntityManager, municipalityId: MunicipalityId, owner: string, key: string): Promise<StoredKey<T> | null> {
    const rows: Array<StoredKey<T>> = await manager.query(
      `SELECT request_hash, response, status_code FROM idempotency_keys WHERE municipality_id = $1 AND owner = $2 AND key = $3`,
      [municipalityId, owner, key],
    );
    return rows[0] ?? null;
  }

  private replay<T>(stored: StoredKey<T>, requestHash: string): T {
    if (stored.request_hash !== requestHash) throw IdempotencyError.reused();
    return stored.response as T;
  }

  /** Tests only (see AppConfig.idempotencyTestPause; refused in production at boot). */
  private async testPause(at: 'beforeCommit' | 'afterCommit'): Promise<void> {
    const pause = this.config.idempotencyTestPause;
    if (!pause || pause.at !== at) return;
    this.logger.log({ msg: 'idempotency test pause', at });
    await new Promise((resolve) => setTimeout(resolve, pause.ms));
  }
}
