import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiController } from '@madoguchi/kernel';
import { ApiTags } from '@nestjs/swagger';
import { CurrentResident, CurrentStaff, ResidentOnly, type ResidentPrincipal, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { ApprovalDecisionsService } from './approval-decisions.service';
import { DelegationsService } from './delegations.service';
import { ResidentDecisionsService } from './resident-decisions.service';
import {
  ApproveDto,
  type ApprovalViewDto,
  CreateDelegationDto,
  type DelegationDto,
  type GrantDecisionDto,
  type PendingApprovalDto,
  RejectDto,
  ReturnDto,
} from './dto/approval.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('approvals (staff)')
@ApiController('staff')
export class ApprovalsController {
  constructor(
    private readonly decisions: ApprovalDecisionsService,
    private readonly delegations: DelegationsService,
  ) {}

  @Get('approvals/pending')
  @StaffOnly('approver')
  pending(@CurrentStaff() staff: StaffPrincipal): Promise<PendingApprovalDto[]> {
    return this.decisions.pending(staff);
  }

  @Get('applications/:id/approvals')
  @StaffOnly('clerk', 'reviewer', 'approver')
  view(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<ApprovalViewDto> {
    return this.decisions.view(staff, id);
  }

  @Post('applications/:id/approvals/approve')
  @StaffOnly('approver')
  @HttpCode(200)
  approve(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: ApproveDto): Promise<ApprovalViewDto> {
    return this.decisions.decide(staff, id, 'approve', body);
  }

  @Post('applications/:id/approvals/return')
  @StaffOnly('approver')
  @HttpCode(200)
  return(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: ReturnDto): Promise<ApprovalViewDto> {
    return this.decisions.decide(staff, id, 'return', body);
  }

  @Post('applications/:id/approvals/reject')
  @StaffOnly('approver')
  @HttpCode(200)
  reject(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: RejectDto): Promise<ApprovalViewDto> {
    return this.decisions.decide(staff, id, 'reject', body);
  }

  @Get('approvals/delegations')
  @StaffOnly('approver')
  listDelegations(@CurrentStaff() staff: StaffPrincipal): Promise<DelegationDto[]> {
    return this.delegations.list(staff);
  }

  @Post('approvals/delegations')
  @StaffOnly('approver')
  createDelegation(@CurrentStaff() staff: StaffPrincipal, @Body() body: CreateDelegationDto): Promise<DelegationDto> {
    return this.delegations.create(staff, body);
  }

  @Post('approvals/delegations/:id/revoke')
  @StaffOnly('approver')
  @HttpCode(204)
  revokeDelegation(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    return this.delegations.revoke(staff, id);
  }
}

@ApiTags('applications (resident)')
@ApiController('applications')
@ResidentOnly()
export class ResidentDecisionsController {
  constructor(private readonly decisions: ResidentDecisionsService) {}

  /** 交付決定 / 不交付決定 of one's own subsidy application. */
  @Get(':id/decision')
  decision(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<GrantDecisionDto> {
    return this.decisions.forResident(resident, id);
  }
}
