import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@madoguchi/audit';
import { MunicipalityEntity, MunicipalityRepository } from '@madoguchi/kernel';
import { ProcedureDefinitionEntity } from './procedure-definition.entity';
import { CatalogSyncService } from './catalog-sync.service';
import { ProcedureDefinitionRepository } from './procedure-definition.repository';
import { ProcedurePublishingService } from './procedure-publishing.service';
import { ProcedureRegistry } from './procedure-registry.service';
import { ProceduresController } from './procedures.controller';
import { ProceduresService } from './procedures.service';
import { ProcedureTextsService } from './texts/procedure-texts.service';

/** The procedure catalog: definitions, their versions, and the public listing. */
@Module({
  imports: [TypeOrmModule.forFeature([ProcedureDefinitionEntity, MunicipalityEntity]), AuditModule],
  controllers: [ProceduresController],
  providers: [
    ProcedureDefinitionRepository,
    ProcedureRegistry,
    ProceduresService,
    ProcedurePublishingService,
    CatalogSyncService,
    MunicipalityRepository,
    ProcedureTextsService,
  ],
  exports: [ProcedureRegistry, ProceduresService, ProcedurePublishingService, CatalogSyncService, ProcedureTextsService],
})
export class ProceduresModule {}
