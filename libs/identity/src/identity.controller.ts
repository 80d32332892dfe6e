import { Body, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiController } from '@madoguchi/kernel';
import { CurrentResident, CurrentStaff, ResidentOnly, StaffOnly } from './access/access.decorators';
import type { ResidentPrincipal, StaffPrincipal } from './access/principal';
import { IndividualNumberDto, RevealDto } from './dto/auth.dto';
import { IndividualNumberService } from './my-number/individual-number.service';

@ApiTags('individual number')
@ApiController()
export class IndividualNumberController {
  constructor(private readonly individualNumbers: IndividualNumberService) {}

  @Put('residents/me/individual-number')
  @ResidentOnly()
  store(@CurrentResident() resident: ResidentPrincipal, @Body() body: IndividualNumberDto): Promise<{ masked: string }> {
    return this.individualNumbers.store(resident.municipalityId, resident.id, body.individualNumber);
  }

  @Post('staff/residents/:residentId/individual-number/reveal')
  @StaffOnly('reviewer', 'approver')
  @HttpCode(200)
  async reveal(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('residentId', new ParseUUIDPipe()) residentId: string,
    @Body() body: RevealDto,
  ): Promise<{ individualNumber: string }> {
    return { individualNumber: await this.individualNumbers.reveal(staff, residentId, body.purpose) };
  }
}
