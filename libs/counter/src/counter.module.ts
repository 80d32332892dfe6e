import { Module, type OnModuleInit } from '@nestjs/common';
import { ApplicationsModule, CounterTicketLinks } from '@madoguchi/applications';
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
 * through ApplicationsService (to link a ticket to one) and never changes
 * them; a ticket never carries personal data beyond the resident and
 * application ids, and the public views show neither.
 */
@Module({
  imports: [IdentityModule, ApplicationsModule],
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
export class CounterModule implements OnModuleInit {
  constructor(
    private readonly links: CounterTicketLinks,
    private readonly desk: CounterDeskService,
  ) {}

  /** Assisted entry (libs/applications) links the visit's ticket through the desk's own rules. */
  onModuleInit(): void {
    this.links.use({
      assertLinkable: async (staff, ticketId) => {
        await this.desk.get(staff, ticketId);
      },
      link: async (staff, ticketId, applicationId, manager) => {
        await this.desk.linkApplication(staff, ticketId, applicationId, manager);
      },
    });
  }
}
