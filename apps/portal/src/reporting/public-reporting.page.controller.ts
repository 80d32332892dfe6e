import { Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { Public } from '@madoguchi/kernel';
import { OpenDataService, sendChartImage } from '@madoguchi/reporting';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { PageController } from '../shared/page-controller';
import { sendPage } from '../shared/page-response';
import { OpenDataView, ProgressView } from './public-reporting.views';

/**
 * /progress: how the municipality this portal serves is doing on its plan
 * KPIs, for anyone, on the same OpenDataService as /api/v1/opendata/progress
 * (aggregate figures only: who entered a value and their notes stay out).
 */
@Public()
@PageController('progress')
export class ProgressPageController {
  constructor(
    private readonly openData: OpenDataService,
    private readonly pages: PageContextFactory,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = this.pages.of(request);
    const language = context.lang === 'en' ? 'en' : 'ja';
    const [progress, charts] = await Promise.all([this.openData.progress(context.municipalityId), this.openData.progressCharts(context.municipalityId, language)]);
    sendPage(response, context.lang, renderDocument(ProgressView({ context, progress, charts })));
  }

  @Get('charts/:code.svg')
  async chart(@Req() request: Request, @Res() response: Response, @Param('code') code: string): Promise<void> {
    const context = this.pages.of(request);
    const chart = (await this.openData.progressCharts(context.municipalityId, context.lang === 'en' ? 'en' : 'ja')).get(code);
    if (!chart) throw new NotFoundException();
    sendChartImage(response, chart, { shared: true });
  }
}

/**
 * /opendata/: the open datasets as a page with the DCAT catalog embedded,
 * and each dataset at a stable address (/opendata/<dataset>.csv, .json),
 * from the same OpenDataService as /api/v1/opendata. No sign-in.
 */
@Public()
@PageController('opendata')
export class OpenDataPageController {
  constructor(
    private readonly openData: OpenDataService,
    private readonly pages: PageContextFactory,
  ) {}

  @Get()
  page(@Req() request: Request, @Res() response: Response): void {
    const context = this.pages.of(request);
    const datasets = this.openData.datasets(context.municipalityId);
    const catalog = this.openData.catalog(context.municipalityId, { site: true });
    sendPage(response, context.lang, renderDocument(OpenDataView({ context, datasets, catalog })));
  }

  @Get(':dataset.csv')
  async csv(@Req() request: Request, @Res() response: Response, @Param('dataset') dataset: string): Promise<void> {
    const context = this.pages.of(request);
    const { fileName, csv } = await this.openData.csv(context.municipalityId, dataset);
    response.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName}"`, 'X-Content-Type-Options': 'nosniff' }).send(csv);
  }

  @Get(':dataset.json')
  async json(@Req() request: Request, @Res() response: Response, @Param('dataset') dataset: string): Promise<void> {
    const context = this.pages.of(request);
    const table = await this.openData.table(context.municipalityId, dataset);
    response.status(200).set({ 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).send(JSON.stringify(table));
  }
}
