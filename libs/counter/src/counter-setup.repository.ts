import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';
import type { Counter, CounterService } from './counter.types';

interface ServiceRow {
  code: string;
  name_ja: string;
  name_en: string;
  ticket_prefix: string;
  slot_capacity: number;
  active: boolean;
}

interface CounterRow {
  id: string;
  name_ja: string;
  name_en: string;
  is_open: boolean;
  active: boolean;
  service_codes: string[];
}

const SERVICE_COLUMNS = 'code, name_ja, name_en, ticket_prefix, slot_capacity, active';

const toService = (row: ServiceRow): CounterService => ({
  code: row.code,
  name: { ja: row.name_ja, en: row.name_en },
  ticketPrefix: row.ticket_prefix,
  slotCapacity: row.slot_capacity,
  active: row.active,
});

const toCounter = (row: CounterRow): Counter => ({
  id: row.id,
  name: { ja: row.name_ja, en: row.name_en },
  open: row.is_open,
  active: row.active,
  serviceCodes: row.service_codes,
});

const COUNTER_SELECT = `
  SELECT c.id, c.name_ja, c.name_en, c.is_open, c.active,
         coalesce(array_agg(l.service_code ORDER BY l.service_code) FILTER (WHERE l.service_code IS NOT NULL), '{}') AS service_codes
    FROM counters c
    LEFT JOIN counter_service_links l ON l.municipality_id = c.municipality_id AND l.counter_id = c.id`;

export type ServiceWrite = Omit<CounterService, 'code'>;
export type CounterWrite = Omit<Counter, 'id'>;

/** Thrown by writes that would give a second active service the same slip letter. */
export class PrefixConflict extends Error {}

function isPrefixConflict(error: unknown): boolean {
  const driver = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = driver.driverError?.code ?? driver.code;
  const constraint = driver.driverError?.constraint ?? driver.constraint;
  return code === '23505' && constraint === 'counter_services_prefix';
}

/** The only code that touches services, counters and which counter serves what. */
@Injectable()
export class CounterSetupRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listServices(municipalityId: MunicipalityId, activeOnly: boolean): Promise<CounterService[]> {
    const rows: ServiceRow[] = await this.dataSource.query(
      `SELECT ${SERVICE_COLUMNS} FROM counter_services WHERE municipality_id = $1 AND ($2::boolean IS FALSE OR active) ORDER BY ticket_prefix, code`,
      [municipalityId, activeOnly],
    );
    return rows.map(toService);
  }

  async findService(municipalityId: MunicipalityId, code: string): Promise<CounterService | null> {
    const rows: ServiceRow[] = await this.dataSource.query(`SELECT ${SERVICE_COLUMNS} FROM counter_services WHERE municipality_id = $1 AND code = $2`, [
      municipalityId,
      code,
    ]);
    return rows[0] ? toService(rows[0]) : null;
  }

  /** False when the code exists; PrefixConflict when the letter is taken. */
  async insertService(municipalityId: MunicipalityId, service: CounterService, now: Date): Promise<boolean> {
    try {
      const rows: unknown[] = await this.dataSource.query(
        `INSERT INTO counter_services (municipality_id, code, name_ja, name_en, ticket_prefix, slot_capacity, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (municipality_id, code) DO NOTHING RETURNING code`,
        [municipalityId, service.code, service.name.ja, service.name.en, service.ticketPrefix, service.slotCapacity, service.active, now],
      );
      return rows.length === 1;
    } catch (error) {
      if (isPrefixConflict(error)) throw new PrefixConflict();
      throw error;
    }
  }

  /** False when there is no such service; PrefixConflict when the letter is taken. */
  async updateService(municipalityId: MunicipalityId, code: string, write: ServiceWrite, now: Date): Promise<boolean> {
    try {
      const [, count]: [unknown[], number] = await this.dataSource.query(
        `UPDATE counter_services SET name_ja = $3, name_en = $4, ticket_prefix = $5, slot_capacity = $6, active = $7, updated_at = $8
          WHERE municipality_id = $1 AND code = $2`,
        [municipalityId, code, write.name.ja, write.name.en, write.ticketPrefix, write.slotCapacity, write.active, now],
      );
      return count === 1;
    } catch (error) {
      if (isPrefixConflict(error)) throw new PrefixConflict();
      throw error;
    }
  }

  async setServiceActive(municipalityId: MunicipalityId, code: string, active: boolean, now: Date): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE counter_services SET active = $3, updated_at = $4 WHERE municipality_id = $1 AND code = $2`,
      [municipalityId, code, active, now],
    );
    return count === 1;
  }

  /** The codes among `codes` that name active services. */
  async activeServiceCodes(municipalityId: MunicipalityId, codes: string[]): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.dataSource.query(
      `SELECT code FROM counter_services WHERE municipality_id = $1 AND code = ANY($2) AND active ORDER BY code`,
      [municipalityId, codes],
    );
    return rows.map((row) => row.code);
  }

  async listCounters(municipalityId: MunicipalityId, activeOnly: boolean): Promise<Counter[]> {
    const rows: CounterRow[] = await this.dataSource.query(
      `${COUNTER_SELECT} WHERE c.municipality_id = $1 AND ($2::boolean IS FALSE OR c.active) GROUP BY c.municipality_id, c.id ORDER BY c.name_ja, c.id`,
      [municipalityId, activeOnly],
    );
    return rows.map(toCounter);
  }

  async findCounter(municipalityId: MunicipalityId, id: string): Promise<Counter | null> {
    const rows: CounterRow[] = await this.dataSource.query(`${COUNTER_SELECT} WHERE c.municipality_id = $1 AND c.id = $2 GROUP BY c.municipality_id, c.id`, [
      municipalityId,
      id,
    ]);
    return rows[0] ? toCounter(rows[0]) : null;
  }

  async insertCounter(municipalityId: MunicipalityId, counter: Counter, now: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO counters (municipality_id, id, name_ja, name_en, is_open, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
        [municipalityId, counter.id, counter.name.ja, counter.name.en, counter.open, counter.active, now],
      );
      await manager.query(
        `INSERT INTO counter_service_links (municipality_id, counter_id, service_code) SELECT $1, $2, unnest($3::text[])`,
        [municipalityId, counter.id, counter.serviceCodes],
      );
    });
  }

  /** Replaces name, flags and the services served; false when there is no such counter. */
  async updateCounter(municipalityId: MunicipalityId, id: string, write: CounterWrite, now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [, count]: [unknown[], number] = await manager.query(
        `UPDATE counters SET name_ja = $3, name_en = $4, is_open = $5, active = $6, updated_at = $7 WHERE municipality_id = $1 AND id = $2`,
        [municipalityId, id, write.name.ja, write.name.en, write.open, write.active, now],
      );
      if (count !== 1) return false;
      await manager.query(`DELETE FROM counter_service_links WHERE municipality_id = $1 AND counter_id = $2 AND NOT (service_code = ANY($3))`, [
        municipalityId,
        id,
        write.serviceCodes,
      ]);
      await manager.query(
        `INSERT INTO counter_service_links (municipality_id, counter_id, service_code) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
        [municipalityId, id, write.serviceCodes],
      );
      return true;
    });
  }

  async setCounterFlags(municipalityId: MunicipalityId, id: string, flags: { open?: boolean; active?: boolean }, now: Date): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE counters SET is_open = coalesce($3, is_open), active = coalesce($4, active), updated_at = $5 WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id, flags.open ?? null, flags.active ?? null, now],
    );
    return count === 1;
  }

  /** Per active service: how many active counters serving it are open now. */
  async openCountersByService(municipalityId: MunicipalityId): Promise<Map<string, number>> {
    const rows: Array<{ service_code: string; open: number }> = await this.dataSource.query(
      `SELECT l.service_code, count(*)::int AS open
         FROM counter_service_links l
         JOIN counters c ON c.municipality_id = l.municipality_id AND c.id = l.counter_id
        WHERE l.municipality_id = $1 AND c.active AND c.is_open
        GROUP BY l.service_code`,
      [municipalityId],
    );
    return new Map(rows.map((row) => [row.service_code, row.open]));
  }
}
