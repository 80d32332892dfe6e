import { Module } from '@nestjs/common';
import { EngineModule } from '@madoguchi/engine';
import { IdentityModule } from '@madoguchi/identity';
import { CounterAdminService } from './counter-admin.service';
import { CounterDeskService } from './counter-desk.service';
import { CounterSetupRepository } from './counter-setup.repository';
import { CounterStatisticsRepository } from './counter-statistics.repository';
import { CounterStatisticsService } from './counter-statistics.service';
import { CounterAdminController, CounterBookingsController, CounterDeskController, CounterPublicController, CounterStatisticsController } from './counter.controller';
import { QueueStatusService } from './queue-status.service';
import { TicketIssueService } from './ticket-issue.service';
import { TicketRepository } from './ticket.repository';

/**
 * Queue tickets at the counter (受付発券, 待たせない): services and counters,
 * tickets from the kiosk, from staff and booked online, calling them in
 * order, the public queue status with estimated waits, and statistics.
 *
 * Owns the counter_* tables and nothing else. It reads applications only
 * through the engine's CaseAccess (to link a ticket to one) and never
 * changes them; assisted entry (libs/applications) links a visit's ticket
 * through CounterDeskService and its rules; a ticket never carries personal data beyond the resident and
 * application ids, and the public views show neither.
 */
@Module({
  imports: [IdentityModule, EngineModule],
  controllers: [CounterPublicController, CounterBookingsController, CounterDeskController, CounterStatisticsController, CounterAdminController],
  providers: [
    CounterSetupRepository,
    TicketRepository,
    CounterStatisticsRepository,
    CounterAdminService,
    QueueStatusService,
    TicketIssueService,
    CounterDeskService,
    CounterStatisticsService,
  ],
  exports: [CounterAdminService, TicketIssueService, CounterDeskService, QueueStatusService, CounterStatisticsService],
})
export class CounterModule {}
