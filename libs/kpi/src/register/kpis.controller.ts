import { BadRequestException, Body, Get, HttpCode, Param, type PipeTransform, Post, Put, Query, type StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, type StaffPrincipal, StaffOnly } from '@madoguchi/identity';
import { ApiController } from '@madoguchi/kernel';
import { KpiChartsService } from '../charts/kpi-charts.service';
import { SvgChartResponse, svgFile } from '../charts/chart-response';
import { ChartQuery, DashboardQuery, KpiInputDto, KpiValueInputDto } from './kpi.dto';
import { type AdminKpi, type KpiCard, type KpiDetail, KpiRegisterService } from './kpi-register.service';

const kpiCode: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(value)) throw new BadRequestException('invalid KPI code');
    return value;
  },
};

@ApiTags('kpis (administrators)')
@ApiController('admin/kpis')
@StaffOnly('administrator')
export class KpisAdminController {
  constructor(private readonly register: KpiRegisterService) {}

  @Get()
  @ApiOperation({ summary: 'The register of plan KPIs, retired ones included' })
  list(@CurrentStaff() staff: StaffPrincipal): Promise<AdminKpi[]> {
    return this.register.adminList(staff);
  }

  @Put(':code')
  @ApiOperation({ summary: 'Create or replace a plan KPI (each change is kept as a revision)' })
  put(@CurrentStaff() staff: StaffPrincipal, @Param('code', kpiCode) code: string, @Body() body: KpiInputDto): Promise<AdminKpi> {
    return this.register.adminPut(staff, code, body);
  }
}

@ApiTags('kpis (managers)')
@ApiController('kpis')
@StaffOnly('manager', 'administrator')
export class KpisController {
  constructor(
    private readonly register: KpiRegisterService,
    private readonly charts: KpiChartsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every active KPI: current value, target, gap, monthly history against the straight line, on track' })
  list(@CurrentStaff() staff: StaffPrincipal, @Query() query: DashboardQuery): Promise<KpiCard[]> {
    return this.register.list(staff, query);
  }

  @Get(':code/chart.svg')
  @SvgChartResponse('The monthly history against the plan line, target marked (SVG; embed with <img>).')
  @ApiOperation({ summary: "A KPI's monthly history against the straight line from baseline to target, as SVG" })
  async chart(@CurrentStaff() staff: StaffPrincipal, @Param('code', kpiCode) code: string, @Query() query: ChartQuery): Promise<StreamableFile> {
    return svgFile(await this.charts.kpi(staff, code, query, query.lang ?? 'ja'));
  }

  @Get(':code')
  @ApiOperation({ summary: 'One KPI with every value entered (corrections included) and its revisions' })
  detail(@CurrentStaff() staff: StaffPrincipal, @Param('code', kpiCode) code: string): Promise<KpiDetail> {
    return this.register.detail(staff, code);
  }

  @Post(':code/values')
  @HttpCode(201)
  @ApiOperation({ summary: 'Enter the value of an entered KPI for a month (a later entry for the same month corrects it; both are kept)' })
  enter(@CurrentStaff() staff: StaffPrincipal, @Param('code', kpiCode) code: string, @Body() body: KpiValueInputDto): Promise<KpiDetail> {
    return this.register.enterValue(staff, code, body);
  }
}
