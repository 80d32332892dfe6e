import { Injectable } from '@nestjs/common';
import type { StaffPrincipal } from '@madoguchi/identity';
import type { EntityManager } from 'typeorm';
import { CounterEntryError } from './counter-entry.errors';

/**
 * How a queue ticket (受付発券, libs/counter) gets linked to an application
 * entered at the counter. libs/counter depends on this library, never the
 * reverse, so the counter registers its implementation here on start-up;
 * its own rules (clerks only, tickets of the staff member's municipality)
 * and errors apply.
 */
export interface CounterTicketLinker {
  /** Throws the counter's refusal when the staff member may not link this ticket. */
  assertLinkable(staff: StaffPrincipal, ticketId: string): Promise<void>;
  /** `manager`: the transaction the application was created in, when it is not committed yet. */
  link(staff: StaffPrincipal, ticketId: string, applicationId: string, manager?: EntityManager): Promise<void>;
}

@Injectable()
export class CounterTicketLinks {
  private linker: CounterTicketLinker | null = null;

  use(linker: CounterTicketLinker): void {
    if (this.linker) throw new Error('a counter ticket linker is already registered');
    this.linker = linker;
  }

  get(): CounterTicketLinker {
    if (!this.linker) throw CounterEntryError.ticketsUnavailable();
    return this.linker;
  }
}
