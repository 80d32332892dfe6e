import { Module } from '@nestjs/common';
import { DocumentsModule } from '@madoguchi/documents';
import { ProceduresModule } from '@madoguchi/procedures';
import { PortalAssets } from '@madoguchi/ui';
import { AssetsController } from './assets.controller';
import { CatalogPageController } from './catalog/catalog.page.controller';
import { LanguageController } from './lang.controller';
import { PageContextFactory } from './shared/page-context';
import { VerifyPageController } from './verify/verify.page.controller';

/**
 * The resident portal: HTML pages on the same services as the JSON API,
 * one folder per feature. Pages hold no SQL and no business rule.
 * Needs CoreModule (global) from the composing application.
 */
@Module({
  imports: [ProceduresModule, DocumentsModule],
  controllers: [CatalogPageController, VerifyPageController, LanguageController, AssetsController],
  providers: [{ provide: PortalAssets, useFactory: () => new PortalAssets() }, PageContextFactory],
})
export class PortalModule {}
