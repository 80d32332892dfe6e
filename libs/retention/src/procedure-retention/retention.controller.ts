import { Body, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { ApiController } from '@madoguchi/kernel';
import { CurrentResident, CurrentStaff, ResidentOnly, type ResidentPrincipal, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { AccountClosureService } from './account-closure.service';
import { ProcedureRetentionService } from './procedure-retention.service';
import { CloseAccountDto, LegalHoldDto, LegalHoldStatusDto, RetentionPreviewDto } from './retention.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('retention (staff)')
@ApiController('staff/applications')
@StaffOnly('reviewer', 'approver')
export class LegalHoldController {
  constructor(private readonly retention: ProcedureRetentionService) {}

  /** Stops the case's personal data being erased while the hold stands (reviewers and approvers of its department). */
  @Post(':id/legal-hold')
  @HttpCode(200)
  place(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: LegalHoldDto): Promise<LegalHoldStatusDto> {
    return this.retention.placeHold(staff, id, body.reason);
  }

  @Delete(':id/legal-hold')
  release(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<LegalHoldStatusDto> {
    return this.retention.releaseHold(staff, id);
  }
}

@ApiTags('retention (admin)')
@ApiController('admin/retention')
@StaffOnly('administrator')
export class RetentionAdminController {
  constructor(private readonly retention: ProcedureRetentionService) {}

  /** Dry run: what the next retention run would erase, counted per procedure and category. */
  @Get('preview')
  preview(@CurrentStaff() staff: StaffPrincipal): Promise<RetentionPreviewDto> {
    return this.retention.preview(staff);
  }
}

@ApiTags('auth')
@ApiController('auth')
export class AccountClosureController {
  constructor(private readonly closure: AccountClosureService) {}

  /** Closes your account: e-mail, password, sessions and individual number are deleted now; your cases follow their procedures' retention. */
  @Delete('residents/me')
  @ResidentOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Closed; every session ended.' })
  close(@CurrentResident() resident: ResidentPrincipal, @Body() body: CloseAccountDto): Promise<void> {
    return this.closure.close(resident, body.password);
  }
}
