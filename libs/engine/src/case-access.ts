import { Injectable } from '@nestjs/common';
import { IdentityError, type ResidentPrincipal, type StaffPrincipal } from '@madoguchi/identity';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { EntityManager } from 'typeorm';
import type { ApplicationEventEntity } from './application-event.entity';
import type { ApplicationEntity } from './application.entity';
import { ApplicationError } from './application.errors';
import { ApplicationRepository } from './application.repository';

/** The roles that work the queue: who may read a case of their department. */
export const QUEUE_ROLES = ['clerk', 'reviewer', 'approver'] as const;

/**
 * Who may reach an application record: its resident, or staff of the
 * department that owned the procedure when the case began. Every library
 * that acts on a case (payments, documents, bookings, retention, the case
 * pages) goes through these, so "another resident's" and "another
 * department's" are the same 404 everywhere.
 */
@Injectable()
export class CaseAccess {
  constructor(private readonly repository: ApplicationRepository) {}

  /** The record, for code that already knows the caller may see it (a webhook, a hook, a job). */
  async get(municipalityId: MunicipalityId, id: string, manager?: EntityManager): Promise<ApplicationEntity> {
    const application = await this.repository.find(municipalityId, id, manager);
    if (!application) throw ApplicationError.notFound(id);
    return application;
  }

  async events(municipalityId: MunicipalityId, id: string): Promise<ApplicationEventEntity[]> {
    await this.get(municipalityId, id);
    return this.repository.events(municipalityId, id);
  }

  /** The record and when it entered its current revision (the event's time), in one read. */
  async getEntered(municipalityId: MunicipalityId, id: string): Promise<{ application: ApplicationEntity; enteredAt: Date }> {
    const found = await this.repository.findEntered(municipalityId, id);
    if (!found) throw ApplicationError.notFound(id);
    return { application: found.application, enteredAt: found.enteredAt ?? found.application.updatedAt };
  }

  /** When the application entered its current revision (the event's time), for code that already holds the record. */
  async enteredAt(application: ApplicationEntity): Promise<Date> {
    return (await this.repository.eventTime(application.municipalityId as MunicipalityId, application.id, application.revision)) ?? application.updatedAt;
  }

  /** The resident's own application, drafts included; another's is "not found". */
  async residentCase(resident: ResidentPrincipal, id: string): Promise<ApplicationEntity> {
    const application = await this.repository.find(resident.municipalityId, id);
    if (!application || application.applicantId !== resident.id) throw ApplicationError.notFound(id);
    return application;
  }

  /** A submitted application of the staff member's departments: the role first (403), then the department (404). */
  async staffCase(staff: StaffPrincipal, id: string, roles: readonly string[] = QUEUE_ROLES): Promise<ApplicationEntity> {
    requireRole(staff, roles);
    const application = await this.repository.find(staff.municipalityId, id);
    // The department that owned the procedure when the case began: the one whose queue shows it.
    if (!application || application.phase === 'draft' || !staff.departments.includes(application.department)) {
      throw ApplicationError.notFound(id);
    }
    return application;
  }

  /**
   * Whether another account could work a case of `department` (the
   * application's own, `applications.department`): a queue role in that
   * department, e.g. before handing a case to a colleague.
   */
  mayWorkIn(account: { roles: readonly string[]; departments: readonly string[] }, department: string): boolean {
    return account.roles.some((role) => (QUEUE_ROLES as readonly string[]).includes(role)) && account.departments.includes(department);
  }
}

export function requireRole(staff: StaffPrincipal, roles: readonly string[]): void {
  if (!staff.roles.some((role) => roles.includes(role))) throw IdentityError.forbidden();
}
