import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const PROCEDURE_STAGES = ['study', 'draft', 'implement', 'operate'] as const;
export type ProcedureStage = (typeof PROCEDURE_STAGES)[number];

export const PROCEDURE_STAGE_LABELS: Record<ProcedureStage, { ja: string; en: string }> = {
  study: { ja: '検討', en: 'Study' },
  draft: { ja: '策定', en: 'Draft' },
  implement: { ja: '実施', en: 'Implement' },
  operate: { ja: '運用', en: 'Operate' },
};

export interface Department {
  code: string;
  name: { ja: string; en: string };
}

export interface KpiPoint {
  count: number;
  /** ISO date. */
  date: string;
}

export interface MunicipalitySettings {
  id: string;
  name: { ja: string; en: string };
  catalog: string;
  referenceNumberFormat: string;
  fiscalYearStartMonth: number;
  timeZone: string;
  departments: Department[];
  /** The city office as the portal shows it: where to go and call when online is not the way (optional). */
  contact?: MunicipalityContact;
  kpi: {
    onlineProcedures: { baseline: KpiPoint; target: KpiPoint };
    stages: Record<string, ProcedureStage>;
    /** Procedures with a cashless payment method; absent: DEFAULT_CASHLESS_KPI. */
    cashless?: { baseline: CashlessKpiPoint; target: CashlessKpiPoint };
  };
}

export interface MunicipalityContact {
  postalCode: string;
  address: { ja: string; en: string };
  phone: string;
  /** Counter opening hours in words, e.g. 平日 8:30〜17:15. */
  hours: { ja: string; en: string };
}

/** A count, and the date it was or is to be reached when the plan names one. */
export interface CashlessKpiPoint {
  count: number;
  date?: string;
}

/** "Cashless payment services 5 → 10", the figure one city plan sets. */
export const DEFAULT_CASHLESS_KPI: { baseline: CashlessKpiPoint; target: CashlessKpiPoint } = { baseline: { count: 5 }, target: { count: 10 } };

const localized = {
  type: 'object',
  additionalProperties: false,
  required: ['ja', 'en'],
  properties: { ja: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const kpiPoint = {
  type: 'object',
  additionalProperties: false,
  required: ['count', 'date'],
  properties: { count: { type: 'integer', minimum: 0 }, date: isoDate },
};

const cashlessPoint = {
  type: 'object',
  additionalProperties: false,
  required: ['count'],
  properties: { count: { type: 'integer', minimum: 0 }, date: isoDate },
};

const SETTINGS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'catalog', 'referenceNumberFormat', 'fiscalYearStartMonth', 'timeZone', 'departments', 'kpi'],
  properties: {
    id: { type: 'string', pattern: '^[0-9]{6}$' },
    name: localized,
    catalog: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' },
    referenceNumberFormat: { type: 'string', pattern: '\\{seq(:[1-9][0-9]?)?\\}', maxLength: 64 },
    fiscalYearStartMonth: { type: 'integer', minimum: 1, maximum: 12 },
    timeZone: { type: 'string', minLength: 1 },
    departments: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name'],
        properties: { code: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' }, name: localized },
      },
    },
    contact: {
      type: 'object',
      additionalProperties: false,
      required: ['postalCode', 'address', 'phone', 'hours'],
      properties: {
        postalCode: { type: 'string', pattern: '^[0-9]{3}-[0-9]{4}$' },
        address: localized,
        phone: { type: 'string', pattern: '^[0-9][0-9-]{5,15}$' },
        hours: localized,
      },
    },
    kpi: {
      type: 'object',
      additionalProperties: false,
      required: ['onlineProcedures', 'stages'],
      properties: {
        onlineProcedures: {
          type: 'object',
          additionalProperties: false,
          required: ['baseline', 'target'],
          properties: { baseline: kpiPoint, target: kpiPoint },
        },
        stages: { type: 'object', additionalProperties: { enum: [...PROCEDURE_STAGES] } },
        cashless: {
          type: 'object',
          additionalProperties: false,
          required: ['baseline', 'target'],
          properties: { baseline: cashlessPoint, target: cashlessPoint },
        },
      },
    },
  },
} as const;

const validateSettings = new Ajv({ allErrors: true, strict: true }).compile(SETTINGS_SCHEMA);

/** Reads every `config/municipalities/*.yaml`; throws listing each problem. */
export function loadMunicipalitySettings(configDir: string): MunicipalitySettings[] {
  const directory = path.join(configDir, 'municipalities');
  const files = readdirSync(directory).filter((file) => /\.ya?ml$/.test(file)).sort();
  const problems: string[] = [];
  const settings: MunicipalitySettings[] = [];
  for (const file of files) {
    const fullPath = path.join(directory, file);
    let data: unknown;
    try {
      data = parse(readFileSync(fullPath, 'utf8'));
    } catch (error) {
      // The parser's message ends in a multi-line code frame; one problem per line.
      problems.push(`${fullPath}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    if (!validateSettings(data)) {
      for (const error of validateSettings.errors ?? []) {
        problems.push(`${fullPath} ${error.instancePath || '/'}: ${error.message}`);
      }
      continue;
    }
    const value = data as unknown as MunicipalitySettings;
    if (`${value.id}.yaml` !== file && `${value.id}.yml` !== file) {
      problems.push(`${fullPath} /id: file name must be the municipality id (${value.id}.yaml)`);
    }
    const codes = new Set<string>();
    value.departments.forEach((department, index) => {
      if (codes.has(department.code)) problems.push(`${fullPath} /departments/${index}/code: duplicate department "${department.code}"`);
      codes.add(department.code);
    });
    const { baseline, target } = value.kpi.onlineProcedures;
    if (baseline.date >= target.date) {
      problems.push(`${fullPath} /kpi/onlineProcedures: the baseline date must come before the target date`);
    }
    settings.push(value);
  }
  if (files.length === 0) problems.push(`${directory}: no municipality settings found`);
  if (problems.length > 0) {
    throw new Error(`Municipality settings are not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
  return settings;
}
