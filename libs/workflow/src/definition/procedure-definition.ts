/**
 * A procedure definition is data. One YAML file per procedure under
 * `config/procedures/`, or a row published at run time. The engine compiles it
 * into an XState machine; nothing here knows about any concrete procedure.
 */

export interface LocalizedText {
  ja: string;
  en: string;
}

export const PROCEDURE_CATEGORIES = ['certificate', 'subsidy', 'booking', 'notification', 'other'] as const;
export type ProcedureCategory = (typeof PROCEDURE_CATEGORIES)[number];

/** The ministry's categories of the national priority list. */
export const NATIONAL_CATEGORIES = ['kosodate', 'kaigo', 'hisai', 'hikkoshi'] as const;
export type NationalCategory = (typeof NATIONAL_CATEGORIES)[number];

export const NATIONAL_CATEGORY_LABELS: Record<NationalCategory, LocalizedText> = {
  kosodate: { ja: '子育て', en: 'Child-rearing' },
  kaigo: { ja: '介護', en: 'Nursing care' },
  hisai: { ja: '被災者支援', en: 'Disaster support' },
  hikkoshi: { ja: '引越し', en: 'Moving' },
};

export const CHANNELS = ['online', 'counter', 'mail', 'convenienceStore'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * `inPerson` means the resident must show identification at a counter: such a
 * procedure never counts as online, whatever its channels say.
 */
export const IDENTITY_LEVELS = ['none', 'account', 'myNumberCardSignature', 'inPerson'] as const;
export type IdentityLevel = (typeof IDENTITY_LEVELS)[number];

export const STEP_KINDS = ['form', 'identity', 'fee', 'review', 'approval', 'booking', 'issue', 'notify'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const FEE_RULES = ['none', 'fixed', 'perCopy', 'perSlot'] as const;
export type FeeRuleKind = (typeof FEE_RULES)[number];

export const FEE_TIMINGS = ['atSubmission', 'afterAssessment'] as const;
export type FeeTiming = (typeof FEE_TIMINGS)[number];

/** `accountant` is 会計課: its reach over money is municipality-wide where a money route declares it (see StaffScoped). */
export const STAFF_ROLES = ['clerk', 'reviewer', 'approver', 'manager', 'administrator', 'accountant'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** 係長, 課長, 部長 — in ascending order of authority. */
export const APPROVAL_LEVELS = ['kakaricho', 'kacho', 'bucho'] as const;
export type ApprovalLevel = (typeof APPROVAL_LEVELS)[number];

export const DOCUMENT_DELIVERIES = ['online', 'mail', 'counter'] as const;
export type DocumentDelivery = (typeof DOCUMENT_DELIVERIES)[number];

export interface ChannelSetting {
  /** ISO date the channel opened; null while it is planned but not open. */
  openedOn: string | null;
}

export interface FeeReduction {
  code: string;
  label: LocalizedText;
  /** 100 is a full exemption (免除). */
  percent: number;
}

/** What happens to a captured fee when the application ends without a result. */
export const REFUND_RULES = ['full', 'none'] as const;
export type RefundRule = (typeof REFUND_RULES)[number];

export interface FeeRule {
  rule: FeeRuleKind;
  /** Yen per unit: per application, per copy or per slot. */
  amount?: number;
  /** For perCopy: the integer form field holding the number of copies. */
  quantityField?: string;
  timing?: FeeTiming;
  /** 歳入科目 used in the accounting export. */
  revenueAccountCode?: string;
  paymentDeadlineHours?: number;
  reductions?: FeeReduction[];
  /** Default: a full refund when the resident withdraws or the application is rejected after payment. */
  refunds?: { onWithdrawal: RefundRule; onRejection: RefundRule };
}

/** One approver of at least `level` in the procedure's department decides (担当 → 係長 → 課長 …). */
export interface ApprovalLevelStep {
  role: 'approver';
  level: ApprovalLevel;
}

/**
 * 合議: every named department agrees, in any order, through one of its
 * approvers (of at least `level`, when given), before the route goes on.
 */
export interface ApprovalConsultationStep {
  consultation: { departments: string[]; level?: ApprovalLevel };
}

export type ApprovalRouteStep = ApprovalLevelStep | ApprovalConsultationStep;

export function isConsultationStep(step: ApprovalRouteStep): step is ApprovalConsultationStep {
  return 'consultation' in step;
}

/**
 * Cases that need a higher level: when the form field matches, the route must
 * end with an approver of at least `level` (a step is appended if it does not).
 * `atLeast` compares numbers (amounts); `in` compares codes (categories).
 */
export interface ApprovalRule {
  when: { field: string; atLeast?: number; in?: string[] };
  level: ApprovalLevel;
}

/** A subsidy's grant decision (交付決定): the form field holding the amount applied for. */
export interface GrantSpec {
  amountField: string;
}

export interface DocumentSpec {
  kind: string;
  name: LocalizedText;
  delivery: DocumentDelivery;
}

export const ATTACHMENT_TYPES = ['pdf', 'jpeg', 'png'] as const;

/** Files a resident may attach; absent means the product default (10 files, 10 MB, PDF/JPEG/PNG). */
export interface AttachmentRules {
  maxCount: number;
  maxBytes: number;
  types: Array<(typeof ATTACHMENT_TYPES)[number]>;
}

export interface ProcedureDefinition {
  code: string;
  version: number;
  name: LocalizedText;
  description?: LocalizedText;
  category: ProcedureCategory;
  department: string;
  nationalCategory: NationalCategory | null;
  /** Code in the national priority list (e.g. kosodate-01), if listed. */
  nationalCode?: string | null;
  targeted: boolean;
  channels: Partial<Record<Channel, ChannelSetting>>;
  identity: IdentityLevel;
  /** 標準処理期間 in business days. */
  standardProcessingDays?: number;
  form: { schema: Record<string, unknown> };
  fee: FeeRule;
  approvalRoute: ApprovalRouteStep[];
  approvalRules?: ApprovalRule[];
  grant?: GrantSpec;
  document: DocumentSpec | null;
  steps: StepKind[];
  attachments?: AttachmentRules;
  /** 文書保存年限 per category of personal data; absent (every landed definition): RETENTION_DEFAULT. */
  retention?: Partial<RetentionSchedule>;
}

/** Categories of a closed case's personal data with a retention period of their own. */
export const RETENTION_CATEGORIES = ['formAnswers', 'attachments', 'signatures', 'documents'] as const;
export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];
export const RETENTION_PERIODS = ['1y', '3y', '5y', '10y', '30y', 'permanent'] as const;
export type RetentionPeriod = (typeof RETENTION_PERIODS)[number];
export type RetentionSchedule = Record<RetentionCategory, RetentionPeriod>;

/**
 * What a definition that states no retention keeps: five years for every
 * category, counted from the case's closing (the common 文書保存年限 of
 * application records in municipal 文書管理規程). Landed definitions never
 * change, so they take this.
 */
export const RETENTION_DEFAULT: RetentionSchedule = { formAnswers: '5y', attachments: '5y', signatures: '5y', documents: '5y' };

/** The schedule a definition states, completed with the default. */
export function retentionOf(definition: Pick<ProcedureDefinition, 'retention'>): RetentionSchedule {
  return { ...RETENTION_DEFAULT, ...(definition.retention ?? {}) };
}

/** Where a definition came from, for error messages. */
export interface DefinitionSource {
  file: string;
}

export interface DefinitionError {
  file: string;
  /** JSON pointer inside the definition, `/` for the whole document. */
  path: string;
  reason: string;
}
