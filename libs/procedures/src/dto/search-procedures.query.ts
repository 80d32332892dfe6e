import { ApiPropertyOptional } from '@nestjs/swagger';
import { NATIONAL_CATEGORIES, PROCEDURE_CATEGORIES, type NationalCategory, type ProcedureCategory } from '@madoguchi/workflow';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { TEXT_LANGUAGES, type TextLanguage } from '../texts/procedure-texts';

/** `?lang=` on the public catalog: adds the texts of that language (ja, ja-easy, en). */
export class ProcedureLanguageQuery {
  @ApiPropertyOptional({ enum: TEXT_LANGUAGES, description: 'Adds `text`: names, descriptions (and, for one procedure, form labels) in this language' })
  @IsOptional()
  @IsIn(TEXT_LANGUAGES)
  lang?: TextLanguage;
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class SearchProceduresQuery extends ProcedureLanguageQuery {
  @ApiPropertyOptional({ enum: PROCEDURE_CATEGORIES })
  @IsOptional()
  @IsIn(PROCEDURE_CATEGORIES)
  category?: ProcedureCategory;

  @ApiPropertyOptional({ enum: NATIONAL_CATEGORIES })
  @IsOptional()
  @IsIn(NATIONAL_CATEGORIES)
  nationalCategory?: NationalCategory;

  @ApiPropertyOptional({ description: 'Only procedures the municipality targets for online application' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  targeted?: boolean;

  @ApiPropertyOptional({ description: 'Only procedures that are online end to end today' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  online?: boolean;

  @ApiPropertyOptional({ description: 'Words in the Japanese or English name, the name in `lang`, or the code', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
