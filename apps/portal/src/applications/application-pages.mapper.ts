import type { ApplicationDto, ApplicationSummaryDto, ResidentFieldChangeDto, TimelineEntryDto } from '@madoguchi/applications';
import type { DocumentDto } from '@madoguchi/documents';
import { isoDateIn } from '@madoguchi/kernel';
import type { PaymentDto } from '@madoguchi/payments';
import type { LocalizedProcedure } from '@madoguchi/procedures';
import type { FieldError, Lang } from '@madoguchi/ui';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import type { PageContext } from '../shared/page-context';
import type { ApplicationPageProps } from './application.view';
import { type FieldChangeRow, type ListedApplication, nextStepOf, type PaymentView } from './application-pages.model';
import type { CorrectionField } from './correct.view';

/** How often a page waiting for the provider's confirmation loads itself again (with our script). */
export const PENDING_REFRESH_SECONDS = 5;
const TIME_ZONE = 'Asia/Tokyo';

export function zonedDate(iso: string): string {
  return isoDateIn(new Date(iso), TIME_ZONE);
}

const pick = (lang: Lang, text: { ja: string; en: string }) => (lang === 'en' ? text.en : text.ja);

export function toListedApplication(lang: Lang, summary: ApplicationSummaryDto, procedureName: string | undefined): ListedApplication {
  return {
    id: summary.id,
    procedureName: procedureName ?? summary.procedureCode,
    referenceNumber: summary.referenceNumber,
    state: summary.state,
    statusText: pick(lang, summary.status),
    createdOn: zonedDate(summary.createdAt),
    submittedOn: summary.submittedAt ? zonedDate(summary.submittedAt) : null,
    dueOn: summary.dueOn,
    next: nextStepOf(summary),
  };
}

function toPaymentView(payment: PaymentDto): PaymentView {
  return {
    paymentId: payment.paymentId,
    status: payment.status,
    method: payment.method,
    amount: payment.amount,
    capturedAmount: payment.capturedAmount,
    refundedAmount: payment.refundedAmount,
    konbini: payment.konbini,
    payeasy: payment.payeasy,
    expiresAt: payment.expiresAt,
    updatedAt: payment.updatedAt,
  };
}

const PENDING = ['created', 'started', 'authorised'];

export function toApplicationPage(
  context: PageContext,
  input: {
    application: ApplicationDto;
    procedureName: string;
    timeline: TimelineEntryDto[];
    payments: PaymentDto[];
    documents: DocumentDto[];
    paymentParam: string | null;
    doneParam: string | null;
    apiPrefix: string;
  },
): ApplicationPageProps {
  const { application, lang } = { application: input.application, lang: context.lang };
  // The payment named in the return address, if it is one of this application's; else the newest.
  const named = input.paymentParam ? input.payments.find((payment) => payment.paymentId === input.paymentParam) : undefined;
  const newest = [...input.payments].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const payment = named ?? newest ?? null;
  const pending = payment ? PENDING.includes(payment.status) : false;
  const instructions = payment ? Boolean(payment.konbini || payment.payeasy) : false;
  const lastEvent = input.timeline[input.timeline.length - 1]?.event;
  const done =
    input.doneParam === 'withdrawn' && application.state === 'withdrawn'
      ? 'withdrawn'
      : input.doneParam === 'resubmitted' && lastEvent === 'resident.resubmit'
        ? 'resubmitted'
        : null;
  const deadline = payment?.konbini?.deadline ?? payment?.payeasy?.deadline ?? null;
  return {
    context,
    application: {
      id: application.id,
      procedureName: input.procedureName,
      referenceNumber: application.referenceNumber,
      state: application.state,
      statusText: pick(lang, application.status),
      createdOn: zonedDate(application.createdAt),
      submittedOn: application.submittedAt ? zonedDate(application.submittedAt) : null,
      dueOn: application.dueOn,
      fee: application.fee,
      canWithdraw: application.allowedEvents.includes('resident.withdraw'),
    },
    next: nextStepOf(application),
    // A payment only shows once it has been started (a method chosen), or has an outcome.
    payment: payment && (payment.method !== null || !PENDING.includes(payment.status)) ? toPaymentView(payment) : null,
    returnedFromProvider: Boolean(named),
    payBy: application.state === 'awaitingPayment' && payment?.expiresAt && pending ? zonedDate(payment.expiresAt) : null,
    documents: input.documents.map((document) => ({
      title: pick(lang, document.title),
      // downloadPath is already an API path (/api/v1/…).
      href: document.downloadPath ?? null,
      issuedOn: zonedDate(document.issuedAt),
    })),
    receiptHref: application.submittedAt && application.referenceNumber ? `${input.apiPrefix}/applications/${application.id}/receipt.pdf` : null,
    timeline: input.timeline.map((entry) => ({ at: entry.at, on: zonedDate(entry.at), description: pick(lang, entry.description), status: pick(lang, entry.status) })),
    done,
    refreshSeconds: named && pending && !instructions ? PENDING_REFRESH_SECONDS : null,
    instructionsDeadline: deadline ? zonedDate(deadline) : null,
  };
}

interface PropertyShape {
  type?: string;
  enum?: unknown[];
  maxLength?: number;
}

function propertiesOf(definition: ProcedureDefinition): Record<string, PropertyShape> {
  return ((definition.form.schema as { properties?: Record<string, PropertyShape> }).properties ?? {}) as Record<string, PropertyShape>;
}

/** The top-level fields staff flagged (a flag on `a.b` flags `a`), in the form's order. */
function flaggedNames(definition: ProcedureDefinition, flagged: string[]): string[] {
  const tops = new Set(flagged.map((field) => field.split('.')[0]));
  return Object.keys(propertiesOf(definition)).filter((name) => tops.has(name));
}

function kindOf(shape: PropertyShape): CorrectionField['kind'] {
  if (Array.isArray(shape.enum)) return 'choice';
  if (shape.type === 'boolean') return 'boolean';
  if (shape.type === 'integer' || shape.type === 'number') return 'integer';
  if (shape.type === 'string' && (shape.maxLength ?? 0) > 200) return 'longText';
  return 'text';
}

const asText = (value: unknown): string => (value === undefined || value === null ? '' : Array.isArray(value) ? value.join('、') : String(value));

export function correctionFields(
  context: PageContext,
  definition: ProcedureDefinition,
  localized: LocalizedProcedure,
  flagged: string[],
  formData: Record<string, unknown>,
  posted: Record<string, unknown> | null,
): CorrectionField[] {
  const properties = propertiesOf(definition);
  return flaggedNames(definition, flagged).map((name) => {
    const shape = properties[name];
    const texts = localized.fields[name];
    const kind = kindOf(shape);
    return {
      name,
      label: texts?.title ?? name,
      ...(texts?.hint ? { hint: texts.hint } : {}),
      kind,
      ...(kind === 'choice' ? { choices: texts?.choices ?? (shape.enum ?? []).map((value) => ({ value: String(value), label: String(value) })) } : {}),
      // What the resident typed stays in the box when it comes back with an error.
      value: posted && typeof posted[name] === 'string' ? (posted[name] as string) : asText(formData[name]),
    };
  });
}

/** The posted flagged fields as form values of their schema types; only flagged fields are read. */
export function parseCorrections(
  context: PageContext,
  definition: ProcedureDefinition,
  flagged: string[],
  body: Record<string, unknown>,
): { changes: Record<string, unknown>; errors: FieldError[] } {
  const properties = propertiesOf(definition);
  const changes: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const name of flaggedNames(definition, flagged)) {
    const raw = typeof body[name] === 'string' ? (body[name] as string).trim() : '';
    const kind = kindOf(properties[name]);
    if (kind === 'integer') {
      const normalized = raw.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
      if (normalized === '') changes[name] = undefined;
      else if (/^\d+$/.test(normalized)) changes[name] = Number(normalized);
      else errors.push({ fieldId: name, message: context.t('correct.numberInvalid') });
    } else if (kind === 'boolean') {
      changes[name] = raw === 'true' ? true : raw === 'false' ? false : undefined;
    } else {
      changes[name] = raw === '' ? undefined : raw;
    }
  }
  // An emptied answer is removed, so "required" speaks for it.
  for (const [key, value] of Object.entries(changes)) if (value === undefined) changes[key] = null;
  return { changes, errors };
}

export function toChangeRows(context: PageContext, changes: ResidentFieldChangeDto[], localized: LocalizedProcedure): FieldChangeRow[] {
  return changes.map((change) => ({
    label: localized.fields[change.field]?.title ?? pick(context.lang, change.label),
    before: change.before === null || change.before === undefined ? null : asText(change.before),
    after: change.after === null || change.after === undefined ? null : asText(change.after),
  }));
}
