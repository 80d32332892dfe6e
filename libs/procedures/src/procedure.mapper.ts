import { CHANNELS, NATIONAL_CATEGORY_LABELS, type ProcedureDefinition } from '@madoguchi/workflow';
import type { ProcedureDetailDto, ProcedureDetailTextDto, ProcedureSummaryDto, ProcedureSummaryTextDto } from './dto/procedure-response.dto';
import type { LocalizedProcedure } from './texts/procedure-texts';
import { onlineStatus } from './online-status';

/** Lists the fields a response returns, so nothing internal leaks by accident. */
/** Without `text`: that is added only when a language is asked for. */
export function toProcedureSummary(definition: ProcedureDefinition, today: string): Omit<ProcedureSummaryDto, 'text'> {
  return {
    code: definition.code,
    version: definition.version,
    name: definition.name,
    category: definition.category,
    department: definition.department,
    nationalCategory: definition.nationalCategory,
    nationalCategoryLabel: definition.nationalCategory ? NATIONAL_CATEGORY_LABELS[definition.nationalCategory] : null,
    nationalCode: definition.nationalCode ?? null,
    targeted: definition.targeted,
    online: onlineStatus(definition, today).online,
    channels: CHANNELS.filter((channel) => definition.channels[channel]).map((channel) => {
      const openedOn = definition.channels[channel]?.openedOn ?? null;
      return { channel, openedOn, open: openedOn !== null && openedOn <= today };
    }),
    identity: definition.identity,
  };
}

export function toProcedureDetail(definition: ProcedureDefinition, today: string): Omit<ProcedureDetailDto, 'text'> {
  const { fee } = definition;
  return {
    ...toProcedureSummary(definition, today),
    description: definition.description,
    standardProcessingDays: definition.standardProcessingDays,
    formSchema: definition.form.schema,
    fee: {
      rule: fee.rule,
      amount: fee.amount,
      quantityField: fee.quantityField,
      timing: fee.timing,
      paymentDeadlineHours: fee.paymentDeadlineHours,
      reductions: fee.reductions,
    },
    steps: [...definition.steps],
    document: definition.document,
  };
}

export function toSummaryText(localized: LocalizedProcedure): ProcedureSummaryTextDto {
  return {
    language: localized.language,
    name: localized.name,
    description: localized.description,
    eligibility: localized.eligibility,
    requirements: localized.requirements,
  };
}

export function toDetailText(localized: LocalizedProcedure): ProcedureDetailTextDto {
  return { ...toSummaryText(localized), documentName: localized.documentName, fields: localized.fields };
}
