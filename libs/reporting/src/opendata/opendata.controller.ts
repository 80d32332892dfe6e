import { Get, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiController, ApiFileResponse, CurrentMunicipality, type MunicipalityId, Public } from '@madoguchi/kernel';
import type { Response } from 'express';
import { ProgressQuery } from '../dto/progress-query.dto';
import { type OpenDataTable, OpenDataService, type PublicProgress } from './opendata.service';

@ApiTags('open data')
@ApiHeader({ name: 'X-Municipality-Id', required: false })
@Public()
@ApiController('opendata')
export class OpenDataController {
  constructor(private readonly openData: OpenDataService) {}

  @Get()
  @ApiOperation({ summary: 'DCAT catalog (JSON-LD) of the open datasets, CC BY 4.0, for CKAN harvesting' })
  catalog(@CurrentMunicipality() municipalityId: MunicipalityId): Record<string, unknown> {
    return this.openData.catalog(municipalityId);
  }

  @Get('progress')
  @ApiOperation({ summary: 'Every active plan KPI: baseline, target, latest value, gap and on track (public, no personal data)' })
  progress(@CurrentMunicipality() municipalityId: MunicipalityId, @Query() query: ProgressQuery): Promise<PublicProgress> {
    return this.openData.progress(municipalityId, query.fiscalYear);
  }

  @Get(':dataset.json')
  @ApiOperation({ summary: 'One dataset as JSON: its stable column list and rows' })
  json(@CurrentMunicipality() municipalityId: MunicipalityId, @Param('dataset') dataset: string): Promise<OpenDataTable> {
    return this.openData.table(municipalityId, dataset);
  }

  @Get(':dataset.csv')
  @ApiFileResponse('text/csv', 'The dataset as CSV: UTF-8 with BOM, CRLF, header row.')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'One dataset as CSV (UTF-8 with BOM, CRLF, header row, formula-like cells neutralised)' })
  async csv(@CurrentMunicipality() municipalityId: MunicipalityId, @Param('dataset') dataset: string, @Res() response: Response): Promise<void> {
    const { fileName, csv } = await this.openData.csv(municipalityId, dataset);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    response.send(csv);
  }
}
