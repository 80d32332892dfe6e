import { Inject, Injectable } from '@nestjs/common';
import { type ApplicationEntity, ApplicationRepository } from '@madoguchi/engine';
import { ApprovalDecisionsService } from '@madoguchi/approvals';
import { IndividualNumberService } from '@madoguchi/identity';
import { isoDateIn, type MunicipalityId } from '@madoguchi/kernel';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { RegistryRecordMissingError } from '../document.errors';
import type { Bilingual, DocumentContent, DocumentKind, ResidentLine, SampleMark } from '../layout/document-content';
import { DocumentsRepository } from '../documents.repository';
import { RESIDENT_REGISTRY, type RegistryMatch, type ResidentRegistry } from '../registry/resident-registry';
import { DocumentContentSources, type PermitContent } from './document-content-sources';

/** The moment a document is issued for: the issue step, or the rejection of a subsidy (不交付決定). */
export type IssueTrigger = 'issue' | 'rejected';

/** Certificates laid out by their own template, known by procedure code or by the document's name. */
const CERTIFICATES_BY_CODE: Record<string, DocumentKind> = {
  juminhyo: 'residenceCertificate',
  'inkan-shomei': 'sealCertificate',
  'shotoku-kazei-shomei': 'incomeTaxCertificate',
  'nozei-shomei': 'taxPaymentCertificate',
  'hisai-01': 'disasterCertificate',
};
const CERTIFICATES_BY_NAME: Record<string, DocumentKind> = {
  住民票の写し: 'residenceCertificate',
  印鑑登録証明書: 'sealCertificate',
  '所得・課税証明書': 'incomeTaxCertificate',
  納税証明書: 'taxPaymentCertificate',
  罹災証明書: 'disasterCertificate',
};

/**
 * Which layout a procedure's document takes. A catalog certificate by code,
 * a renamed copy (e.g. test-certificate) by its document name; subsidies
 * (`grant`) get the grant notice, bookings the use permit, and anything
 * else (insurance cards, handbooks, other decisions) a generic notice rather
 * than no document. Null: nothing to issue for this trigger.
 */
export function documentKindFor(definition: ProcedureDefinition, trigger: IssueTrigger): DocumentKind | null {
  if (trigger === 'rejected') return definition.grant ? 'nonGrantDecision' : null;
  const byCode = CERTIFICATES_BY_CODE[definition.code];
  if (byCode) return byCode;
  const byName = definition.document ? CERTIFICATES_BY_NAME[definition.document.name.ja] : undefined;
  if (byName) return byName;
  if (definition.grant) return 'grantDecision';
  if (definition.document?.kind === 'permit') return 'usePermit';
  return 'notice';
}

export function titleFor(definition: ProcedureDefinition, kind: DocumentKind): Bilingual {
  const name = definition.document?.name;
  switch (kind) {
    case 'receipt':
      return { ja: '受付票', en: 'Receipt of application' };
    case 'nonGrantDecision':
      return {
        ja: name?.ja.includes('交付決定') ? name.ja.replace('交付決定', '不交付決定') : '補助金不交付決定通知書',
        en: 'Notice of decision not to grant',
      };
    case 'grantDecision':
      return name ?? { ja: '補助金交付決定通知書', en: 'Grant decision notice' };
    case 'notice':
      return name ?? { ja: '通知書', en: 'Notice' };
    default:
      return name ?? { ja: '証明書', en: 'Certificate' };
  }
}

/**
 * Gathers what a document prints. From the application: the answers, the
 * reference number, dates and fee; from the resident registry: name,
 * furigana, address, birth date, sex, household, domicile, seal
 * registration and tax figures; from the approvals library: the grant
 * decision; from content sources (bookings): the permit. Personal data read
 * here goes into the PDF and nowhere else (never a log line).
 */
@Injectable()
export class DocumentAssembler {
  constructor(
    @Inject(RESIDENT_REGISTRY) private readonly registry: ResidentRegistry,
    private readonly individualNumbers: IndividualNumberService,
    private readonly documents: DocumentsRepository,
    private readonly applications: ApplicationRepository,
    private readonly decisions: ApprovalDecisionsService,
    private readonly sources: DocumentContentSources,
  ) {}

  /** The content, and whether the registry data in it is sample data (see SampleMark). */
  async content(
    application: ApplicationEntity,
    definition: ProcedureDefinition,
    kind: DocumentKind,
    timeZone: string,
  ): Promise<{ content: DocumentContent; sample: SampleMark | null }> {
    const seen: { sample: SampleMark | null } = { sample: null };
    const content = await this.build(application, definition, kind, timeZone, seen);
    return { content, sample: seen.sample };
  }

  private async build(
    application: ApplicationEntity,
    definition: ProcedureDefinition,
    kind: DocumentKind,
    timeZone: string,
    seen: { sample: SampleMark | null },
  ): Promise<DocumentContent> {
    const municipalityId = application.municipalityId as MunicipalityId;
    const form = application.formData;
    const submittedOn = application.submittedAt ? isoDateIn(application.submittedAt, timeZone) : isoDateIn(application.createdAt, timeZone);
    const referenceNumber = application.referenceNumber ?? '—';
    switch (kind) {
      case 'residenceCertificate': {
        const match = await this.applicant(application, seen);
        return residenceContent(match, form);
      }
      case 'sealCertificate': {
        const { person, household } = await this.applicant(application, seen);
        if (!person.seal) throw new RegistryRecordMissingError(application.id);
        return {
          kind,
          name: person.name,
          kana: person.kana,
          birthDate: person.birthDate,
          sex: person.sex,
          address: household.address,
          registrationNumber: person.seal.registrationNumber,
          registeredOn: person.seal.registeredOn,
          sealText: person.name.split(/[\s\u3000]/)[0],
        };
      }
      case 'incomeTaxCertificate': {
        const { person: applicant, household } = await this.applicant(application, seen);
        const fiscalYear = integer(form.fiscalYear) ?? Number(submittedOn.slice(0, 4));
        const named = form.subject === '同一世帯の家族' && typeof form.subjectName === 'string' ? sameName(household.members, form.subjectName) : undefined;
        const person = named ?? applicant;
        const figures = person.taxes[String(fiscalYear)] ?? null;
        return { kind, fiscalYear, name: person.name, address: household.address, birthDate: person.birthDate, figures, nonTaxable: figures?.nonTaxable === true || form.certificateType === '非課税証明書' };
      }
      case 'taxPaymentCertificate': {
        const { person, household } = await this.applicant(application, seen);
        const fiscalYear = integer(form.fiscalYear) ?? Number(submittedOn.slice(0, 4));
        const taxItem = text(form.taxItem) ?? '—';
        return {
          kind,
          name: person.name,
          address: household.address,
          taxItem,
          fiscalYear,
          certificateType: text(form.certificateType) ?? '納税額の証明',
          lines: person.taxPayments[taxItem]?.[String(fiscalYear)] ?? [],
        };
      }
      case 'disasterCertificate': {
        const match = await this.applicant(application, seen).catch(() => null);
        return {
          kind,
          name: text(form.applicantName) ?? match?.person.name ?? '—',
          // A stand-in is not the applicant: their address would be someone else's.
          address: match && match.matchedBy !== 'standIn' ? match.household.address : (text(form.propertyAddress) ?? '—'),
          disasterName: text(form.disasterName) ?? '—',
          disasterDate: text(form.disasterDate) ?? submittedOn,
          propertyAddress: text(form.propertyAddress) ?? '—',
          propertyType: text(form.propertyType) ?? '—',
          applicantRole: text(form.applicantRole) ?? '—',
          damageLevel: await this.damageLevel(application),
        };
      }
      case 'grantDecision':
      case 'nonGrantDecision': {
        const decision = await this.decisions.grantDecisionFor(municipalityId, application.id);
        return {
          kind: decision.kind === 'grant' ? 'grantDecision' : 'nonGrantDecision',
          addressee: text(form.applicantName) ?? text(form.organizerName) ?? '申請者',
          address: text(form.address) ?? text(form.installationAddress) ?? '',
          procedureName: definition.name.ja,
          referenceNumber,
          submittedOn,
          decisionNumber: decision.decisionNumber,
          decidedOn: isoDateIn(new Date(decision.decidedAt), timeZone),
          requestedAmount: decision.requestedAmount,
          amount: decision.amount,
          reason: decision.reason,
        };
      }
      case 'usePermit': {
        const supplied = await this.sources.contentFor('permit', municipalityId, application.id);
        return { kind, permit: isPermitContent(supplied) ? supplied : permitFromForm(application, definition), referenceNumber };
      }
      case 'notice':
        return {
          kind,
          addressee: text(form.applicantName) ?? text(form.organizerName) ?? null,
          procedureName: definition.name.ja,
          referenceNumber,
          submittedOn,
          decision: definition.document ? `申請の内容のとおり決定しました。${definition.document.name.ja}を交付します。` : '申請の内容のとおり決定しました。',
          appealable: definition.document?.kind === 'decisionNotice' || definition.document?.kind === 'insuranceCard',
        };
      case 'receipt':
        return {
          kind,
          procedureName: definition.name.ja,
          referenceNumber,
          submittedAt: application.submittedAt ?? application.createdAt,
          channel: application.channel,
          fee: (application.snapshot.context as { fee?: { amount: number | null } }).fee?.amount ?? null,
          standardProcessingDays: definition.standardProcessingDays ?? null,
          dueOn: application.dueOn,
        };
    }
  }

  /**
   * The applicant in the registry: by their stored individual number, else
   * by the name and birth date of the card that signed the application,
   * else a sample registry's stand-in.
   */
  private async applicant(application: ApplicationEntity, seen: { sample: SampleMark | null }): Promise<RegistryMatch> {
    const match = await this.find(application);
    if (match.sample) seen.sample = match.matchedBy === 'standIn' ? 'standIn' : (seen.sample ?? 'sample');
    return match;
  }

  private async find(application: ApplicationEntity): Promise<RegistryMatch> {
    const municipalityId = application.municipalityId as MunicipalityId;
    if (application.applicantId) {
      const number = await this.individualNumbers.forRegistryLookup(municipalityId, application.applicantId, 'documents', 'resident registry lookup for an issued document');
      const byNumber = number ? await this.registry.findByIndividualNumber(municipalityId, number) : null;
      if (byNumber) return byNumber;
    }
    const card = await this.documents.signatureBasic4(municipalityId, application.id);
    const byCard = card ? await this.registry.findByNameAndBirthDate(municipalityId, card.name, card.dateOfBirth) : null;
    if (byCard) return byCard;
    const standIn = await this.registry.standIn(municipalityId, application.applicantId ?? application.id);
    if (standIn) return standIn;
    throw new RegistryRecordMissingError(application.id);
  }

  /** The damage level staff recorded (`damageLevel` in an event's payload), else what the form's self-assessment implies. */
  private async damageLevel(application: ApplicationEntity): Promise<string> {
    const events = await this.applications.events(application.municipalityId as MunicipalityId, application.id);
    for (const event of [...events].reverse()) {
      const level = (event.payload as { damageLevel?: unknown } | null)?.damageLevel;
      if (typeof level === 'string' && level.trim() !== '') return level.trim().slice(0, 100);
    }
    if (application.formData.selfAssessment === true) return '一部損壊（準半壊に至らない）（自己判定方式）';
    return '被害認定調査の結果による';
  }
}

function residenceContent(match: RegistryMatch, form: Record<string, unknown>): DocumentContent {
  const { person, household } = match;
  const line = (member: typeof person): ResidentLine => ({
    name: member.name,
    kana: member.kana,
    birthDate: member.birthDate,
    sex: member.sex,
    relationship: member.relationship,
    residentSince: member.residentSince,
  });
  let members = [person];
  if (form.scope === '世帯全員') members = household.members;
  if (form.scope === '世帯の一部' && Array.isArray(form.members)) {
    const named = form.members.map((name) => (typeof name === 'string' ? sameName(household.members, name) : undefined)).filter((member) => member !== undefined);
    if (named.length > 0) members = household.members.filter((member) => named.includes(member));
  }
  const head = household.members.find((member) => member.id === household.headId);
  return {
    kind: 'residenceCertificate',
    address: household.address,
    householdHead: form.includeHouseholdHead === true || form.scope === '世帯全員' ? (head?.name ?? null) : null,
    members: members.slice(0, 10).map(line),
    domicile: form.includeDomicile === true && household.domicile ? { domicile: household.domicile, head: household.domicileHead ?? '—' } : null,
  };
}

function sameName<T extends { name: string }>(members: T[], name: string): T | undefined {
  const key = (value: string) => value.replace(/[\s\u3000]+/g, '');
  return members.find((member) => key(member.name) === key(name));
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

/** What a content source answered, checked before it is printed. */
export function isPermitContent(value: Record<string, unknown> | null): value is Record<string, unknown> & PermitContent {
  if (!value) return false;
  const bilingual = (item: unknown) => typeof item === 'object' && item !== null && typeof (item as Bilingual).ja === 'string' && typeof (item as Bilingual).en === 'string';
  return (
    typeof value.bookingNumber === 'string' &&
    bilingual(value.facility) &&
    bilingual(value.room) &&
    Array.isArray(value.slots) &&
    value.slots.every(
      (slot: unknown) =>
        typeof slot === 'object' &&
        slot !== null &&
        /^\d{4}-\d{2}-\d{2}$/.test(String((slot as Record<string, unknown>).date)) &&
        /^\d{2}:\d{2}$/.test(String((slot as Record<string, unknown>).start)) &&
        /^\d{2}:\d{2}$/.test(String((slot as Record<string, unknown>).end)),
    ) &&
    typeof value.organizerName === 'string' &&
    typeof value.purpose === 'string' &&
    (value.attendees === null || typeof value.attendees === 'number') &&
    typeof value.fee === 'number' &&
    (value.reduction === null || typeof value.reduction === 'string')
  );
}

/** A v1 booking form (room, organizer, purpose) when no booking record answers. */
function permitFromForm(application: ApplicationEntity, definition: ProcedureDefinition): PermitContent {
  const form = application.formData;
  const reductionCode = text(form.reductionCode);
  const reduction = reductionCode ? (definition.fee.reductions?.find((item) => item.code === reductionCode)?.label.ja ?? reductionCode) : null;
  const room = text(form.room) ?? text(form.area) ?? '—';
  const attendees = typeof form.attendees === 'number' ? form.attendees : typeof form.participants === 'number' ? form.participants : null;
  return {
    bookingNumber: application.referenceNumber ?? application.id,
    facility: { ja: definition.name.ja.replace(/の利用予約$/, ''), en: definition.name.en.replace(/^Booking of (a |an |the )?/i, '') },
    room: { ja: room, en: room },
    slots: [],
    organizerName: text(form.organizerName) ?? '—',
    purpose: text(form.purpose) ?? '—',
    attendees,
    fee: (application.snapshot.context as { fee?: { amount: number | null } }).fee?.amount ?? 0,
    reduction,
  };
}
