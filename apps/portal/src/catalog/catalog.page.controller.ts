import { Get, Param, Query, Req, Res } from '@nestjs/common';
import { Public } from '@madoguchi/kernel';
import { ProcedureError, ProceduresService } from '@madoguchi/procedures';
import { renderDocument } from '@madoguchi/ui';
import { PageController } from '../shared/page-controller';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { sendPage } from '../shared/page-response';
import { NotFoundView } from '../shared/portal-page';
import { LIFE_EVENTS, readCatalogFilters } from './catalog-filters';
import { toHomeProcedure, toProcedureGuide } from './catalog.page-mapper';
import { HomeView } from './home.view';
import { ProcedureGuideView } from './procedure-guide.view';

/** Home, search and the procedure guide: the same catalog service the JSON API calls. */
@Public()
@PageController()
export class CatalogPageController {
  constructor(
    private readonly procedures: ProceduresService,
    private readonly pages: PageContextFactory,
  ) {}

  @Get()
  async home(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const context = this.pages.of(request);
    const filters = readCatalogFilters(query);
    const found = await this.procedures.search(context.municipalityId, {
      q: filters.q || undefined,
      category: filters.category,
      nationalCategory: filters.event ? LIFE_EVENTS[filters.event] : undefined,
      online: filters.online ? true : undefined,
    });
    sendPage(response, context.lang, renderDocument(HomeView({ context, filters, procedures: found.map((summary) => toHomeProcedure(context.lang, summary)) })));
  }

  @Get('procedures/:code')
  async guide(@Req() request: Request, @Res() response: Response, @Param('code') code: string): Promise<void> {
    const context = this.pages.of(request);
    try {
      const detail = await this.procedures.detail(context.municipalityId, code);
      sendPage(response, context.lang, renderDocument(ProcedureGuideView({ context, procedure: toProcedureGuide(context.lang, detail) })));
    } catch (error) {
      if (!(error instanceof ProcedureError) || error.httpStatus !== 404) throw error;
      sendPage(response, context.lang, renderDocument(NotFoundView({ context })), 404);
    }
  }
}
