import type { EntityManager } from 'typeorm';
import type { Clock } from '../clock/clock';
import type { MunicipalityId } from '../tenancy/municipality-id';

/**
 * How a queue delivers: how many rows one worker claims, how long its lease
 * lasts, how often a row is tried before it is dead, and the backoff between
 * tries.
 */
export interface DeliveryPolicy {
  batchSize: number;
  leaseMs: number;
  maxAttempts: number;
  /** Backoff after attempt n (1-based): base * 2^(n-1), capped at max. No jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** The wait after failed attempt `attempt` (1-based) before the next one. */
export function backoffMs(policy: Pick<DeliveryPolicy, 'backoffBaseMs' | 'backoffMaxMs'>, attempt: number): number {
  return Math.min(policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1), policy.backoffMaxMs);
}

/** A claimed row: its key and the attempt this delivery is (1 on the first). */
export interface LeasedItem {
  municipalityId: MunicipalityId;
  id: string;
  attempts: number;
}

/**
 * The table a queue lives in. Every such table has the same shape:
 * `(municipality_id, id bigint)` primary key, `status` ('pending',
 * 'delivered', 'dead' and the queue's own end statuses), `attempts`, the due
 * column, `last_error` and `delivered_at`. Names come from code, never from
 * input.
 */
export interface LeasedTable<Item extends LeasedItem, Extra extends string = never, End extends string = never> {
  table: string;
  /** When the row is next due; a claim moves it to the lease's end. */
  dueColumn: string;
  /** Returned by a claim besides municipality_id, id and attempts. */
  columns: readonly string[];
  toItem(row: Record<string, unknown> & { municipality_id: MunicipalityId; id: string; attempts: number }): Item;
  /** Written with every outcome; null where the outcome does not give them. */
  extraColumns?: readonly Extra[];
  /** Terminal statuses besides 'delivered' and 'dead' (e.g. 'dropped'). */
  endStatuses?: readonly End[];
}

type Columns<Extra extends string> = Partial<Record<Extra, string | number | null>>;

/** What one delivery came to. */
export type DeliveryOutcome<Extra extends string = never, End extends string = never> =
  | { kind: 'delivered'; columns?: Columns<Extra> }
  /** Retried after the backoff, or dead after the last attempt. */
  | { kind: 'failed'; error: string; columns?: Columns<Extra> }
  /** Stays pending whatever the attempts, due again after `delayMs`. */
  | { kind: 'postponed'; error: string; delayMs: number }
  /** Ends without delivery in one of the table's end statuses. */
  | { kind: 'ended'; status: End; error: string; columns?: Columns<Extra> };

export type DeliveryCounts<End extends string = never> = Record<'delivered' | 'retried' | 'dead' | End, number>;

export interface DeliveryWork<Item extends LeasedItem, Extra extends string, End extends string> {
  /** Delivers one item. A throw counts as `failed` with its message. */
  deliver(item: Item): Promise<DeliveryOutcome<Extra, End>>;
  /** Items of one lane go one after another in claim order; lanes run at once. Default: one lane. */
  lane?(item: Item): string;
  /** Reorders the claimed batch before it is split into lanes. */
  arrange?(items: Item[]): Item[];
  /** Told of every failed attempt, and whether it was the last. */
  failed?(item: Item, error: string, dead: boolean): void;
}

/**
 * Delivery with lease and backoff, at least once, over one table: the
 * outbox and the simulated provider's webhook queue both run on it.
 *
 * A claim takes up to `batchSize` pending rows that are due, skipping rows
 * another worker is claiming (FOR UPDATE SKIP LOCKED), and in the same
 * statement counts the attempt and moves the due column to the lease's end.
 * That moved due time *is* the lease: no other worker sees the row until it
 * passes, and a worker that dies mid-delivery needs no recovery step; its
 * rows simply fall due again when their lease expires and are delivered
 * again. Settling writes the outcome in one statement: delivered, retried
 * after `backoffMs(attempts)`, dead after `maxAttempts`, postponed, or
 * ended.
 */
export class LeasedDelivery<Item extends LeasedItem, Extra extends string = never, End extends string = never> {
  private readonly claimSql: string;
  private readonly settleSql: string;
  private readonly extras: readonly Extra[];

  constructor(private readonly spec: LeasedTable<Item, Extra, End>) {
    const { table, dueColumn: due } = spec;
    this.extras = spec.extraColumns ?? [];
    this.claimSql = `UPDATE ${table} q SET ${due} = $2, attempts = q.attempts + 1
         FROM (SELECT municipality_id, id FROM ${table}
                WHERE status = 'pending' AND ${due} <= $1
                ORDER BY ${due}, id
                LIMIT $3
                FOR UPDATE SKIP LOCKED) due
        WHERE q.municipality_id = due.municipality_id AND q.id = due.id
        RETURNING q.municipality_id, q.id::text AS id, q.attempts${spec.columns.map((column) => `, q.${column}`).join('')}`;
    this.settleSql = `UPDATE ${table} q
          SET status = s.status, last_error = s.last_error, ${due} = COALESCE(s.${due}, q.${due}),
              delivered_at = CASE WHEN s.status = 'delivered' THEN s.delivered_at ELSE q.delivered_at END${this.extras
                .map((column) => `, ${column} = s.${column}`)
                .join('')}
         FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) s
        WHERE q.municipality_id = s.municipality_id AND q.id = s.id`;
  }

  /** Claims due rows under a lease of `policy.leaseMs`, oldest id first. */
  async claim(manager: EntityManager, now: Date, policy: Pick<DeliveryPolicy, 'batchSize' | 'leaseMs'>): Promise<Item[]> {
    // For UPDATE … RETURNING the postgres driver answers [rows, affectedCount].
    const [rows]: [Array<Record<string, unknown> & { municipality_id: MunicipalityId; id: string; attempts: number }>, number] = await manager.query(
      this.claimSql,
      [now, new Date(now.getTime() + policy.leaseMs), policy.batchSize],
    );
    return rows.sort((a, b) => compareIds(a.id, b.id)).map((row) => this.spec.toItem(row));
  }

  /**
   * One round: claims what is due, delivers it through `work` lane by lane,
   * and counts the outcomes. They are written together in one statement
   * when the round ends, or as they come once half the lease has passed (a
   * slow round must not let its finished rows fall due again). A worker that
   * dies before writing them delivers nothing twice that a handler does not
   * already have to bear: its rows fall due when the lease ends.
   */
  async deliverDue(
    manager: EntityManager,
    clock: Clock,
    policy: DeliveryPolicy,
    work: DeliveryWork<Item, Extra, End>,
  ): Promise<DeliveryCounts<End>> {
    const counts = { delivered: 0, retried: 0, dead: 0 } as DeliveryCounts<End>;
    for (const status of this.spec.endStatuses ?? []) counts[status] = 0;
    const claimedAt = clock.now();
    let items = await this.claim(manager, claimedAt, policy);
    if (work.arrange) items = work.arrange(items);
    const lanes = new Map<string, Item[]>();
    for (const item of items) {
      const lane = work.lane?.(item) ?? '';
      lanes.set(lane, [...(lanes.get(lane) ?? []), item]);
    }
    let unwritten: SettleRow[] = [];
    const flush = async () => {
      const rows = unwritten;
      unwritten = [];
      if (rows.length > 0) await this.write(manager, rows);
    };
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        for (const item of lane) {
          let outcome: DeliveryOutcome<Extra, End>;
          try {
            outcome = await work.deliver(item);
          } catch (error) {
            outcome = { kind: 'failed', error: error instanceof Error ? error.message : String(error) };
          }
          const now = clock.now();
          const { row, counted } = this.settled(item, outcome, now, policy);
          unwritten.push(row);
          counts[counted] += 1;
          if (outcome.kind === 'failed') work.failed?.(item, outcome.error, counted === 'dead');
          if (now.getTime() - claimedAt.getTime() > policy.leaseMs / 2) await flush();
        }
      }),
    );
    await flush();
    return counts;
  }

  /** What a delivery's outcome writes to its row, and how it counts. */
  private settled(
    item: LeasedItem,
    outcome: DeliveryOutcome<Extra, End>,
    at: Date,
    policy: Pick<DeliveryPolicy, 'maxAttempts' | 'backoffBaseMs' | 'backoffMaxMs'>,
  ): { row: SettleRow; counted: 'delivered' | 'retried' | 'dead' | End } {
    let status: string;
    let error: string | null = null;
    let dueAt: Date | null = null;
    let counted: 'delivered' | 'retried' | 'dead' | End;
    switch (outcome.kind) {
      case 'delivered':
        status = counted = 'delivered';
        break;
      case 'failed':
        if (item.attempts >= policy.maxAttempts) {
          status = counted = 'dead';
        } else {
          status = 'pending';
          counted = 'retried';
          dueAt = new Date(at.getTime() + backoffMs(policy, item.attempts));
        }
        error = outcome.error;
        break;
      case 'postponed':
        status = 'pending';
        counted = 'retried';
        dueAt = new Date(at.getTime() + outcome.delayMs);
        error = outcome.error;
        break;
      case 'ended':
        status = counted = outcome.status;
        error = outcome.error;
        break;
    }
    const columns: Columns<Extra> = 'columns' in outcome ? (outcome.columns ?? {}) : {};
    const row: SettleRow = {
      municipality_id: item.municipalityId,
      id: item.id,
      status,
      last_error: error?.slice(0, ERROR_LENGTH) ?? null,
      [this.spec.dueColumn]: dueAt?.toISOString() ?? null,
      delivered_at: at.toISOString(),
    };
    for (const column of this.extras) row[column] = columns[column] ?? null;
    return { row, counted };
  }

  /** Writes outcomes, any number, in one statement. */
  private async write(manager: EntityManager, rows: SettleRow[]): Promise<void> {
    await manager.query(this.settleSql, [JSON.stringify(rows)]);
  }
}

/**
 * One settled row as the settle statement reads it: keyed by the table's
 * own column names, so `jsonb_populate_recordset` gives each its column's
 * type. A null due time keeps the row's due time.
 */
type SettleRow = Record<string, string | number | null>;

/** Longest `last_error` kept. */
const ERROR_LENGTH = 1000;

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
