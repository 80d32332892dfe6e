import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { ApplicationsModule } from '@madoguchi/applications';
import { BookingsModule } from '@madoguchi/bookings';
import { DocumentsModule } from '@madoguchi/documents';
import { IdentityModule } from '@madoguchi/identity';
import { PaymentsModule } from '@madoguchi/payments';
import { KpiModule, KpiReportSource } from '@madoguchi/kpi';
import { ProceduresModule } from '@madoguchi/procedures';
import { ReportingModule } from '@madoguchi/reporting';
import { RetentionModule } from '@madoguchi/retention';
import { AccessLogPageController } from './account/access-log.page.controller';
import { AccountPageController } from './account/account.page.controller';
import { RegistrationPageController } from './account/registration.page.controller';
import { SignInPageController } from './account/sign-in.page.controller';
import { ApplicationPagesController } from './applications/application-pages.controller';
import { AssetsController } from './assets.controller';
import { CatalogPageController } from './catalog/catalog.page.controller';
import { BookingsPageController } from './facilities/bookings.page.controller';
import { FacilitiesPageController } from './facilities/facilities.page.controller';
import { LotteriesPageController } from './facilities/lotteries.page.controller';
import { LanguageController } from './lang.controller';
import { PortalErrorPagesModule } from './shared/portal-error-pages';
import { PageExceptionFilter } from './shared/page-exception.filter';
import { PageFormBodyMiddleware } from './shared/page-form-body.middleware';
import { VerifyPageController } from './verify/verify.page.controller';
import { OpenDataPageController, ProgressPageController } from './reporting/public-reporting.page.controller';
import { ApplyPageController } from './apply/apply.page.controller';
import { AttachmentUploadMiddleware } from './apply/attachment-upload.middleware';
import { POSTAL_CODE_DIRECTORY } from './postal-code/postal-code-directory';
import { PostalCodePageController } from './postal-code/postal-code.page.controller';

/**
 * The resident portal: HTML pages on the same services as the JSON API,
 * one folder per feature. Pages hold no SQL and no business rule.
 * Needs CoreModule (global) from the composing application.
 */
@Module({
  imports: [
    ProceduresModule,
    DocumentsModule,
    ApplicationsModule,
    PaymentsModule,
    BookingsModule,
    IdentityModule,
    RetentionModule,
    PortalErrorPagesModule,
    // The same binding as the API's, so Nest shares the one module instance.
    ReportingModule.withKpiSource({ imports: [KpiModule], useExisting: KpiReportSource }),
  ],
  controllers: [
    SignInPageController,
    RegistrationPageController,
    AccountPageController,
    AccessLogPageController,
    CatalogPageController,
    VerifyPageController,
    ApplyPageController,
    ApplicationPagesController,
    FacilitiesPageController,
    BookingsPageController,
    LotteriesPageController,
    ProgressPageController,
    OpenDataPageController,
    LanguageController,
    AssetsController,
    PostalCodePageController,
  ],
  providers: [PageExceptionFilter, PageFormBodyMiddleware, AttachmentUploadMiddleware, POSTAL_CODE_DIRECTORY],
})
export class PortalModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Before the access guard, which reads the hidden `_csrf` field of a form.
    consumer.apply(PageFormBodyMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.POST });
    // The attachments page posts multipart: parsed here for the same reason (its `_csrf` field).
    consumer.apply(AttachmentUploadMiddleware).forRoutes({ path: 'applications/:id/attachments', method: RequestMethod.POST });
  }
}
