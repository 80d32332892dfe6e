import { Body, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentResident, CurrentStaff, ResidentOnly, type ResidentPrincipal, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { AcceptsIdempotencyKey, ApiController } from '@madoguchi/kernel';
import { UpdateFormDto } from '../dto/application.dto';
import { CounterEntryService } from './counter-entry.service';
import {
  CounterApplicationDto,
  CounterEntryDto,
  CounterSubmitDto,
  HandoverDto,
  IdentityCheckDto,
  IdentityCheckInputDto,
  OpenHandoverDto,
} from './dto/counter-entry.dto';
import { HandoverService } from './handover.service';

const uuid = new ParseUUIDPipe();

/** Assisted entry at the counter (書かない窓口). Roles as COUNTER_ENTRY_ROLES; departments checked in the services. */
@ApiTags('counter entry (staff)')
@ApiController('staff/counter')
@StaffOnly('clerk', 'reviewer')
export class CounterEntryController {
  constructor(
    private readonly entries: CounterEntryService,
    private readonly handovers: HandoverService,
  ) {}

  @Post('applications')
  @ApiOperation({ summary: 'Start an application for a resident at the counter (channel counter)' })
  @AcceptsIdempotencyKey()
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: CounterEntryDto, @Headers('idempotency-key') idempotencyKey?: string): Promise<CounterApplicationDto> {
    return this.entries.create(staff, body, idempotencyKey);
  }

  @Get('applications/:id')
  get(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<CounterApplicationDto> {
    return this.entries.get(staff, id);
  }

  @Put('applications/:id/form')
  updateForm(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: UpdateFormDto): Promise<CounterApplicationDto> {
    return this.entries.updateForm(staff, id, body.formData, body.revision);
  }

  @Post('applications/:id/identity')
  @ApiOperation({ summary: 'Record that the resident’s identity documents were checked at the counter (never their numbers)' })
  confirmIdentity(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: IdentityCheckInputDto): Promise<IdentityCheckDto> {
    return this.entries.confirmIdentity(staff, id, body);
  }

  @Post('applications/:id/submit')
  @HttpCode(200)
  @AcceptsIdempotencyKey()
  submit(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', uuid) id: string,
    @Body() body: CounterSubmitDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CounterApplicationDto> {
    return this.entries.submit(staff, id, body.revision, idempotencyKey);
  }

  @Post('handovers')
  @HttpCode(200)
  @ApiOperation({ summary: 'Open a draft a resident handed over by QR code; the code is used up' })
  openHandover(@CurrentStaff() staff: StaffPrincipal, @Body() body: OpenHandoverDto): Promise<CounterApplicationDto> {
    return this.handovers.open(staff, body.code);
  }
}

@ApiTags('applications (resident)')
@ApiController('applications')
@ResidentOnly()
export class ResidentHandoverController {
  constructor(private readonly handovers: HandoverService) {}

  @Post(':id/handover')
  @ApiOperation({ summary: 'A QR code to show at the counter, so staff continue this draft there (15 minutes, single use)' })
  handover(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<HandoverDto> {
    return this.handovers.request(resident, id);
  }
}
