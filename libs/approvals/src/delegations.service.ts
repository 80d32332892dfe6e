import { Injectable } from '@nestjs/common';
import { AuditService } from '@madoguchi/audit';
import { IdentityError, StaffRepository, type StaffPrincipal } from '@madoguchi/identity';
import { Clock } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import { ApprovalError } from './approval.errors';
import { ApprovalRepository } from './approval.repository';
import { toDelegationDto } from './approval.mapper';
import type { CreateDelegationDto, DelegationDto } from './dto/approval.dto';

const MAX_DAYS = 90;

export interface DelegationBoard {
  delegations: DelegationDto[];
  colleagues: Array<{ id: string; name: string }>;
  /** In force now, naming the caller. */
  incoming: DelegationDto[];
  staffNames: Record<string, string>;
}
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * 代決: an approver names who decides in their place while they are away.
 * The delegate decides with the delegator's level, and each such decision
 * records whom it was taken for.
 */
@Injectable()
export class DelegationsService {
  constructor(
    private readonly repository: ApprovalRepository,
    private readonly staffAccounts: StaffRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(staff: StaffPrincipal, input: CreateDelegationDto): Promise<DelegationDto> {
    if (!staff.roles.includes('approver')) throw IdentityError.forbidden();
    const now = this.clock.now();
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    if (endsAt <= startsAt) throw ApprovalError.delegationInvalid('The end must come after the start.', '終了日時は開始日時より後にしてください。');
    if (endsAt <= now) throw ApprovalError.delegationInvalid('The period is already over.', 'すでに終わった期間は設定できません。');
    if (endsAt.getTime() - startsAt.getTime() > MAX_DAYS * DAY_MS) {
      throw ApprovalError.delegationInvalid(`A delegation lasts at most ${MAX_DAYS} days.`, `代決の期間は${MAX_DAYS}日以内にしてください。`);
    }
    if (input.delegateId === staff.id) throw ApprovalError.delegationInvalid('You cannot delegate to yourself.', '自分自身には代決を設定できません。');
    const delegate = await this.staffAccounts.findById(staff.municipalityId, input.delegateId);
    if (!delegate?.active || !delegate.roles.includes('approver') || !delegate.departments.some((department) => staff.departments.includes(department))) {
      throw ApprovalError.delegationInvalid(
        'The delegate must be an active approver of one of your departments.',
        '代決者は、同じ課に所属する有効な決裁者を指定してください。',
      );
    }
    const row = { id: randomUUID(), delegatorId: staff.id, delegateId: delegate.id, startsAt, endsAt, reason: input.reason.trim(), createdAt: now, revokedAt: null };
    await this.repository.insertDelegation(staff.municipalityId, row);
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: 'approval.delegation.created',
      target: { type: 'delegation', id: row.id },
      details: { delegateId: delegate.id, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
    });
    return toDelegationDto(row, now);
  }

  async list(staff: StaffPrincipal): Promise<DelegationDto[]> {
    if (!staff.roles.includes('approver')) throw IdentityError.forbidden();
    const now = this.clock.now();
    return (await this.repository.delegationsOf(staff.municipalityId, staff.id, now)).map((row) => toDelegationDto(row, now));
  }

  /**
   * The office's delegation page in one call: the caller's delegations, the
   * colleagues they may name (active approvers sharing a department), and
   * who names the caller (what they decide on someone's behalf).
   */
  async board(staff: StaffPrincipal): Promise<DelegationBoard> {
    const delegations = await this.list(staff);
    const now = this.clock.now();
    const [accounts, incoming] = await Promise.all([this.staffAccounts.list(staff.municipalityId), this.repository.activeDelegationsTo(staff.municipalityId, staff.id, now)]);
    const names = Object.fromEntries(accounts.map((account) => [account.id, account.displayName]));
    return {
      delegations,
      colleagues: accounts
        .filter((account) => account.id !== staff.id && account.active && account.roles.includes('approver') && account.departments.some((department) => staff.departments.includes(department)))
        .map((account) => ({ id: account.id, name: account.displayName })),
      incoming: incoming.map((row) => toDelegationDto(row, now)),
      staffNames: names,
    };
  }

  async revoke(staff: StaffPrincipal, id: string): Promise<void> {
    if (!staff.roles.includes('approver')) throw IdentityError.forbidden();
    if (!(await this.repository.revokeDelegation(staff.municipalityId, id, staff.id, this.clock.now()))) throw ApprovalError.delegationNotFound(id);
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: 'approval.delegation.revoked',
      target: { type: 'delegation', id },
    });
  }
}
