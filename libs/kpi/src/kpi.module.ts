import { Module } from '@nestjs/common';
import { ProceduresModule } from '@madoguchi/procedures';
import { ApplicationChannelsRepository } from './application-channels.repository';
import { KpiController } from './kpi.controller';
import { KpiService } from './kpi.service';

/** Figures managers report against the city's targets. Reads only. */
@Module({
  imports: [ProceduresModule],
  controllers: [KpiController],
  providers: [ApplicationChannelsRepository, KpiService],
})
export class KpiModule {}
