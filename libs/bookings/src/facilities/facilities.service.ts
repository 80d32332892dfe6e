import { Injectable } from '@nestjs/common';
import { AuditActions } from '@madoguchi/audit';
import { DepartmentRepository, IdentityError, type StaffPrincipal } from '@madoguchi/identity';
import { Clock, type MunicipalityId, OutboxRepository, AUDIT_RECORD_TOPIC } from '@madoguchi/kernel';
import { ProceduresService } from '@madoguchi/procedures';
import { BookingError } from '../booking.errors';
import type { AdminFacilityDto, FacilityDto, FacilityInputDto } from './dto/facility.dto';
import { checkFacility, type FacilityContext, type FacilityProblem } from './facility-rules';
import { toAdminFacilityDto, toDefinition, toFacilityDto } from './facility.mapper';
import { FacilityRepository, type FacilityWriteMeta } from './facility.repository';
import type { FacilityDefinition } from './facility.types';

const ADMIN_ROLES = ['administrator'] as const;

/**
 * Facilities and their rooms: the public listing, and administrators'
 * changes. Every write is checked whole (checkFacility) against the
 * municipality's departments and booking procedures before it is stored.
 */
@Injectable()
export class FacilitiesService {
  constructor(
    private readonly facilities: FacilityRepository,
    private readonly departments: DepartmentRepository,
    private readonly procedures: ProceduresService,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  async list(municipalityId: MunicipalityId): Promise<FacilityDto[]> {
    return (await this.facilities.list(municipalityId, { activeOnly: true })).map(toFacilityDto);
  }

  async get(municipalityId: MunicipalityId, code: string): Promise<FacilityDto> {
    const facility = await this.facilities.find(municipalityId, code);
    if (!facility?.active) throw BookingError.facilityNotFound(code);
    return toFacilityDto(facility);
  }

  async adminList(staff: StaffPrincipal): Promise<AdminFacilityDto[]> {
    requireAdministrator(staff);
    return (await this.facilities.list(staff.municipalityId, { activeOnly: false })).map(toAdminFacilityDto);
  }

  /** Creates or replaces a facility; rooms it no longer lists are retired, never deleted. */
  async adminPut(staff: StaffPrincipal, code: string, input: FacilityInputDto): Promise<AdminFacilityDto> {
    requireAdministrator(staff);
    const municipalityId = staff.municipalityId;
    const definition = toDefinition(code, input);
    const problems = checkFacility(definition, await this.context(municipalityId));
    if (problems.length > 0) throw BookingError.facilityInvalid(problems);
    await this.save(municipalityId, definition, { source: 'admin', now: this.clock.now() }, { kind: 'staff', id: staff.id });
    return toAdminFacilityDto((await this.facilities.find(municipalityId, code))!);
  }

  /** What a facility is checked against in a municipality. */
  async context(municipalityId: MunicipalityId): Promise<FacilityContext> {
    const [departments, definitions] = await Promise.all([this.departments.list(municipalityId), this.procedures.latestDefinitions(municipalityId)]);
    return {
      departments: departments.filter((department) => department.active).map((department) => department.code),
      bookingProcedures: definitions.filter((definition) => definition.category === 'booking').map((definition) => definition.code),
    };
  }

  /** Writes a checked definition, with its audit entry, in one transaction. */
  async save(municipalityId: MunicipalityId, definition: FacilityDefinition, meta: FacilityWriteMeta, actor: { kind: 'staff' | 'system'; id: string }): Promise<void> {
    await this.facilities.transaction(async (manager) => {
      await this.facilities.save(manager, municipalityId, definition, meta);
      await this.outbox.enqueue(manager, municipalityId, {
        topic: AUDIT_RECORD_TOPIC,
        availableAt: meta.now,
        payload: { actor, action: AuditActions.ConfigChanged, target: { type: 'facility', id: definition.code }, details: { source: meta.source, rooms: definition.rooms.map((room) => room.code) } },
      });
    });
  }
}

export function problemsText(file: string, problems: FacilityProblem[]): string[] {
  return problems.map((problem) => `${file} ${problem.path}: ${problem.reason}`);
}

function requireAdministrator(staff: StaffPrincipal): void {
  if (!staff.roles.some((role) => (ADMIN_ROLES as readonly string[]).includes(role))) throw IdentityError.forbidden();
}
