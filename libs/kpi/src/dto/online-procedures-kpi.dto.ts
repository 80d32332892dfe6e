import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

export class OnlineProceduresKpiQuery {
  @ApiPropertyOptional({ description: 'Date to report on (YYYY-MM-DD); today by default', example: '2026-03-31' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'asOf must be a date that exists' })
  asOf?: string;

  @ApiPropertyOptional({ description: 'First day of the period applications are counted over (YYYY-MM-DD); the fiscal year of asOf by default', example: '2026-04-01' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a date that exists' })
  from?: string;
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

class ChannelCounts {
  @ApiProperty() online!: number;
  @ApiProperty() counter!: number;
  @ApiProperty() mail!: number;
  @ApiProperty() convenienceStore!: number;
}

class ProcedureChannelCounts {
  @ApiProperty() code!: string;
  @ApiProperty({ type: Localized }) name!: Localized;
  @ApiProperty({ type: ChannelCounts }) byChannel!: ChannelCounts;
  @ApiProperty() total!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'online / total, 4 decimals' }) onlineShare!: number | null;
}

class ApplicationsByChannel {
  @ApiProperty() from!: string;
  @ApiProperty({ description: 'Same as asOf' }) to!: string;
  @ApiProperty({ type: ChannelCounts }) byChannel!: ChannelCounts;
  @ApiProperty() total!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'online / total, 4 decimals' }) onlineShare!: number | null;
  @ApiProperty({ type: [ProcedureChannelCounts], description: 'Procedures with at least one application in the period' }) procedures!: ProcedureChannelCounts[];
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
  @ApiProperty({
    type: ApplicationsByChannel,
    description:
      'Applications submitted in the period by the channel they came through: entered at the counter or handed over there by QR counts as counter, never as online',
  })
  applicationsByChannel!: ApplicationsByChannel;
}
