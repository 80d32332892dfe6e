import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { ApplicationsModule } from '@madoguchi/applications';
import { DocumentsModule } from '@madoguchi/documents';
import { ProceduresModule } from '@madoguchi/procedures';
import { PortalAssets } from '@madoguchi/ui';
import { AssetsController } from './assets.controller';
import { CatalogPageController } from './catalog/catalog.page.controller';
import { LanguageController } from './lang.controller';
import { PageContextFactory } from './shared/page-context';
import { PageExceptionFilter } from './shared/page-exception.filter';
import { PageFormBodyMiddleware } from './shared/page-form-body.middleware';
import { VerifyPageController } from './verify/verify.page.controller';
import { ApplyPageController } from './apply/apply.page.controller';
import { AttachmentUploadMiddleware } from './apply/attachment-upload.middleware';

/**
 * The resident portal: HTML pages on the same services as the JSON API,
 * one folder per feature. Pages hold no SQL and no business rule.
 * Needs CoreModule (global) from the composing application.
 */
@Module({
  imports: [ProceduresModule, DocumentsModule, ApplicationsModule],
  controllers: [ApplyPageController, CatalogPageController, VerifyPageController, LanguageController, AssetsController],
  providers: [{ provide: PortalAssets, useFactory: () => new PortalAssets() }, PageContextFactory, PageExceptionFilter, PageFormBodyMiddleware, AttachmentUploadMiddleware],
})
export class PortalModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Before the access guard, which reads the hidden `_csrf` field of a form.
    consumer.apply(PageFormBodyMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.POST });
    // The attachments page posts multipart: parsed here for the same reason (its `_csrf` field).
    consumer.apply(AttachmentUploadMiddleware).forRoutes({ path: 'applications/:id/attachments', method: RequestMethod.POST });
  }
}
