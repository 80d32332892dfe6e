import { Get, Param, Post, Req, Res } from '@nestjs/common';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { RequestError } from '@madoguchi/kernel';
import { AREA_RATINGS, type AreaEvaluationView, type AreaRating, EvaluationService, ITEM_MARKS, type ItemMark, parseFiscalYear, ReportingError } from '@madoguchi/reporting';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { type OfficeContext, OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { type AreaFormValues, areaPath, type CreateAreaValues, EMPTY_ROWS, EVALUATION, EvaluationAreaView, EvaluationListView, type ItemFormRow, MAX_FORM_ITEMS } from './evaluation.view';

const AREA_CODE = /^[a-z][a-z0-9-]{0,39}$/;
/** A rate as typed: up to 100, at most two decimals. */
const RATE = /^\d{1,3}(\.\d{1,2})?$/;
const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');

/** The fiscal year of the query, or today's; an unreadable one is reported, and today's shown. */
function yearOfQuery(value: unknown, current: number): { fiscalYear: number; input: string; invalid: boolean } {
  const input = text(value, 10);
  if (input === '') return { fiscalYear: current, input: String(current), invalid: false };
  try {
    return { fiscalYear: parseFiscalYear(input), input, invalid: false };
  } catch {
    return { fiscalYear: current, input, invalid: true };
  }
}

/** The saved entry as form rows, with a few empty rows to add items. */
function formOf(area: AreaEvaluationView): AreaFormValues {
  const rows: ItemFormRow[] = area.items.map((item) => ({
    labelJa: item.label.ja,
    labelEn: item.label.en === item.label.ja ? '' : item.label.en,
    mark: item.mark,
    national: item.nationalRate === null ? '' : String(item.nationalRate),
    prefectural: item.prefecturalRate === null ? '' : String(item.prefecturalRate),
  }));
  return { items: withEmptyRows(rows), goodPoints: area.goodPoints, pointsToStudy: area.pointsToStudy, publishedRating: area.published?.rating ?? '' };
}

function withEmptyRows(rows: ItemFormRow[]): ItemFormRow[] {
  const empty = (): ItemFormRow => ({ labelJa: '', labelEn: '', mark: '', national: '', prefectural: '' });
  const count = Math.min(MAX_FORM_ITEMS, rows.length + EMPTY_ROWS);
  return [...rows, ...Array.from({ length: count - rows.length }, empty)];
}

/**
 * /office/evaluation: the survey-style self-evaluation for managers, on
 * EvaluationService as /api/v1/evaluation/… uses it. The list shows every
 * area's computed rating beside the entered one; an area's page shows the
 * trail and takes the items, notes and entered rating (each save is a new
 * revision; earlier ones are kept).
 */
@StaffOnly('manager')
@OfficePageController('evaluation')
export class EvaluationPageController {
  constructor(
    private readonly evaluation: EvaluationService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const year = yearOfQuery(request.query.fiscalYear, this.evaluation.currentFiscalYear(staff.municipalityId));
    const view = await this.evaluation.year(staff, year.fiscalYear);
    const createdCode = text(request.query.created, 40);
    const created = view.areas.find((area) => area.code === createdCode);
    const html = renderDocument(
      EvaluationListView({
        context,
        year: view,
        yearInput: year.input,
        yearError: year.invalid ? context.t('reporting.fiscalYearInvalid') : undefined,
        created: created ? (context.lang === 'en' ? created.name.en : created.name.ja) : null,
        createValues: { code: '', nameJa: '', nameEn: '' },
        createErrors: [],
      }),
    );
    sendPage(response, context.lang, html, year.invalid ? 400 : 200);
  }

  @Post('areas')
  async create(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: CreateAreaValues = { code: text(body.code, 40), nameJa: text(body.nameJa, 200), nameEn: text(body.nameEn, 200) };
    const year = yearOfQuery(body.fiscalYear, this.evaluation.currentFiscalYear(staff.municipalityId));
    const { t } = context;
    const errors: FieldError[] = [];
    if (!AREA_CODE.test(values.code)) errors.push({ fieldId: 'code', message: t('evaluation.create.codeInvalid') });
    if (!values.nameJa) errors.push({ fieldId: 'nameJa', message: t('evaluation.create.nameJaMissing') });
    if (!values.nameEn) errors.push({ fieldId: 'nameEn', message: t('evaluation.create.nameEnMissing') });
    if (errors.length === 0) {
      try {
        await this.evaluation.createArea(staff, { code: values.code, name: { ja: values.nameJa, en: values.nameEn } });
        return response.redirect(303, `${EVALUATION}?fiscalYear=${year.fiscalYear}&created=${encodeURIComponent(values.code)}`);
      } catch (error) {
        errors.push({ fieldId: 'code', message: userMessage(context, error) });
      }
    }
    const view = await this.evaluation.year(staff, year.fiscalYear);
    sendPage(response, context.lang, renderDocument(EvaluationListView({ context, year: view, yearInput: String(year.fiscalYear), created: null, createValues: values, createErrors: errors })), 400);
  }

  @Get(':fiscalYear/areas/:code')
  async area(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('fiscalYear') fiscalYearText: string, @Param('code') code: string): Promise<void> {
    const context = await this.pages.of(request);
    const { fiscalYear, area, rule } = await this.load(staff, fiscalYearText, code);
    const saved = request.query.saved === '1';
    sendPage(response, context.lang, renderDocument(EvaluationAreaView({ context, fiscalYear, area, rule, values: formOf(area), errors: [], saved })));
  }

  @Post(':fiscalYear/areas/:code')
  async save(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('fiscalYear') fiscalYearText: string, @Param('code') code: string): Promise<void> {
    const context = await this.pages.of(request);
    const { fiscalYear, area, rule } = await this.load(staff, fiscalYearText, code);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { values, errors, entry } = readAreaForm(context, body);
    if (errors.length === 0) {
      try {
        await this.evaluation.saveArea(staff, fiscalYear, area.code, entry);
        return response.redirect(303, `${areaPath(fiscalYear, area.code)}?saved=1`);
      } catch (error) {
        errors.push({ fieldId: 'item-0-labelJa', message: userMessage(context, error) });
      }
    }
    sendPage(response, context.lang, renderDocument(EvaluationAreaView({ context, fiscalYear, area, rule, values, errors, saved: false })), 400);
  }

  /** The area of the fiscal year as the service computes it; an unknown code (or another municipality's) is not found. */
  private async load(staff: StaffPrincipal, fiscalYearText: string, code: string) {
    const fiscalYear = parseFiscalYear(fiscalYearText);
    const year = await this.evaluation.year(staff, fiscalYear);
    const area = year.areas.find((candidate) => candidate.code === code);
    if (!area) throw ReportingError.areaNotFound(code.slice(0, 40));
    return { fiscalYear, area, rule: year.rule };
  }
}

/** A refusal of the service (409: taken code, a concurrent save) in the page's language; anything else is not the form's to explain. */
function userMessage(context: OfficeContext, error: unknown): string {
  if (!(error instanceof RequestError) || error.httpStatus >= 500 || error.httpStatus === 403 || error.httpStatus === 401) throw error;
  return context.lang === 'en' ? error.userMessage.en : error.userMessage.ja;
}

/** The area form: rows with a name are items; each needs a mark, rates are optional percentages. */
function readAreaForm(
  context: OfficeContext,
  body: Record<string, unknown>,
): {
  values: AreaFormValues;
  errors: FieldError[];
  entry: { items: Array<{ label: { ja: string; en: string }; mark: ItemMark; nationalRate: number | null; prefecturalRate: number | null }>; goodPoints: string; pointsToStudy: string; publishedRating: AreaRating | null };
} {
  const { t } = context;
  const rows: ItemFormRow[] = [];
  for (let index = 0; index < MAX_FORM_ITEMS && `item-${index}-labelJa` in body; index += 1) {
    const field = (name: string) => body[`item-${index}-${name}`];
    rows.push({ labelJa: text(field('labelJa'), 200), labelEn: text(field('labelEn'), 200), mark: text(field('mark'), 20), national: text(field('national'), 10), prefectural: text(field('prefectural'), 10) });
  }
  const errors: FieldError[] = [];
  const items: ReturnType<typeof readAreaForm>['entry']['items'] = [];
  const rate = (value: string): number | null | undefined => {
    if (value === '') return null;
    if (!RATE.test(value) || Number(value) > 100) return undefined;
    return Number(value);
  };
  rows.forEach((row, index) => {
    const number = index + 1;
    const used = row.labelJa !== '' || row.labelEn !== '' || row.mark !== '' || row.national !== '' || row.prefectural !== '';
    if (!used) return;
    if (!row.labelJa) errors.push({ fieldId: `item-${index}-labelJa`, message: t('evaluation.form.labelMissing', { number }) });
    const markValid = (ITEM_MARKS as readonly string[]).includes(row.mark);
    if (!markValid) errors.push({ fieldId: `item-${index}-mark`, message: t('evaluation.form.markMissing', { number }) });
    const nationalRate = rate(row.national);
    const prefecturalRate = rate(row.prefectural);
    if (nationalRate === undefined || prefecturalRate === undefined) errors.push({ fieldId: `item-${index}-national`, message: t('evaluation.form.rateInvalid', { number }) });
    if (row.labelJa && markValid && nationalRate !== undefined && prefecturalRate !== undefined) {
      items.push({ label: { ja: row.labelJa, en: row.labelEn || row.labelJa }, mark: row.mark as ItemMark, nationalRate, prefecturalRate });
    }
  });
  const publishedText = text(body.publishedRating, 20);
  const publishedRating = (AREA_RATINGS as readonly string[]).includes(publishedText) ? (publishedText as AreaRating) : null;
  const values: AreaFormValues = {
    // Rows stay where they were posted (error ids name them by position); the empty ones after the last used one are offered again.
    items: withEmptyRows(rows.slice(0, lastUsed(rows) + 1)),
    goodPoints: text(body.goodPoints, 4000),
    pointsToStudy: text(body.pointsToStudy, 4000),
    publishedRating: publishedRating ?? '',
  };
  return { values, errors, entry: { items, goodPoints: values.goodPoints, pointsToStudy: values.pointsToStudy, publishedRating } };
}

function lastUsed(rows: ItemFormRow[]): number {
  for (let index = rows.length - 1; index >= 0; index -= 1) if (Object.values(rows[index]).some((value) => value !== '')) return index;
  return -1;
}
