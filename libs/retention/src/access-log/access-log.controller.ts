import { Get, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiController, ApiFileResponse } from '@madoguchi/kernel';
import { CurrentResident, ResidentOnly, type ResidentPrincipal } from '@madoguchi/identity';
import type { Response } from 'express';
import { AccessLogPageDto, AccessLogQuery } from './access-log.dto';
import { AccessLogService } from './access-log.service';

@ApiTags('privacy (resident)')
@ApiController('me')
@ResidentOnly()
export class AccessLogController {
  constructor(private readonly accessLog: AccessLogService) {}

  /** Every staff read of your personal data, from the audit log, newest first. */
  @Get('access-log')
  list(@CurrentResident() resident: ResidentPrincipal, @Query() query: AccessLogQuery): Promise<AccessLogPageDto> {
    return this.accessLog.page(resident, query);
  }

  @Get('access-log.csv')
  @ApiFileResponse('text/csv', 'The whole access log as CSV: UTF-8 with BOM, CRLF, header row.')
  @ApiProduces('text/csv')
  async csv(@CurrentResident() resident: ResidentPrincipal, @Res() response: Response): Promise<void> {
    sendAccessLogCsv(response, await this.accessLog.csv(resident));
  }
}

/** The access log CSV as a download, never cached: the JSON API's and the portal page's. */
export function sendAccessLogCsv(response: Response, file: { fileName: string; csv: string }): void {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
  response.setHeader('Cache-Control', 'no-store');
  response.send(file.csv);
}
