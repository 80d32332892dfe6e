import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';
import { LocalizedNameDto } from './counter-admin.dto';

export class StatisticsQuery {
  @ApiProperty({ example: '2026-11-01', description: 'First local day (YYYY-MM-DD)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a date that exists' })
  from!: string;
  @ApiProperty({ example: '2026-11-30', description: 'Last local day, included (at most 366 days after from)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a date that exists' })
  to!: string;
}

export class FiguresDto {
  @ApiProperty({ description: 'Visits: tickets waiting at this service (a transferred ticket counts at each service)' }) tickets!: number;
  @ApiProperty() called!: number;
  @ApiProperty() served!: number;
  @ApiProperty() noShows!: number;
  @ApiProperty() cancelled!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'No-shows ÷ visits called' }) noShowRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'From arrival (or slot, or transfer) to the first call' }) averageWaitSeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'From start of service to its end' }) averageServiceSeconds!: number | null;
}

export class HourStatisticsDto extends FiguresDto {
  @ApiProperty({ description: 'Local hour (0–23) in which the wait began' }) hour!: number;
}

export class ServiceStatisticsDto extends FiguresDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedNameDto }) name!: LocalizedNameDto;
  @ApiProperty({ type: [HourStatisticsDto] }) hours!: HourStatisticsDto[];
}

export class CounterStatisticsDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: FiguresDto }) total!: FiguresDto;
  @ApiProperty({ type: [ServiceStatisticsDto] }) services!: ServiceStatisticsDto[];
}
