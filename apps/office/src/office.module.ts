import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { ApplicationsModule } from '@madoguchi/applications';
import { ApprovalsModule } from '@madoguchi/approvals';
import { IdentityModule } from '@madoguchi/identity';
import { ProceduresModule } from '@madoguchi/procedures';
import { OFFICE_CSS, OFFICE_SCRIPT, PortalAssets } from '@madoguchi/ui';
import { PageFormBodyMiddleware } from '../../portal/src/shared/page-form-body.middleware';
import { ApprovalsPageController } from './approvals/approvals.page.controller';
import { CasePageController } from './case/case.page.controller';
import { QueuePageController } from './queue/queue.page.controller';
import { OfficeContextFactory } from './shared/office-context';
import { OfficeExceptionFilter } from './shared/office-exception.filter';
import { OfficeAssetsController, OfficeHomeController, OfficeLanguageController } from './shared/office-shell.controller';
import { SignInPageController, SignOutPageController, TotpPageController } from './sign-in/sign-in.page.controller';

/**
 * The staff office at /office: HTML pages on the same services as the JSON
 * API (one service layer, so a page shows exactly what the API lets its
 * caller see). Self-contained: its own assets, language switch and error
 * pages, so a municipality can serve it alone (`APPS=office`) on its closed
 * staff network. Needs CoreModule (global) and the domain modules from the
 * composing application.
 */
@Module({
  imports: [IdentityModule, ApplicationsModule, ProceduresModule, ApprovalsModule],
  controllers: [
    OfficeAssetsController,
    OfficeLanguageController,
    SignInPageController,
    SignOutPageController,
    TotpPageController,
    QueuePageController,
    CasePageController,
    ApprovalsPageController,
    // Last: its `GET /office` must not shadow the more specific paths.
    OfficeHomeController,
  ],
  providers: [
    { provide: PortalAssets, useFactory: () => new PortalAssets({ basePath: '/office/assets', script: OFFICE_SCRIPT, css: OFFICE_CSS }) },
    OfficeContextFactory,
    OfficeExceptionFilter,
    PageFormBodyMiddleware,
  ],
})
export class OfficeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Before the access guard, which reads the hidden `_csrf` field of a form.
    consumer.apply(PageFormBodyMiddleware).forRoutes({ path: 'office/{*path}', method: RequestMethod.POST });
  }
}
