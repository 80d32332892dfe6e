import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { ApplicationsModule } from '@madoguchi/applications';
import { ApprovalsModule } from '@madoguchi/approvals';
import { BookingsModule } from '@madoguchi/bookings';
import { AuditModule } from '@madoguchi/audit';
import { CounterModule } from '@madoguchi/counter';
import { DocumentsModule } from '@madoguchi/documents';
import { IdentityModule } from '@madoguchi/identity';
import { PaymentsModule } from '@madoguchi/payments';
import { ProceduresModule } from '@madoguchi/procedures';
import { KpiModule, KpiReportSource } from '@madoguchi/kpi';
import { MAX_DRAFT_TEXT, ProcedureDraftsModule, ReportingModule } from '@madoguchi/reporting';
import { COUNTER_CSS, COUNTER_SCRIPT, LOBBY_SCRIPT, OFFICE_CSS, OFFICE_SCRIPT, PortalAssets, REPORTING_CSS } from '@madoguchi/ui';
import { PageFormBodyMiddleware } from '../../portal/src/shared/page-form-body.middleware';
import { ApprovalsPageController } from './approvals/approvals.page.controller';
import { AdminAuditPageController } from './admin/admin-audit.page.controller';
import { AdminCountersPageController } from './admin/admin-counters.page.controller';
import { AdminDepartmentsPageController } from './admin/admin-departments.page.controller';
import { AdminFacilitiesPageController } from './admin/admin-facilities.page.controller';
import { AdminHomePageController } from './admin/admin-home.page.controller';
import { AdminJpkiPageController } from './admin/admin-jpki.page.controller';
import { AdminKpisPageController } from './admin/admin-kpis.page.controller';
import { AdminStaffPageController } from './admin/admin-staff.page.controller';
import { CrlUploadMiddleware } from './admin/crl-upload.middleware';
import { AdminProceduresPageController } from './admin/procedures/admin-procedures.page.controller';
import { memoryUpload } from './shared/multipart-upload';
import { FacilityDayPageController } from './facility-day/facility-day.page.controller';
import { CaseFilesPageController } from './case/case-files.page.controller';
import { CasePageController } from './case/case.page.controller';
import { DashboardPageController } from './dashboard/dashboard.page.controller';
import { KpiPageController } from './dashboard/kpi.page.controller';
import { CounterEntryPageController } from './counter/counter-entry.page.controller';
import { DeskPageController } from './counter/desk.page.controller';
import { DeskPaymentPageController } from './counter/desk-payment.page.controller';
import { DeskRefundsPageController } from './counter/desk-refunds.page.controller';
import { LobbyContextFactory } from './counter/lobby-context';
import { KioskPageController, LobbyPageController } from './counter/lobby.page.controller';
import { QueuePageController } from './queue/queue.page.controller';
import { OfficeContextFactory } from './shared/office-context';
import { OfficeExceptionFilter } from './shared/office-exception.filter';
import { OfficeAssetsController, OfficeHomeController, OfficeLanguageController } from './shared/office-shell.controller';
import { SignInPageController, SignOutPageController, TotpPageController } from './sign-in/sign-in.page.controller';
import { AnnualReportPageController } from './reporting/annual-report.page.controller';
import { EvaluationPageController } from './reporting/evaluation.page.controller';

/**
 * The staff office at /office: HTML pages on the same services as the JSON
 * API (one service layer, so a page shows exactly what the API lets its
 * caller see). Self-contained: its own assets, language switch and error
 * pages, so a municipality can serve it alone (`APPS=office`) on its closed
 * staff network. Needs CoreModule (global) and the domain modules from the
 * composing application.
 */
@Module({
  imports: [
    IdentityModule,
    ApplicationsModule,
    ProceduresModule,
    ApprovalsModule,
    AuditModule,
    BookingsModule,
    CounterModule,
    PaymentsModule,
    KpiModule,
    ProcedureDraftsModule,
    // The same binding as the API's, so Nest shares the one module instance.
    ReportingModule.withKpiSource({ imports: [KpiModule], useExisting: KpiReportSource }),
    DocumentsModule,
  ],
  controllers: [
    OfficeAssetsController,
    OfficeLanguageController,
    SignInPageController,
    SignOutPageController,
    TotpPageController,
    QueuePageController,
    CasePageController,
    CaseFilesPageController,
    ApprovalsPageController,
    AdminHomePageController,
    AdminStaffPageController,
    AdminAuditPageController,
    AdminJpkiPageController,
    AdminKpisPageController,
    DashboardPageController,
    KpiPageController,
    AdminProceduresPageController,
    AdminDepartmentsPageController,
    AdminCountersPageController,
    AdminFacilitiesPageController,
    FacilityDayPageController,
    DeskPageController,
    DeskPaymentPageController,
    DeskRefundsPageController,
    CounterEntryPageController,
    KioskPageController,
    LobbyPageController,
    EvaluationPageController,
    AnnualReportPageController,
    // Last: its `GET /office` must not shadow the more specific paths.
    OfficeHomeController,
  ],
  providers: [
    { provide: PortalAssets, useFactory: () => new PortalAssets({ basePath: '/office/assets', script: OFFICE_SCRIPT + COUNTER_SCRIPT + LOBBY_SCRIPT, css: OFFICE_CSS + COUNTER_CSS + REPORTING_CSS }) },
    OfficeContextFactory,
    LobbyContextFactory,
    OfficeExceptionFilter,
    PageFormBodyMiddleware,
    CrlUploadMiddleware,
  ],
})
export class OfficeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Before the access guard, which reads the hidden `_csrf` field of a form.
    consumer
      .apply(PageFormBodyMiddleware)
      .forRoutes({ path: 'office/{*path}', method: RequestMethod.POST }, { path: 'kiosk/{*path}', method: RequestMethod.POST });
    // Multipart forms of the office: the CRL file.
    consumer.apply(CrlUploadMiddleware).forRoutes({ path: 'office/admin/jpki/crls', method: RequestMethod.POST });
    // A procedure definition, uploaded or typed: one YAML file (the JSON route's text limit, in UTF-8 bytes at most 3 per character) or the textarea.
    consumer
      .apply(memoryUpload('file', { fileSize: 1_000_000, fields: 5, fieldSize: MAX_DRAFT_TEXT * 3 }))
      .forRoutes({ path: 'office/admin/procedures/drafts', method: RequestMethod.POST }, { path: 'office/admin/procedures/drafts/:id', method: RequestMethod.POST });
  }
}
