import { BadRequestException, Body, Get, HttpCode, Param, ParseUUIDPipe, type PipeTransform, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentResident, CurrentStaff, type ResidentPrincipal, ResidentOnly, type StaffPrincipal, StaffOnly } from '@madoguchi/identity';
import { ApiController, CurrentMunicipality, type MunicipalityId, Public } from '@madoguchi/kernel';
import { FACILITY_CODE_PATTERN } from '../facilities/dto/facility.dto';
import { CreateLotteryDto, type LotteryDrawDto, type LotteryDto, type LotteryEntryDto, LotteryEntryRequestDto, LotteryListQuery } from './dto/lottery.dto';
import { LotteryService } from './lottery.service';

const uuid = new ParseUUIDPipe();

class FacilityCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!FACILITY_CODE_PATTERN.test(value)) throw new BadRequestException({ message: ['code must be a facility code (a-z, 0-9, -)'] });
    return value;
  }
}

/** An entry number in the path: a positive integer that fits the column. */
class EntryNumberPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const number = /^[1-9]\d{0,8}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(number)) throw new BadRequestException({ message: ['number must be an entry number (a positive integer)'] });
    return number;
  }
}

@ApiTags('lotteries (public)')
@ApiHeader({ name: 'X-Municipality-Id', required: false })
@ApiController('lotteries')
@Public()
export class LotteriesPublicController {
  constructor(private readonly lotteries: LotteryService) {}

  @Get()
  @ApiOperation({ summary: 'Lotteries (抽選) of the municipality, optionally of one facility: period, deadline, seed, status, entry count' })
  list(@CurrentMunicipality() municipalityId: MunicipalityId, @Query() query: LotteryListQuery): Promise<LotteryDto[]> {
    return this.lotteries.list(municipalityId, query.facility ?? null);
  }

  @Get(':id')
  get(@CurrentMunicipality() municipalityId: MunicipalityId, @Param('id', uuid) id: string): Promise<LotteryDto> {
    return this.lotteries.get(municipalityId, id);
  }

  @Get(':id/draw')
  @ApiOperation({ summary: 'The published draw: entries by number (no names), each key and position, the results; 409 LOTTERY_NOT_DRAWN before' })
  draw(@CurrentMunicipality() municipalityId: MunicipalityId, @Param('id', uuid) id: string): Promise<LotteryDrawDto> {
    return this.lotteries.drawResult(municipalityId, id);
  }
}

@ApiTags('lotteries (resident)')
@ApiController('lotteries')
@ResidentOnly()
export class LotteryEntriesController {
  constructor(private readonly lotteries: LotteryService) {}

  @Post(':id/entries')
  @ApiOperation({ summary: 'Enter the lottery for one room, day and slots, before the deadline (after: 409 LOTTERY_CLOSED)' })
  enter(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Body() body: LotteryEntryRequestDto): Promise<LotteryEntryDto> {
    return this.lotteries.enter(resident, id, body);
  }

  @Get(':id/entries/mine')
  @ApiOperation({ summary: "The resident's entries and their outcome; a win names the hold to apply with (its expiry is the payment deadline)" })
  mine(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<LotteryEntryDto[]> {
    return this.lotteries.mine(resident, id);
  }

  @Post(':id/entries/:number/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw an entry before the deadline' })
  withdraw(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Param('number', new EntryNumberPipe()) entryNumber: number): Promise<LotteryEntryDto> {
    return this.lotteries.withdraw(resident, id, entryNumber);
  }
}

@ApiTags('lotteries (staff)')
@ApiController('staff')
@StaffOnly('clerk', 'reviewer')
export class LotteryStaffController {
  constructor(private readonly lotteries: LotteryService) {}

  @Post('facilities/:code/lotteries')
  @ApiOperation({ summary: 'Open a lottery over rooms and use dates, with its entry deadline; the seed is drawn and published now' })
  create(@CurrentStaff() staff: StaffPrincipal, @Param('code', new FacilityCodePipe()) code: string, @Body() body: CreateLotteryDto): Promise<LotteryDto> {
    return this.lotteries.create(staff, code, body);
  }

  @Post('lotteries/:id/draw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Draw now (after the deadline; the worker does it too). Idempotent: a drawn lottery answers its published result' })
  draw(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<LotteryDrawDto> {
    return this.lotteries.drawByStaff(staff, id);
  }
}
