import { Get, Param, Query } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiController, CurrentMunicipality, type MunicipalityId, Public } from '@madoguchi/kernel';
import { LocalizedFieldDto, ProcedureDetailDto, ProcedureSummaryDto } from './dto/procedure-response.dto';
import { ProcedureLanguageQuery, SearchProceduresQuery } from './dto/search-procedures.query';
import { ProceduresService } from './procedures.service';

@ApiTags('procedures')
@ApiExtraModels(LocalizedFieldDto)
@ApiHeader({ name: 'X-Municipality-Id', required: false, description: 'Municipality; defaults to the instance default' })
@Public()
@ApiController('procedures')
export class ProceduresController {
  constructor(private readonly procedures: ProceduresService) {}

  @Get()
  @ApiOkResponse({ type: [ProcedureSummaryDto] })
  search(@CurrentMunicipality() municipalityId: MunicipalityId, @Query() query: SearchProceduresQuery): Promise<ProcedureSummaryDto[]> {
    return this.procedures.search(municipalityId, query);
  }

  @Get(':code')
  @ApiOkResponse({ type: ProcedureDetailDto })
  detail(
    @CurrentMunicipality() municipalityId: MunicipalityId,
    @Param('code') code: string,
    @Query() query: ProcedureLanguageQuery,
  ): Promise<ProcedureDetailDto> {
    return this.procedures.detail(municipalityId, code, query.lang);
  }
}
