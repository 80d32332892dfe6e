import { Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';

/**
 * Where a read goes. `replica`: it tolerates a little lag (dashboards, open
 * data, availability search) and may be served by the streaming replica;
 * `primary`: it must see what was just written (read-your-writes).
 */
export type ReadFrom = 'replica' | 'primary';

/** What a repository needs to read: DataSource.query's contract. */
export type Reader = Pick<EntityManager, 'query'>;

/** After the replica fails, reads stay on the primary this long before it is tried again. */
export const REPLICA_RETRY_MS = 30_000;

/**
 * Routes the reads that tolerate a little lag to the streaming replica
 * (DATABASE_REPLICA_URL, TypeORM's `replication` with the replica as its one
 * slave), explicitly: TypeORM's default mode is set to the primary
 * (data-source-options.ts), so a read reaches the replica only through this
 * class. Writes, transactions and everything else stay on the primary.
 *
 * When the replica cannot be reached (refused, terminated, shutting down) or
 * cancels a read for a conflict with WAL replay, the read runs again on the
 * primary; an unreachable replica is left alone for REPLICA_RETRY_MS (by the
 * injected clock) and then tried again. The warning names the failure, never
 * the query or its parameters. Without a replica every read goes to the
 * primary, exactly as before.
 *
 * Users (docs/scaling.md): the managers' dashboard and the KPI cards
 * (libs/kpi: DashboardRepository, KpiRepository, the public online-procedures
 * KPI), open data and the public progress figures (libs/reporting through
 * the KPI cards), facility availability search (libs/bookings).
 */
@Injectable()
export class ReadReplica {
  private readonly logger = new Logger('ReadReplica');
  private retryAt: number | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** A replica is configured (and was reachable when the process started). */
  get configured(): boolean {
    return this.dataSource.driver.isReplicated;
  }

  /** One lag-tolerant read, on the replica when there is one and it answers, else on the primary. */
  readonly query: Reader['query'] = (sql, parameters) => this.withReplica((manager) => manager.query(sql, parameters));

  /** `replica`: this class; `primary`: the primary, as DataSource.query. */
  reader(from: ReadFrom): Reader {
    return from === 'replica' ? this : this.dataSource.manager;
  }

  /**
   * Runs `work` (reads only: a replica refuses writes) on one replica
   * connection, or on the primary when there is no replica or it fails.
   * `work` may run twice, the second time on the primary.
   */
  async withReplica<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.configured || (this.retryAt !== null && this.clock.now().getTime() < this.retryAt)) {
      return work(this.dataSource.manager);
    }
    const runner = this.dataSource.createQueryRunner('slave');
    let failure: ReplicaFailure;
    try {
      const result = await work(runner.manager);
      if (this.retryAt !== null) {
        this.retryAt = null;
        this.logger.log({ msg: 'read replica answers again; lag-tolerant reads go to it' });
      }
      return result;
    } catch (error) {
      const found = replicaFailure(error);
      if (!found) throw error;
      failure = found;
    } finally {
      await runner.release();
    }
    if (failure.kind === 'unreachable') {
      if (this.retryAt === null) {
        this.logger.warn({ msg: 'read replica unavailable; lag-tolerant reads go to the primary', reason: failure.reason, retryInSeconds: REPLICA_RETRY_MS / 1000 });
      }
      this.retryAt = this.clock.now().getTime() + REPLICA_RETRY_MS;
    } else {
      this.logger.warn({ msg: 'read cancelled on the replica by WAL replay; read again on the primary', reason: failure.reason });
    }
    return work(this.dataSource.manager);
  }
}

interface ReplicaFailure {
  /** unreachable: leave the replica alone for a while; conflict: only this read. */
  kind: 'unreachable' | 'conflict';
  /** An error code, never a message that could quote data. */
  reason: string;
}

const UNREACHABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
// admin_shutdown, crash_shutdown, cannot_connect_now (starting up, shutting
// down, in recovery without hot standby), too_many_connections.
const UNREACHABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Whether an error means the replica cannot serve (rather than a bad query). */
export function replicaFailure(error: unknown): ReplicaFailure | null {
  const seen = [error, ...((error as { errors?: unknown[] } | null)?.errors ?? []), (error as { driverError?: unknown } | null)?.driverError];
  for (const candidate of seen) {
    if (!candidate || typeof candidate !== 'object') continue;
    const code = String((candidate as { code?: unknown }).code ?? '');
    const message = String((candidate as { message?: unknown }).message ?? '');
    if (UNREACHABLE_ERRNOS.has(code) || UNREACHABLE_SQLSTATES.has(code) || code.startsWith('08')) return { kind: 'unreachable', reason: code };
    // node-postgres names a socket closed under it in words, without a code.
    if (/^Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)) return { kind: 'unreachable', reason: 'connection terminated' };
    // Hot standby cancels a query whose rows WAL replay must remove (SQLSTATE 40001 with this message).
    if (code === '40001' && /conflict with recovery/.test(message)) return { kind: 'conflict', reason: code };
  }
  return null;
}

/**
 * Opens the service's DataSource. When a replica is configured but does not
 * answer at start (a connection-level failure), the process starts without
 * it, with a warning, rather than not at all: the primary serves every read
 * until the next start. Anything else wrong with the replica (a wrong
 * password) stops the start with a message naming DATABASE_REPLICA_URL.
 */
export async function serviceDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type !== 'postgres' || !options.replication?.slaves[0]?.url) return new DataSource(options);
  const replicaUrl = options.replication.slaves[0].url;
  const probe = new Client({ connectionString: replicaUrl, connectionTimeoutMillis: 10_000, application_name: 'madoguchi-replica-check' });
  try {
    await probe.connect();
    return new DataSource(options);
  } catch (error) {
    const failure = replicaFailure(error);
    if (!failure) throw new Error(`DATABASE_REPLICA_URL: the replica refused the connection (${(error as Error).message})`, { cause: error });
    new Logger('ReadReplica').warn({ msg: 'read replica unavailable at start; every read goes to the primary until the next start', reason: failure.reason });
    return new DataSource({ ...options, replication: undefined });
  } finally {
    await probe.end().catch(() => undefined);
  }
}
