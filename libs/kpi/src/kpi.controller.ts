import { Get, Query } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiController, CurrentMunicipality, type MunicipalityId, Public } from '@madoguchi/kernel';
import { OnlineProceduresKpiDto, OnlineProceduresKpiQuery } from './dto/online-procedures-kpi.dto';
import { KpiService } from './kpi.service';

@ApiTags('kpi')
@ApiHeader({ name: 'X-Municipality-Id', required: false })
@Public()
@ApiController('kpi')
export class KpiController {
  constructor(private readonly kpi: KpiService) {}

  @Get('online-procedures')
  @ApiOperation({ summary: 'Targeted procedures online against the target (open data)' })
  @ApiOkResponse({ type: OnlineProceduresKpiDto })
  onlineProcedures(@CurrentMunicipality() municipalityId: MunicipalityId, @Query() query: OnlineProceduresKpiQuery): Promise<OnlineProceduresKpiDto> {
    return this.kpi.onlineProcedures(municipalityId, query.asOf, query.from);
  }
}
