import { BadRequestException, Body, Delete, Get, HttpCode, Ip, Param, ParseUUIDPipe, type PipeTransform, Post, Put, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentResident, CurrentStaff, type ResidentPrincipal, ResidentOnly, type StaffPrincipal, StaffOnly } from '@madoguchi/identity';
import { ApiController, ApiFileResponse, CurrentMunicipality, type MunicipalityId, Public } from '@madoguchi/kernel';
import type { Response } from 'express';
import { CounterAdminService } from './counter-admin.service';
import { CounterDeskService } from './counter-desk.service';
import { CounterStatisticsService } from './counter-statistics.service';
import {
  CounterCreateDto,
  type CounterDto,
  CounterServiceCreateDto,
  type CounterServiceDto,
  CounterServiceUpdateDto,
  CounterUpdateDto,
  SERVICE_CODE_PATTERN,
} from './dto/counter-admin.dto';
import { type CounterStatisticsDto, StatisticsQuery } from './dto/statistics.dto';
import {
  type BookingDto,
  BookVisitDto,
  CounterOpenDto,
  type CounterQueueDto,
  IssueTicketDto,
  KioskTicketDto,
  LinkApplicationDto,
  type PublicTicketDto,
  type QueueStatusDto,
  type SlotDto,
  SlotsQuery,
  type TicketDetailDto,
  type TicketDto,
  TransferDto,
} from './dto/ticket.dto';
import { QueueStatusService } from './queue-status.service';
import { TicketIssueService } from './ticket-issue.service';

const uuid = new ParseUUIDPipe();

/** A service code in the path, checked like a body field. */
class ServiceCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SERVICE_CODE_PATTERN.test(value)) throw new BadRequestException({ message: ['code must be a service code (a-z, 0-9, -)'] });
    return value;
  }
}
const serviceCode = new ServiceCodePipe();

@ApiTags('counter (public)')
@ApiHeader({ name: 'X-Municipality-Id', required: false })
@ApiController('counter')
@Public()
export class CounterPublicController {
  constructor(
    private readonly status: QueueStatusService,
    private readonly issue: TicketIssueService,
  ) {}

  @Get('status')
  @ApiOperation({ summary: 'Per service: numbers being served, people waiting, estimated wait and crowding (混雑状況)' })
  queueStatus(@CurrentMunicipality() municipalityId: MunicipalityId): Promise<QueueStatusDto> {
    return this.status.status(municipalityId);
  }

  @Get('services/:code/slots')
  @ApiOperation({ summary: 'Slots of a day that can be booked online, with places left' })
  slots(@CurrentMunicipality() municipalityId: MunicipalityId, @Param('code', serviceCode) code: string, @Query() query: SlotsQuery): Promise<SlotDto[]> {
    return this.issue.slots(municipalityId, code, query.date);
  }

  @Post('tickets')
  @ApiOperation({ summary: 'Kiosk (発券機): take a ticket for a service; limited per address' })
  kiosk(@CurrentMunicipality() municipalityId: MunicipalityId, @Body() body: KioskTicketDto, @Ip() ip: string): Promise<PublicTicketDto> {
    return this.issue.kiosk(municipalityId, body, ip);
  }

  @Get('tickets/:id')
  @ApiOperation({ summary: "A ticket's status, place in the queue and estimated wait (the slip's QR code)" })
  ticket(@CurrentMunicipality() municipalityId: MunicipalityId, @Param('id', uuid) id: string): Promise<PublicTicketDto> {
    return this.status.ticket(municipalityId, id);
  }
}

@ApiTags('counter (resident)')
@ApiController('counter/bookings')
@ResidentOnly()
export class CounterBookingsController {
  constructor(private readonly issue: TicketIssueService) {}

  @Post()
  @ApiOperation({ summary: 'Book a visit for a slot: a ticket called before walk-ins once the slot has come' })
  book(@CurrentResident() resident: ResidentPrincipal, @Body() body: BookVisitDto): Promise<BookingDto> {
    return this.issue.book(resident, body);
  }

  @Get()
  list(@CurrentResident() resident: ResidentPrincipal): Promise<BookingDto[]> {
    return this.issue.listBookings(resident);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<BookingDto> {
    return this.issue.cancelBooking(resident, id);
  }
}

@ApiTags('counter (staff)')
@ApiController('staff')
@StaffOnly('clerk')
export class CounterDeskController {
  constructor(
    private readonly desk: CounterDeskService,
    private readonly issue: TicketIssueService,
  ) {}

  @Get('counters')
  counters(@CurrentStaff() staff: StaffPrincipal): Promise<CounterDto[]> {
    return this.desk.listCounters(staff);
  }

  @Get('counters/:id/queue')
  @ApiOperation({ summary: 'Called and waiting tickets of a counter, in the order "call next" takes them' })
  queue(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<CounterQueueDto> {
    return this.desk.queue(staff, id);
  }

  @Put('counters/:id/open')
  setOpen(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: CounterOpenDto): Promise<CounterDto> {
    return this.desk.setOpen(staff, id, body.open);
  }

  @Post('counters/:id/call-next')
  @HttpCode(200)
  @ApiOperation({ summary: 'Call the next ticket (priority, then due appointments, then arrival); 409 COUNTER_NOBODY_WAITING when none' })
  callNext(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<TicketDto> {
    return this.desk.callNext(staff, id);
  }

  @Post('counter-tickets')
  @ApiOperation({ summary: 'Issue a ticket at the counter, optionally for an application' })
  issueTicket(@CurrentStaff() staff: StaffPrincipal, @Body() body: IssueTicketDto): Promise<TicketDto> {
    return this.issue.staffIssue(staff, body);
  }

  @Get('counter-tickets/:id')
  ticket(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<TicketDetailDto> {
    return this.desk.get(staff, id);
  }

  @Post('counter-tickets/:id/recall')
  @HttpCode(200)
  recall(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<TicketDto> {
    return this.desk.act(staff, id, 'recall');
  }

  @Post('counter-tickets/:id/no-show')
  @HttpCode(200)
  noShow(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<TicketDto> {
    return this.desk.act(staff, id, 'noShow');
  }

  @Post('counter-tickets/:id/start')
  @HttpCode(200)
  start(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<TicketDto> {
    return this.desk.act(staff, id, 'start');
  }

  @Post('counter-tickets/:id/finish')
  @HttpCode(200)
  finish(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<TicketDto> {
    return this.desk.act(staff, id, 'finish');
  }

  @Post('counter-tickets/:id/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the resident on to another service or counter, keeping their place' })
  transfer(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: TransferDto): Promise<TicketDto> {
    return this.desk.transfer(staff, id, body);
  }

  @Put('counter-tickets/:id/application')
  linkApplication(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: LinkApplicationDto): Promise<TicketDto> {
    return this.desk.linkApplication(staff, id, body.applicationId);
  }
}

@ApiTags('counter (statistics)')
@ApiController('staff')
@StaffOnly('manager')
export class CounterStatisticsController {
  constructor(private readonly statistics: CounterStatisticsService) {}

  @Get('counter-statistics')
  @ApiOperation({ summary: 'Waiting and service times per service and hour, no-show rate, for a range of local days' })
  report(@CurrentStaff() staff: StaffPrincipal, @Query() query: StatisticsQuery): Promise<CounterStatisticsDto> {
    return this.statistics.report(staff, query.from, query.to);
  }

  @Get('counter-statistics.csv')
  @ApiFileResponse('text/csv', 'The statistics as CSV (UTF-8), as an attachment.')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The same figures as CSV, one row per service and hour (stable columns)' })
  async csv(@CurrentStaff() staff: StaffPrincipal, @Query() query: StatisticsQuery, @Res() response: Response): Promise<void> {
    const { fileName, csv } = await this.statistics.csv(staff, query.from, query.to);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    response.setHeader('Cache-Control', 'no-store');
    response.send(csv);
  }
}

@ApiTags('administration')
@ApiController('admin')
@StaffOnly('administrator')
export class CounterAdminController {
  constructor(private readonly admin: CounterAdminService) {}

  @Get('counter-services')
  listServices(@CurrentStaff() admin: StaffPrincipal): Promise<CounterServiceDto[]> {
    return this.admin.listServices(admin);
  }

  @Post('counter-services')
  createService(@CurrentStaff() admin: StaffPrincipal, @Body() body: CounterServiceCreateDto): Promise<CounterServiceDto> {
    return this.admin.createService(admin, body);
  }

  @Put('counter-services/:code')
  updateService(@CurrentStaff() admin: StaffPrincipal, @Param('code', serviceCode) code: string, @Body() body: CounterServiceUpdateDto): Promise<CounterServiceDto> {
    return this.admin.updateService(admin, code, body);
  }

  @Delete('counter-services/:code')
  @HttpCode(204)
  @ApiOperation({ summary: 'Retire a service: no new tickets; kept for statistics' })
  retireService(@CurrentStaff() admin: StaffPrincipal, @Param('code', serviceCode) code: string): Promise<void> {
    return this.admin.retireService(admin, code);
  }

  @Get('counters')
  listCounters(@CurrentStaff() admin: StaffPrincipal): Promise<CounterDto[]> {
    return this.admin.listCounters(admin);
  }

  @Post('counters')
  createCounter(@CurrentStaff() admin: StaffPrincipal, @Body() body: CounterCreateDto): Promise<CounterDto> {
    return this.admin.createCounter(admin, body);
  }

  @Get('counters/:id')
  getCounter(@CurrentStaff() admin: StaffPrincipal, @Param('id', uuid) id: string): Promise<CounterDto> {
    return this.admin.getCounter(admin, id);
  }

  @Put('counters/:id')
  updateCounter(@CurrentStaff() admin: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: CounterUpdateDto): Promise<CounterDto> {
    return this.admin.updateCounter(admin, id, body);
  }

  @Delete('counters/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Retire a counter: closed, calls nothing more; kept for the tickets it served' })
  retireCounter(@CurrentStaff() admin: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    return this.admin.retireCounter(admin, id);
  }
}
