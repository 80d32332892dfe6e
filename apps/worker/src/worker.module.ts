import { type DynamicModule, Module } from '@nestjs/common';
import { ApplicationsModule } from '@madoguchi/applications';
import { ApprovalsModule } from '@madoguchi/approvals';
import { BookingsModule } from '@madoguchi/bookings';
import { DocumentsModule } from '@madoguchi/documents';
import { IdentityModule } from '@madoguchi/identity';
import { NotificationsModule } from '@madoguchi/notifications';
import { CoreModule, type CoreOptions, OutboxModule } from '@madoguchi/kernel';
import { KpiModule } from '@madoguchi/kpi';
import { PaymentsModule } from '@madoguchi/payments';
import { RetentionModule } from '@madoguchi/retention';

/** Background work only: no HTTP. Libraries register their jobs on init. */
@Module({})
export class WorkerModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(options), OutboxModule, ApplicationsModule, IdentityModule, NotificationsModule, PaymentsModule, ApprovalsModule, DocumentsModule, BookingsModule, RetentionModule, KpiModule],
    };
  }
}
