import { Body, Get, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, type StaffPrincipal } from '@madoguchi/identity';
import { ApiController, StaffOnly } from '@madoguchi/kernel';
import { AreaEvaluationView, EvaluationAreaCreateDto, EvaluationAreaEntryDto, EvaluationAreaView, EvaluationYearView } from '../dto/evaluation.dto';
import { parseFiscalYear } from '../reporting.errors';
import { EvaluationService } from './evaluation.service';

@ApiTags('evaluation')
@ApiController('evaluation')
@StaffOnly('manager')
export class EvaluationController {
  constructor(private readonly evaluation: EvaluationService) {}

  @Get('areas')
  @ApiOperation({ summary: 'Evaluation areas (推進体制, 行政手続のオンライン化 …)' })
  areas(@CurrentStaff() staff: StaffPrincipal): Promise<EvaluationAreaView[]> {
    return this.evaluation.listAreas(staff);
  }

  @Post('areas')
  @ApiOperation({ summary: 'Add an evaluation area' })
  createArea(@CurrentStaff() staff: StaffPrincipal, @Body() body: EvaluationAreaCreateDto): Promise<EvaluationAreaView> {
    return this.evaluation.createArea(staff, body);
  }

  @Get(':fiscalYear')
  @ApiOperation({ summary: 'Every area of a fiscal year: items, notes, computed rating with its trail, published rating and mismatch' })
  year(@CurrentStaff() staff: StaffPrincipal, @Param('fiscalYear') fiscalYear: string): Promise<EvaluationYearView> {
    return this.evaluation.year(staff, parseFiscalYear(fiscalYear));
  }

  @Put(':fiscalYear/areas/:code')
  @ApiOperation({ summary: "Save an area's items, notes and published rating for the fiscal year (a new revision; earlier ones are kept)" })
  saveArea(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('fiscalYear') fiscalYear: string,
    @Param('code') code: string,
    @Body() body: EvaluationAreaEntryDto,
  ): Promise<AreaEvaluationView> {
    return this.evaluation.saveArea(staff, parseFiscalYear(fiscalYear), code, body);
  }
}
