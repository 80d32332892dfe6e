import type { PermitContent } from '../content/document-content-sources';

/** Which layout a document is set in (stored as `documents.kind`). */
export type DocumentKind =
  | 'residenceCertificate'
  | 'sealCertificate'
  | 'incomeTaxCertificate'
  | 'taxPaymentCertificate'
  | 'disasterCertificate'
  | 'grantDecision'
  | 'nonGrantDecision'
  | 'usePermit'
  | 'notice'
  | 'receipt';

export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  'residenceCertificate',
  'sealCertificate',
  'incomeTaxCertificate',
  'taxPaymentCertificate',
  'disasterCertificate',
  'grantDecision',
  'nonGrantDecision',
  'usePermit',
  'notice',
  'receipt',
];

export interface Bilingual {
  ja: string;
  en: string;
}

/** One line of a 住民票: a member of the household as the registry records them. */
export interface ResidentLine {
  name: string;
  kana: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'male' | 'female';
  relationship: string;
  /** YYYY-MM-DD: 住民となった年月日 */
  residentSince: string;
}

export interface TaxFigures {
  /** 給与収入 */
  salaryIncome: number;
  /** 給与所得 */
  salaryEarnings: number;
  /** その他の所得 */
  otherEarnings: number;
  /** 合計所得金額 */
  totalEarnings: number;
  /** 所得控除額合計 */
  deductions: number;
  /** 課税標準額 */
  taxableIncome: number;
  /** 市町村民税（所得割＋均等割） */
  municipalTax: number;
  /** 道府県民税 */
  prefecturalTax: number;
  dependents: number;
}

export interface TaxPaymentLine {
  /** 第1期 … */
  installment: string;
  /** YYYY-MM-DD */
  dueOn: string;
  assessed: number;
  paid: number;
}

/** Everything a layout prints, gathered from the application, the resident registry and content sources. */
export type DocumentContent =
  | {
      kind: 'residenceCertificate';
      address: string;
      householdHead: string | null;
      members: ResidentLine[];
      domicile: { domicile: string; head: string } | null;
    }
  | {
      kind: 'sealCertificate';
      name: string;
      kana: string;
      birthDate: string;
      sex: 'male' | 'female';
      address: string;
      registrationNumber: string;
      registeredOn: string;
      /** What the (fictitious) seal shows: the surname. */
      sealText: string;
    }
  | {
      kind: 'incomeTaxCertificate';
      fiscalYear: number;
      name: string;
      address: string;
      birthDate: string;
      figures: TaxFigures | null;
      nonTaxable: boolean;
    }
  | {
      kind: 'taxPaymentCertificate';
      name: string;
      address: string;
      taxItem: string;
      fiscalYear: number;
      certificateType: string;
      lines: TaxPaymentLine[];
    }
  | {
      kind: 'disasterCertificate';
      name: string;
      address: string;
      disasterName: string;
      disasterDate: string;
      propertyAddress: string;
      propertyType: string;
      applicantRole: string;
      damageLevel: string;
    }
  | {
      kind: 'grantDecision' | 'nonGrantDecision';
      addressee: string;
      address: string;
      procedureName: string;
      referenceNumber: string;
      submittedOn: string;
      decisionNumber: string;
      decidedOn: string;
      requestedAmount: number | null;
      amount: number | null;
      reason: string | null;
    }
  | { kind: 'usePermit'; permit: PermitContent; referenceNumber: string }
  | {
      kind: 'notice';
      addressee: string | null;
      procedureName: string;
      referenceNumber: string;
      submittedOn: string;
      decision: string;
      /** Adds the appeal notice (教示) of an administrative decision. */
      appealable: boolean;
    }
  | {
      kind: 'receipt';
      procedureName: string;
      referenceNumber: string;
      submittedAt: Date;
      channel: string;
      fee: number | null;
      standardProcessingDays: number | null;
      dueOn: string | null;
    };

/**
 * A document made from the sample registry's fictitious data: `sample` for a
 * sample person, `standIn` when nobody matched and a sample person stood in.
 */
export type SampleMark = 'sample' | 'standIn';

/** The parts every document shares: who issues it, its number and how to check it. */
export interface IssueContext {
  /** Set when any personal data printed came from sample data: every page is marked 見本 / SAMPLE. */
  sample?: SampleMark | null;
  municipality: { id: string; name: Bilingual };
  timeZone: string;
  title: Bilingual;
  serial: string;
  /** YYYY-MM-DD in the municipality's time zone. */
  issuedOn: string;
  verificationCode: string;
  verifyUrl: string;
}

/** A field as printed; the verification page shows these and nothing else. */
export interface PrintedField {
  label: Bilingual;
  value: string;
}
