import { Injectable } from '@nestjs/common';
import type { StaffPrincipal } from '@madoguchi/identity';
import { MunicipalityDirectory } from '@madoguchi/config';
import { Clock, fiscalYearOf, isoDateIn, type MunicipalityId } from '@madoguchi/kernel';
import type { AreaEvaluationView, EvaluationAreaCreateDto, EvaluationAreaEntryDto, EvaluationAreaView, EvaluationYearView } from '../dto/evaluation.dto';
import { REPORTING_ROLES, requireRole } from '../reporting-access';
import { ReportingError } from '../reporting.errors';
import { AREA_RATING_LABELS, BOUNDARY_RULES, compareWithPublished, countMarks, ITEM_MARK_LABELS, rateArea } from './area-rating';
import { type EvaluationAreaRow, type EvaluationEntryRow, EvaluationRepository } from './evaluation.repository';

export const WRITTEN_RULE = {
  ja: '先進的：(先進的+普通)≧2/3 かつ 先進的≧(先進的+普通)の2/3／良好：(先進的+普通)≧2/3 かつ 先進的<(先進的+普通)の1/3／やや不備あり：(検討が必要+遅れている)≧1/3／不備あり：(検討が必要+遅れている)≧1/3 かつ 遅れている≧(検討が必要+遅れている)の2/3',
  en: 'Advanced: (advanced+normal) ≥ 2/3 and advanced ≥ 2/3 of them; Good: (advanced+normal) ≥ 2/3 and advanced < 1/3 of them; Some shortcomings: (needs study+behind) ≥ 1/3; Deficient: (needs study+behind) ≥ 1/3 and behind ≥ 2/3 of them',
};

/** The survey-style self-evaluation: areas, their items per fiscal year, computed and published ratings. */
@Injectable()
export class EvaluationService {
  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly clock: Clock,
    private readonly directory: MunicipalityDirectory,
  ) {}

  /** The fiscal year (named by the year it starts in) today falls in, where the municipality is. */
  currentFiscalYear(municipalityId: MunicipalityId): number {
    const settings = this.directory.get(municipalityId)!;
    return fiscalYearOf(isoDateIn(this.clock.now(), settings.timeZone), settings.fiscalYearStartMonth).fiscalYear;
  }

  async listAreas(staff: StaffPrincipal): Promise<EvaluationAreaView[]> {
    requireRole(staff, REPORTING_ROLES.evaluation);
    return this.evaluations.listAreas(staff.municipalityId);
  }

  async createArea(staff: StaffPrincipal, input: EvaluationAreaCreateDto): Promise<EvaluationAreaView> {
    requireRole(staff, REPORTING_ROLES.evaluation);
    const inserted = await this.evaluations.insertArea(staff.municipalityId, input.code, { ja: input.name.ja, en: input.name.en }, this.clock.now());
    if (!inserted) throw ReportingError.areaExists(input.code);
    const area = (await this.evaluations.listAreas(staff.municipalityId)).find((row) => row.code === input.code);
    return area!;
  }

  async year(staff: StaffPrincipal, fiscalYear: number): Promise<EvaluationYearView> {
    requireRole(staff, REPORTING_ROLES.evaluation);
    return this.yearOf(staff.municipalityId, fiscalYear);
  }

  /** Also used by the annual report, which checks access itself. */
  async yearOf(municipalityId: MunicipalityId, fiscalYear: number): Promise<EvaluationYearView> {
    const [areas, entries] = await Promise.all([this.evaluations.listAreas(municipalityId), this.evaluations.latestEntries(municipalityId, fiscalYear)]);
    const byArea = new Map(entries.map((entry) => [entry.areaCode, entry]));
    return {
      fiscalYear,
      areas: areas.map((area) => view(area, byArea.get(area.code) ?? null)),
      rule: { written: WRITTEN_RULE, boundaries: BOUNDARY_RULES },
    };
  }

  /** Saves a new revision of one area for the fiscal year; earlier revisions stay. */
  async saveArea(staff: StaffPrincipal, fiscalYear: number, code: string, input: EvaluationAreaEntryDto): Promise<AreaEvaluationView> {
    requireRole(staff, REPORTING_ROLES.evaluation);
    const area = (await this.evaluations.listAreas(staff.municipalityId)).find((row) => row.code === code);
    if (!area) throw ReportingError.areaNotFound(code);
    const saved = await this.evaluations.appendEntry(staff.municipalityId, {
      areaCode: code,
      fiscalYear,
      items: input.items.map((item) => ({
        label: { ja: item.label.ja, en: item.label.en },
        mark: item.mark,
        nationalRate: item.nationalRate ?? null,
        prefecturalRate: item.prefecturalRate ?? null,
      })),
      goodPoints: input.goodPoints ?? '',
      pointsToStudy: input.pointsToStudy ?? '',
      publishedRating: input.publishedRating ?? null,
      enteredBy: staff.id,
      enteredAt: this.clock.now(),
    });
    if (!saved) throw ReportingError.conflict(code, fiscalYear);
    return view(area, saved);
  }
}

function view(area: EvaluationAreaRow, entry: EvaluationEntryRow | null): AreaEvaluationView {
  const items = entry?.items ?? [];
  const computed = rateArea(countMarks(items.map((item) => item.mark)));
  const published = entry?.publishedRating ?? null;
  const comparison = compareWithPublished(computed, published);
  return {
    code: area.code,
    name: area.name,
    revision: entry?.revision ?? null,
    enteredBy: entry?.enteredBy ?? null,
    enteredAt: entry ? entry.enteredAt.toISOString() : null,
    items: items.map((item) => ({ ...item, markLabel: ITEM_MARK_LABELS[item.mark] })),
    goodPoints: entry?.goodPoints ?? '',
    pointsToStudy: entry?.pointsToStudy ?? '',
    computed: { rating: computed.rating, label: AREA_RATING_LABELS[computed.rating], trail: computed.trail },
    published: published ? { rating: published, label: AREA_RATING_LABELS[published] } : null,
    mismatch: comparison.matches === null ? null : { matches: comparison.matches, reason: comparison.reason },
  };
}
