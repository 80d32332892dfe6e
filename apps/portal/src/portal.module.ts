import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { BookingsModule } from '@madoguchi/bookings';
import { DocumentsModule } from '@madoguchi/documents';
import { PaymentsModule } from '@madoguchi/payments';
import { ProceduresModule } from '@madoguchi/procedures';
import { PortalAssets } from '@madoguchi/ui';
import { AssetsController } from './assets.controller';
import { CatalogPageController } from './catalog/catalog.page.controller';
import { BookingsPageController } from './facilities/bookings.page.controller';
import { FacilitiesPageController } from './facilities/facilities.page.controller';
import { LotteriesPageController } from './facilities/lotteries.page.controller';
import { LanguageController } from './lang.controller';
import { PageContextFactory } from './shared/page-context';
import { PageExceptionFilter } from './shared/page-exception.filter';
import { PageFormBodyMiddleware } from './shared/page-form-body.middleware';
import { VerifyPageController } from './verify/verify.page.controller';

/**
 * The resident portal: HTML pages on the same services as the JSON API,
 * one folder per feature. Pages hold no SQL and no business rule.
 * Needs CoreModule (global) from the composing application.
 */
@Module({
  imports: [ProceduresModule, DocumentsModule, BookingsModule, PaymentsModule],
  controllers: [
    CatalogPageController,
    VerifyPageController,
    FacilitiesPageController,
    BookingsPageController,
    LotteriesPageController,
    LanguageController,
    AssetsController,
  ],
  providers: [{ provide: PortalAssets, useFactory: () => new PortalAssets() }, PageContextFactory, PageExceptionFilter, PageFormBodyMiddleware],
})
export class PortalModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Before the access guard, which reads the hidden `_csrf` field of a form.
    consumer.apply(PageFormBodyMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.POST });
  }
}
