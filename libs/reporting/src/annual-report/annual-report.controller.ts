import { Get, Header, Param, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, type StaffPrincipal, StaffOnly } from '@madoguchi/identity';
import { ApiController, ApiFileResponse } from '@madoguchi/kernel';
import { parseFiscalYear } from '../reporting.errors';
import { AnnualReportService } from './annual-report.service';

@ApiTags('reports (managers)')
@ApiController('reports')
@StaffOnly('manager', 'administrator')
export class AnnualReportController {
  constructor(private readonly reports: AnnualReportService) {}

  @Get('annual/:fiscalYear.pdf')
  @ApiFileResponse('application/pdf', 'The annual progress report (PDF): every KPI with its chart, the evaluation table and notes.')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiOperation({ summary: 'The annual progress report for the advisory committee, as PDF' })
  async annual(@CurrentStaff() staff: StaffPrincipal, @Param('fiscalYear') fiscalYear: string): Promise<StreamableFile> {
    const file = await this.reports.pdf(staff, parseFiscalYear(fiscalYear));
    return new StreamableFile(file.data, {
      type: 'application/pdf',
      disposition: `attachment; filename="${file.fileName}"`,
      length: file.data.length,
    });
  }
}
