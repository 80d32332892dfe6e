import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';

/** One time slot of a facility use permit, in the municipality's time zone. */
export interface PermitSlot {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  start: string;
  /** HH:MM */
  end: string;
}

/** What a 利用許可証 prints; supplied by the bookings library for kind `permit`. */
export interface PermitContent {
  bookingNumber: string;
  facility: { ja: string; en: string };
  room: { ja: string; en: string };
  slots: PermitSlot[];
  organizerName: string;
  purpose: string;
  attendees: number | null;
  /** Yen, after reductions. */
  fee: number;
  /** The reduction (減免) applied, as printed; null when none. */
  reduction: string | null;
}

/**
 * Another library that knows more about an application than its form data
 * (e.g. bookings for a permit) answers here. `null` means "not mine / not
 * known": the renderer then falls back to the application's form.
 */
export interface DocumentContentSource {
  /** Document kinds (procedure `document.kind`) this source can fill, e.g. ['permit']. */
  kinds: string[];
  content(municipalityId: MunicipalityId, applicationId: string): Promise<Record<string, unknown> | null>;
}

/**
 * Registry of content sources. Libraries register from their module's
 * onModuleInit so documents never import them (dependencies point one way).
 */
@Injectable()
export class DocumentContentSources {
  private readonly sources: DocumentContentSource[] = [];

  register(source: DocumentContentSource): void {
    this.sources.push(source);
  }

  /** The first non-null answer of a source registered for the kind. */
  async contentFor(kind: string, municipalityId: MunicipalityId, applicationId: string): Promise<Record<string, unknown> | null> {
    for (const source of this.sources) {
      if (!source.kinds.includes(kind)) continue;
      const content = await source.content(municipalityId, applicationId);
      if (content) return content;
    }
    return null;
  }
}
