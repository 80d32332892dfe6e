import {
  APPROVAL_LEVELS,
  ATTACHMENT_TYPES,
  CHANNELS,
  DOCUMENT_DELIVERIES,
  FEE_RULES,
  FEE_TIMINGS,
  IDENTITY_LEVELS,
  NATIONAL_CATEGORIES,
  PROCEDURE_CATEGORIES,
  REFUND_RULES,
  RETENTION_CATEGORIES,
  RETENTION_PERIODS,
  STEP_KINDS,
} from './procedure-definition';

const localized = {
  type: 'object',
  additionalProperties: false,
  required: ['ja', 'en'],
  properties: { ja: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};

const channelSetting = {
  type: 'object',
  additionalProperties: false,
  required: ['openedOn'],
  properties: { openedOn: { type: ['string', 'null'], format: 'date' } },
};

/**
 * Structure of a procedure definition. Rules that span fields (steps against
 * fee, route and document; the form schema itself) live in the validator.
 * Step kinds and roles are plain strings here so the validator can name the
 * unknown one in its message.
 */
export const DEFINITION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [
    'code',
    'version',
    'name',
    'category',
    'department',
    'nationalCategory',
    'targeted',
    'channels',
    'identity',
    'form',
    'fee',
    'approvalRoute',
    'document',
    'steps',
  ],
  properties: {
    code: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 64 },
    version: { type: 'integer', minimum: 1 },
    name: localized,
    description: localized,
    category: { enum: [...PROCEDURE_CATEGORIES] },
    department: { type: 'string', minLength: 1 },
    nationalCategory: { enum: [...NATIONAL_CATEGORIES, null] },
    nationalCode: { type: ['string', 'null'], pattern: '^[a-z]+-[0-9]{2}$' },
    targeted: { type: 'boolean' },
    channels: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: Object.fromEntries(CHANNELS.map((channel) => [channel, channelSetting])),
    },
    identity: { enum: [...IDENTITY_LEVELS] },
    standardProcessingDays: { type: 'integer', minimum: 0, maximum: 365 },
    form: {
      type: 'object',
      additionalProperties: false,
      required: ['schema'],
      properties: { schema: { type: 'object' } },
    },
    fee: {
      type: 'object',
      additionalProperties: false,
      required: ['rule'],
      properties: {
        rule: { enum: [...FEE_RULES] },
        amount: { type: 'integer', minimum: 1, maximum: 10_000_000 },
        quantityField: { type: 'string', minLength: 1 },
        timing: { enum: [...FEE_TIMINGS] },
        revenueAccountCode: { type: 'string', pattern: '^[0-9A-Za-z-]{1,32}$' },
        paymentDeadlineHours: { type: 'integer', minimum: 1, maximum: 24 * 90 },
        refunds: {
          type: 'object',
          additionalProperties: false,
          required: ['onWithdrawal', 'onRejection'],
          properties: { onWithdrawal: { enum: [...REFUND_RULES] }, onRejection: { enum: [...REFUND_RULES] } },
        },
        reductions: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['code', 'label', 'percent'],
            properties: {
              code: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
              label: localized,
              percent: { type: 'integer', minimum: 1, maximum: 100 },
            },
          },
        },
      },
    },
    approvalRoute: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          role: { type: 'string' },
          level: { enum: [...APPROVAL_LEVELS] },
          consultation: {
            type: 'object',
            additionalProperties: false,
            required: ['departments'],
            properties: {
              departments: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
              level: { enum: [...APPROVAL_LEVELS] },
            },
          },
        },
      },
    },
    approvalRules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['when', 'level'],
        properties: {
          when: {
            type: 'object',
            additionalProperties: false,
            required: ['field'],
            properties: {
              field: { type: 'string', minLength: 1 },
              atLeast: { type: 'number' },
              in: { type: 'array', minItems: 1, items: { type: 'string' } },
            },
          },
          level: { enum: [...APPROVAL_LEVELS] },
        },
      },
    },
    grant: {
      type: 'object',
      additionalProperties: false,
      required: ['amountField'],
      properties: { amountField: { type: 'string', minLength: 1 } },
    },
    document: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'name', 'delivery'],
          properties: {
            kind: { type: 'string', minLength: 1 },
            name: localized,
            delivery: { enum: [...DOCUMENT_DELIVERIES] },
          },
        },
      ],
    },
    // 文書保存年限: how long a closed case keeps each category of personal data (RETENTION_DEFAULT when absent).
    retention: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(RETENTION_CATEGORIES.map((category) => [category, { enum: [...RETENTION_PERIODS] }])),
    },
    steps: { type: 'array', minItems: 1, items: { type: 'string' } },
    attachments: {
      type: 'object',
      additionalProperties: false,
      required: ['maxCount', 'maxBytes', 'types'],
      properties: {
        maxCount: { type: 'integer', minimum: 0, maximum: 50 },
        maxBytes: { type: 'integer', minimum: 1024, maximum: 20 * 1024 * 1024 },
        types: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...ATTACHMENT_TYPES] } },
      },
    },
  },
} as const;

export const KNOWN_STEP_KINDS: readonly string[] = STEP_KINDS;
