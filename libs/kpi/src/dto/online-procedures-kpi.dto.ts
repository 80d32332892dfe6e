import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

export class OnlineProceduresKpiQuery {
  @ApiPropertyOptional({ description: 'Date to report on (YYYY-MM-DD); today by default', example: '2026-03-31' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'asOf must be a date that exists' })
  asOf?: string;
}

class Localized {
  @ApiProperty() ja!: string;
  @ApiProperty() en!: string;
}

class KpiPoint {
  @ApiProperty() count!: number;
  @ApiProperty() date!: string;
}

class StageCount {
  @ApiProperty({ enum: ['study', 'draft', 'implement', 'operate', 'unset'] }) stage!: string;
  @ApiProperty({ type: Localized }) label!: Localized;
  @ApiProperty() count!: number;
}

class CategoryCount {
  @ApiProperty({ enum: ['kosodate', 'kaigo', 'hisai', 'hikkoshi'] }) nationalCategory!: string;
  @ApiProperty({ type: Localized }) label!: Localized;
  @ApiProperty() targeted!: number;
  @ApiProperty() online!: number;
}

class ProcedureStatus {
  @ApiProperty() code!: string;
  @ApiProperty({ type: Localized }) name!: Localized;
  @ApiProperty({ nullable: true, type: String }) nationalCategory!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['study', 'draft', 'implement', 'operate'] }) stage!: string | null;
  @ApiProperty() online!: boolean;
  @ApiProperty({ nullable: true, type: String }) onlineSince!: string | null;
  @ApiProperty({ type: [String], enum: ['noOnlineChannel', 'onlineNotYetOpen', 'identityInPerson', 'documentCollectedAtCounter'] })
  offlineReasons!: string[];
}

class SeriesPoint {
  @ApiProperty({ description: 'Last day of the month' }) month!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Null for months still to come' }) online!: number | null;
  @ApiProperty({ description: 'Straight line from baseline to target' }) plan!: number;
}

export class OnlineProceduresKpiDto {
  @ApiProperty() municipalityId!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty() targetedCount!: number;
  @ApiProperty() onlineCount!: number;
  @ApiProperty({ type: KpiPoint }) baseline!: KpiPoint;
  @ApiProperty({ type: KpiPoint }) target!: KpiPoint;
  @ApiProperty({ description: 'Procedures still to bring online to reach the target' }) gap!: number;
  @ApiProperty() plannedCount!: number;
  @ApiProperty() onTrack!: boolean;
  @ApiProperty({ nullable: true, type: String }) targetReachedOn!: string | null;
  @ApiProperty({ type: [StageCount] }) stages!: StageCount[];
  @ApiProperty({ type: [CategoryCount] }) byNationalCategory!: CategoryCount[];
  @ApiProperty({ type: [ProcedureStatus] }) procedures!: ProcedureStatus[];
  @ApiProperty({ type: [SeriesPoint] }) series!: SeriesPoint[];
}
