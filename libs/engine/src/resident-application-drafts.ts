import { Injectable } from '@nestjs/common';
import type { ResidentPrincipal } from '@madoguchi/identity';

/** What a step library needs to know of an application it started for a resident. */
export interface ResidentApplicationSummary {
  id: string;
  revision: number;
  state: string;
  referenceNumber: string | null;
  fee: number | null;
}

/**
 * Starting and submitting an application on a resident's behalf, with all
 * the checks of the resident's own path (form validation, draft limits,
 * signatures, fee). libs/applications implements it and registers itself on
 * start-up; a step library (a facility booking applying with its hold) uses
 * it without depending on the case-work library.
 */
export interface ResidentApplicationDraftsPort {
  create(resident: ResidentPrincipal, procedureCode: string, formData: Record<string, unknown>): Promise<ResidentApplicationSummary>;
  submit(resident: ResidentPrincipal, id: string, revision: number): Promise<ResidentApplicationSummary>;
  discard(resident: ResidentPrincipal, id: string): Promise<void>;
  summary(resident: ResidentPrincipal, id: string): Promise<ResidentApplicationSummary>;
}

@Injectable()
export class ResidentApplicationDrafts implements ResidentApplicationDraftsPort {
  private implementation: ResidentApplicationDraftsPort | null = null;

  use(implementation: ResidentApplicationDraftsPort): void {
    if (this.implementation) throw new Error('resident application drafts are already provided');
    this.implementation = implementation;
  }

  create(resident: ResidentPrincipal, procedureCode: string, formData: Record<string, unknown>): Promise<ResidentApplicationSummary> {
    return this.port().create(resident, procedureCode, formData);
  }

  submit(resident: ResidentPrincipal, id: string, revision: number): Promise<ResidentApplicationSummary> {
    return this.port().submit(resident, id, revision);
  }

  discard(resident: ResidentPrincipal, id: string): Promise<void> {
    return this.port().discard(resident, id);
  }

  summary(resident: ResidentPrincipal, id: string): Promise<ResidentApplicationSummary> {
    return this.port().summary(resident, id);
  }

  private port(): ResidentApplicationDraftsPort {
    // ApplicationsModule registers on init; every app that serves residents imports it.
    if (!this.implementation) throw new Error('no module provides resident application drafts (import ApplicationsModule)');
    return this.implementation;
  }
}
