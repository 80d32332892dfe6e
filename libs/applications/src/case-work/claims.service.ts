import { Injectable } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import { StaffRepository, type StaffPrincipal } from '@madoguchi/identity';
import { Clock, DomainError, type MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';
import { ApplicationAccessService } from '../application-access.service';
import { ApplicationError } from '@madoguchi/engine';
import { CaseWorkErrors } from './case-work.errors';
import { CaseWorkRepository, type ClaimState } from './case-work.repository';
import type { ClaimDto, StaffRefDto } from './dto/case-work.dto';

/**
 * Claims (担当): one staff member holds a case so two do not work it at
 * once. The rules:
 *
 * - Any clerk, reviewer or approver of a department owning the procedure may
 *   claim an unclaimed application that is still in progress (phase
 *   `active`); claiming one's own claim again only refreshes it.
 * - The holder releases their claim; a reviewer of the department may also
 *   release someone else's (an absent colleague's case must not stay
 *   stuck until the idle release).
 * - Assigning hands the claim to a colleague. The holder may assign, anyone
 *   allowed to claim may assign an unclaimed case, and a reviewer may
 *   reassign another's claim.
 * - While claimed, only the holder sends `staff.*` events (see ClaimsHook),
 *   and the claim ends when the case moves on (ClaimsHook), or after
 *   CLAIM_IDLE_MINUTES without an action of the holder (ClaimIdleReleaseJob).
 *
 * Every claim, release and assignment is in the audit log, written in the
 * same transaction. Claims change no revision: they are not application
 * events.
 */
@Injectable()
export class ClaimsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ApplicationAccessService,
    private readonly claims: CaseWorkRepository,
    private readonly staffAccounts: StaffRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async claim(staff: StaffPrincipal, id: string): Promise<ClaimDto> {
    const application = await this.access.staffCase(staff, id);
    const municipalityId = staff.municipalityId;
    if (application.phase !== 'active') throw CaseWorkErrors.notClaimable(application.state);
    const at = this.clock.now();
    const claim = await this.dataSource.transaction(async (manager) => {
      const taken = await this.claims.claim(manager, municipalityId, id, staff.id, at);
      const current = await this.claims.claimState(municipalityId, id, manager);
      if (!current) throw ApplicationError.notFound(id);
      if (!taken) {
        if (current.phase !== 'active') throw CaseWorkErrors.notClaimable(current.state);
        throw await this.claimedError(municipalityId, current);
      }
      if (taken.previous !== staff.id) {
        await this.audit.record(
          municipalityId,
          { actor: { kind: 'staff', id: staff.id }, action: AuditActions.ApplicationClaimed, target: { type: 'application', id }, details: { state: current.state } },
          manager,
        );
      }
      return current;
    });
    return this.dto(municipalityId, id, claim);
  }

  async release(staff: StaffPrincipal, id: string): Promise<ClaimDto> {
    await this.access.staffCase(staff, id);
    const municipalityId = staff.municipalityId;
    const claim = await this.dataSource.transaction(async (manager) => {
      const current = await this.claims.lockClaim(manager, municipalityId, id);
      if (!current) throw ApplicationError.notFound(id);
      // Releasing a free case is a retry of a release that already happened: nothing to do.
      if (current.claimedBy === null) return current;
      if (current.claimedBy !== staff.id && !isReviewer(staff)) throw await this.claimedError(municipalityId, current);
      await this.claims.setClaim(manager, municipalityId, id, null, this.clock.now());
      await this.audit.record(
        municipalityId,
        {
          actor: { kind: 'staff', id: staff.id },
          action: AuditActions.ApplicationClaimReleased,
          target: { type: 'application', id },
          details: { holder: current.claimedBy, ownClaim: current.claimedBy === staff.id },
        },
        manager,
      );
      return { ...current, claimedBy: null, claimedAt: null, activeAt: null };
    });
    return this.dto(municipalityId, id, claim);
  }

  async assign(staff: StaffPrincipal, id: string, assigneeId: string): Promise<ClaimDto> {
    await this.access.staffCase(staff, id);
    const municipalityId = staff.municipalityId;
    const assignee = await this.staffAccounts.findById(municipalityId, assigneeId);
    const at = this.clock.now();
    const claim = await this.dataSource.transaction(async (manager) => {
      const current = await this.claims.lockClaim(manager, municipalityId, id);
      if (!current) throw ApplicationError.notFound(id);
      if (!assignee?.active || !this.access.mayWorkIn(assignee, current.department)) throw CaseWorkErrors.assigneeInvalid(assigneeId);
      if (current.phase !== 'active') throw CaseWorkErrors.notClaimable(current.state);
      if (current.claimedBy !== null && current.claimedBy !== staff.id && !isReviewer(staff)) throw await this.claimedError(municipalityId, current);
      // Already theirs: a retried assignment changes nothing.
      if (current.claimedBy === assigneeId) return current;
      await this.claims.setClaim(manager, municipalityId, id, assigneeId, at);
      await this.audit.record(
        municipalityId,
        {
          actor: { kind: 'staff', id: staff.id },
          action: AuditActions.ApplicationClaimAssigned,
          target: { type: 'application', id },
          details: { from: current.claimedBy, to: assigneeId },
        },
        manager,
      );
      return { ...current, claimedBy: assigneeId, claimedAt: at, activeAt: at };
    });
    return this.dto(municipalityId, id, claim);
  }

  /** Who holds the case now. */
  async current(staff: StaffPrincipal, id: string): Promise<ClaimDto> {
    await this.access.staffCase(staff, id);
    const claim = await this.claims.claimState(staff.municipalityId, id);
    if (!claim) throw ApplicationError.notFound(id);
    return this.dto(staff.municipalityId, id, claim);
  }

  /** Colleagues a case can be handed to: active, with a queue role in the case's department. */
  async colleagues(staff: StaffPrincipal, id: string): Promise<StaffRefDto[]> {
    const application = await this.access.staffCase(staff, id);
    return (await this.staffAccounts.list(staff.municipalityId))
      .filter((account) => account.active && this.access.mayWorkIn(account, application.department))
      .map((account) => ({ id: account.id, name: account.displayName }));
  }

  /**
   * Several cases at once (the office's bulk action): each is claimed or
   * assigned on its own, with the same rules as one, and the answer says
   * per case what happened, so one refused case does not undo the others.
   */
  async bulk(staff: StaffPrincipal, ids: string[], assigneeId: string | null): Promise<BulkClaimResult[]> {
    const results: BulkClaimResult[] = [];
    for (const id of [...new Set(ids)]) {
      try {
        const claim = assigneeId ? await this.assign(staff, id, assigneeId) : await this.claim(staff, id);
        results.push({ applicationId: id, claim, error: null });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({ applicationId: id, claim: null, error: { code: error.code, message: error.userMessage } });
      }
    }
    return results;
  }

  /** The 409 naming who holds the case, so the caller knows whom to ask. */
  private async claimedError(municipalityId: MunicipalityId, claim: Pick<ClaimState, 'claimedBy' | 'claimedAt'>): Promise<ApplicationError> {
    return CaseWorkErrors.claimed(await this.staffRef(municipalityId, claim.claimedBy ?? ''), claim.claimedAt);
  }

  private async dto(municipalityId: MunicipalityId, applicationId: string, claim: ClaimState): Promise<ClaimDto> {
    return {
      applicationId,
      claimedBy: claim.claimedBy ? await this.staffRef(municipalityId, claim.claimedBy) : null,
      claimedAt: claim.claimedAt?.toISOString() ?? null,
      lastActiveAt: claim.activeAt?.toISOString() ?? null,
    };
  }

  private async staffRef(municipalityId: MunicipalityId, id: string): Promise<StaffRefDto> {
    return { id, name: (await this.staffAccounts.findById(municipalityId, id))?.displayName ?? null };
  }
}

export interface BulkClaimResult {
  applicationId: string;
  claim: ClaimDto | null;
  error: { code: string; message: { ja: string; en: string } } | null;
}

function isReviewer(staff: StaffPrincipal): boolean {
  return staff.roles.includes('reviewer');
}
