import { Injectable } from '@nestjs/common';
import type { ResidentPrincipal } from '../access/principal';

/**
 * What a resident can sign with the card in the browser, registered by the
 * library that owns it (applications registers `application`), so identity
 * drives the round trip without importing that library.
 */
export interface MyNumberSigningTarget {
  /** Lower-case hex SHA-256 the card is to sign; checks first that the resident may sign it now. */
  contentHash(resident: ResidentPrincipal, targetId: string): Promise<string>;
  /** Verifies the signature with the JPKI verifier over the current content and stores it; throws when it does not verify. */
  store(resident: ResidentPrincipal, targetId: string, signature: string, certificateChain: string[]): Promise<void>;
  /** Where the browser goes once signed. */
  returnPath(targetId: string): string;
}

@Injectable()
export class MyNumberSigningTargets {
  private readonly targets = new Map<string, MyNumberSigningTarget>();

  register(kind: string, target: MyNumberSigningTarget): void {
    if (this.targets.has(kind)) throw new Error(`signing target ${kind} is registered twice`);
    this.targets.set(kind, target);
  }

  get(kind: string): MyNumberSigningTarget {
    const target = this.targets.get(kind);
    if (!target) throw new Error(`no signing target ${kind}`);
    return target;
  }
}
