import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import type { MunicipalityId } from '@madoguchi/kernel';
import { ProceduresService } from '@madoguchi/procedures';
import type { OnlineProceduresKpiDto } from './dto/online-procedures-kpi.dto';
import { computeOnlineProcedureKpi } from './online-procedure-kpi';

@Injectable()
export class KpiService {
  constructor(
    private readonly procedures: ProceduresService,
    private readonly directory: MunicipalityDirectory,
  ) {}

  async onlineProcedures(municipalityId: MunicipalityId, asOf?: string): Promise<OnlineProceduresKpiDto> {
    const settings = this.directory.get(municipalityId);
    if (!settings) throw new Error(`no settings for municipality ${municipalityId}`);
    const definitions = await this.procedures.latestDefinitions(municipalityId);
    const kpi = computeOnlineProcedureKpi(
      definitions,
      { ...settings.kpi.onlineProcedures, stages: settings.kpi.stages },
      asOf ?? this.procedures.today(municipalityId),
    );
    return { municipalityId, ...kpi };
  }
}
