import { Get, Req, Res } from '@nestjs/common';
import { StaffOnly } from '@madoguchi/identity';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { AdminHomeView } from './admin-home.view';

/** /office/admin: the administration menu. */
@StaffOnly('administrator')
@OfficePageController('admin')
export class AdminHomePageController {
  constructor(private readonly pages: OfficeContextFactory) {}

  @Get()
  async home(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.of(request);
    sendPage(response, context.lang, renderDocument(AdminHomeView({ context })));
  }
}
