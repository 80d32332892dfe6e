import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import { type Facility, type FacilityDefinition, type FacilityDetails, type FacilityKind, type FacilityRules, NO_FACILITY_DETAILS, type Room } from './facility.types';

interface FacilityRow {
  municipality_id: string;
  code: string;
  name_ja: string;
  name_en: string;
  kind: FacilityKind;
  department: string;
  procedure_code: string;
  rules: FacilityRules;
  details: Partial<FacilityDetails>;
  active: boolean;
  source: 'config' | 'admin';
  config_checksum: string | null;
  revision: number;
  updated_at: Date;
}

interface RoomRow {
  facility_code: string;
  code: string;
  name_ja: string;
  name_en: string;
  capacity: number;
  resident_rate: number;
  non_resident_rate: number;
  active: boolean;
}

const FACILITY_COLUMNS = `municipality_id, code, name_ja, name_en, kind, department, procedure_code, rules, details, active, source, config_checksum, revision, updated_at`;

function toRoom(row: RoomRow): Room {
  return {
    code: row.code,
    name: { ja: row.name_ja, en: row.name_en },
    capacity: row.capacity,
    rates: { resident: row.resident_rate, nonResident: row.non_resident_rate },
    active: row.active,
  };
}

function toFacility(row: FacilityRow, rooms: RoomRow[]): Facility {
  return {
    municipalityId: row.municipality_id,
    code: row.code,
    name: { ja: row.name_ja, en: row.name_en },
    kind: row.kind,
    department: row.department,
    procedureCode: row.procedure_code,
    rules: row.rules,
    details: { ...NO_FACILITY_DETAILS, ...row.details },
    rooms: rooms.filter((room) => room.facility_code === row.code).map(toRoom),
    active: row.active,
    source: row.source,
    configChecksum: row.config_checksum,
    revision: row.revision,
    updatedAt: row.updated_at,
  };
}

export interface FacilityWriteMeta {
  source: 'config' | 'admin';
  /** Set by the config sync; an admin write keeps the one last applied. */
  configChecksum?: string;
  now: Date;
}

/** The only code that touches facilities and facility_rooms. */
@Injectable()
export class FacilityRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async list(municipalityId: MunicipalityId, options: { activeOnly: boolean }): Promise<Facility[]> {
    const rows: FacilityRow[] = await this.dataSource.query(
      `SELECT ${FACILITY_COLUMNS} FROM facilities WHERE municipality_id = $1 ${options.activeOnly ? 'AND active' : ''} ORDER BY code`,
      [municipalityId],
    );
    if (rows.length === 0) return [];
    const rooms: RoomRow[] = await this.dataSource.query(
      `SELECT facility_code, code, name_ja, name_en, capacity, resident_rate, non_resident_rate, active FROM facility_rooms
        WHERE municipality_id = $1 ${options.activeOnly ? 'AND active' : ''} ORDER BY facility_code, position, code`,
      [municipalityId],
    );
    return rows.map((row) => toFacility(row, rooms));
  }

  async find(municipalityId: MunicipalityId, code: string, manager: EntityManager = this.dataSource.manager): Promise<Facility | null> {
    const rows: FacilityRow[] = await manager.query(`SELECT ${FACILITY_COLUMNS} FROM facilities WHERE municipality_id = $1 AND code = $2`, [municipalityId, code]);
    if (!rows[0]) return null;
    const rooms: RoomRow[] = await manager.query(
      `SELECT facility_code, code, name_ja, name_en, capacity, resident_rate, non_resident_rate, active FROM facility_rooms
        WHERE municipality_id = $1 AND facility_code = $2 ORDER BY position, code`,
      [municipalityId, code],
    );
    return toFacility(rows[0], rooms);
  }

  /** The row locked for a write, or null; rooms are not needed to decide. */
  async lockMeta(manager: EntityManager, municipalityId: MunicipalityId, code: string): Promise<{ configChecksum: string | null; revision: number } | null> {
    const rows: Array<{ config_checksum: string | null; revision: number }> = await manager.query(
      `SELECT config_checksum, revision FROM facilities WHERE municipality_id = $1 AND code = $2 FOR UPDATE`,
      [municipalityId, code],
    );
    return rows[0] ? { configChecksum: rows[0].config_checksum, revision: rows[0].revision } : null;
  }

  /**
   * Writes a facility whole: inserted, or replaced with revision + 1. Rooms
   * it no longer lists stay (bookings point at them) but are retired.
   */
  async save(manager: EntityManager, municipalityId: MunicipalityId, definition: FacilityDefinition, meta: FacilityWriteMeta): Promise<void> {
    await manager.query(
      `INSERT INTO facilities (municipality_id, code, name_ja, name_en, kind, department, procedure_code, rules, active, source, config_checksum,
         revision, created_at, updated_at, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12, $13)
       ON CONFLICT (municipality_id, code) DO UPDATE SET
         name_ja = EXCLUDED.name_ja, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind, department = EXCLUDED.department,
         procedure_code = EXCLUDED.procedure_code, rules = EXCLUDED.rules, details = EXCLUDED.details, active = EXCLUDED.active, source = EXCLUDED.source,
         config_checksum = coalesce(EXCLUDED.config_checksum, facilities.config_checksum),
         revision = facilities.revision + 1, updated_at = EXCLUDED.updated_at`,
      [
        municipalityId,
        definition.code,
        definition.name.ja,
        definition.name.en,
        definition.kind,
        definition.department,
        definition.procedureCode,
        JSON.stringify(definition.rules),
        definition.active,
        meta.source,
        meta.configChecksum ?? null,
        meta.now,
        // Only what is known: an absent key reads back as null.
        JSON.stringify(Object.fromEntries(Object.entries(definition.details).filter(([, value]) => value !== null))),
      ],
    );
    await manager.query(`UPDATE facility_rooms SET active = false WHERE municipality_id = $1 AND facility_code = $2 AND NOT (code = ANY ($3::text[]))`, [
      municipalityId,
      definition.code,
      definition.rooms.map((room) => room.code),
    ]);
    for (const [position, room] of definition.rooms.entries()) {
      await manager.query(
        `INSERT INTO facility_rooms (municipality_id, facility_code, code, name_ja, name_en, capacity, resident_rate, non_resident_rate, position, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (municipality_id, facility_code, code) DO UPDATE SET
           name_ja = EXCLUDED.name_ja, name_en = EXCLUDED.name_en, capacity = EXCLUDED.capacity, resident_rate = EXCLUDED.resident_rate,
           non_resident_rate = EXCLUDED.non_resident_rate, position = EXCLUDED.position, active = EXCLUDED.active`,
        [municipalityId, definition.code, room.code, room.name.ja, room.name.en, room.capacity, room.rates.resident, room.rates.nonResident, position, room.active],
      );
    }
  }
}
