import { Get, Query, type StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, type StaffPrincipal, StaffOnly } from '@madoguchi/identity';
import { ApiController } from '@madoguchi/kernel';
import { SvgChartResponse, svgFile } from '../charts/chart-response';
import { KpiChartsService } from '../charts/kpi-charts.service';
import { ChartQuery, DashboardQuery } from '../register/kpi.dto';
import {
  type CashlessDashboard,
  type ChannelsDashboard,
  type CounterDashboard,
  DashboardService,
  type OnlineProceduresDashboard,
  type ProcessingTimesDashboard,
} from './dashboard.service';

@ApiTags('dashboard (managers)')
@ApiController('dashboard')
@StaffOnly('manager', 'administrator')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly charts: KpiChartsService,
  ) {}

  @Get('channels/chart.svg')
  @SvgChartResponse('Applications per month stacked by channel (SVG; embed with <img>).')
  @ApiOperation({ summary: 'The channel mix per month, as SVG' })
  async channelsChart(@CurrentStaff() staff: StaffPrincipal, @Query() query: ChartQuery): Promise<StreamableFile> {
    return svgFile(await this.charts.dashboardChart(staff, 'channels', query, query.lang ?? 'ja'));
  }

  @Get('online-share/chart.svg')
  @SvgChartResponse('Online share per procedure as bars (SVG; embed with <img>).')
  @ApiOperation({ summary: 'Online share per procedure, as SVG' })
  async onlineShareChart(@CurrentStaff() staff: StaffPrincipal, @Query() query: ChartQuery): Promise<StreamableFile> {
    return svgFile(await this.charts.dashboardChart(staff, 'online-share', query, query.lang ?? 'ja'));
  }

  @Get('processing-times/chart.svg')
  @SvgChartResponse('Applications closed per business days taken, as a histogram (SVG; embed with <img>).')
  @ApiOperation({ summary: 'The processing-time histogram, as SVG' })
  async processingTimesChart(@CurrentStaff() staff: StaffPrincipal, @Query() query: ChartQuery): Promise<StreamableFile> {
    return svgFile(await this.charts.dashboardChart(staff, 'processing-times', query, query.lang ?? 'ja'));
  }

  @Get('online-procedures')
  @ApiOperation({ summary: 'Targeted procedures online, by national category and stage (検討/策定/実施/運用)' })
  onlineProcedures(@CurrentStaff() staff: StaffPrincipal, @Query() query: DashboardQuery): Promise<OnlineProceduresDashboard> {
    return this.dashboard.onlineProcedures(staff, query);
  }

  @Get('channels')
  @ApiOperation({ summary: 'Online share per procedure (online ÷ all channels) and the channel mix per month' })
  channels(@CurrentStaff() staff: StaffPrincipal, @Query() query: DashboardQuery): Promise<ChannelsDashboard> {
    return this.dashboard.channels(staff, query);
  }

  @Get('cashless')
  @ApiOperation({ summary: 'Cashless share of fee payments, per month' })
  cashless(@CurrentStaff() staff: StaffPrincipal, @Query() query: DashboardQuery): Promise<CashlessDashboard> {
    return this.dashboard.cashless(staff, query);
  }

  @Get('processing-times')
  @ApiOperation({ summary: 'Processing time (median and 90th percentile, business days) per procedure' })
  processingTimes(@CurrentStaff() staff: StaffPrincipal, @Query() query: DashboardQuery): Promise<ProcessingTimesDashboard> {
    return this.dashboard.processingTimes(staff, query);
  }

  @Get('counter')
  @ApiOperation({ summary: 'Counter waiting time per service and hour, and the no-show rate' })
  counter(@CurrentStaff() staff: StaffPrincipal, @Query() query: DashboardQuery): Promise<CounterDashboard> {
    return this.dashboard.counter(staff, query);
  }
}
