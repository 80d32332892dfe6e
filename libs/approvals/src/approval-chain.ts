import { canonicalJson, sha256Hex } from '@madoguchi/kernel';

/**
 * The decision record's hash chain. Each decision hashes the application
 * content it was taken on, the previous decision's hash and its own fields,
 * so changing the answers, an earlier decision or this one afterwards shows.
 */

export interface ApplicationContent {
  procedureCode: string;
  procedureVersion: number;
  referenceNumber: string | null;
  /** The answers in the clear (individual numbers decrypted): a key rotation must not look like tampering. */
  answers: Record<string, unknown>;
  fee: number | null;
  /** SHA-256 of each attached file, sorted. */
  attachments: string[];
}

export interface DecisionFields {
  applicationId: string;
  seq: number;
  round: number;
  stepIndex: number;
  stepKind: 'level' | 'consultation';
  department: string;
  outcome: 'approved' | 'returnedToPrevious' | 'returnedToClerk' | 'rejected';
  approverId: string;
  approverLevel: string | null;
  onBehalfOf: string | null;
  delegationId: string | null;
  comment: string | null;
  decidedAt: string;
}

export interface ChainedDecision extends DecisionFields {
  contentHash: string;
  previousHash: string | null;
  hash: string;
}

export function contentHash(content: ApplicationContent): string {
  return sha256Hex(canonicalJson({ ...content, attachments: [...content.attachments].sort() }));
}

export function decisionHash(fields: DecisionFields, content: string, previousHash: string | null): string {
  return sha256Hex(canonicalJson({ ...fields, contentHash: content, previousHash }));
}

export interface ChainVerification {
  /** Every link recomputes and points at the one before. */
  intact: boolean;
  /** First decision (seq) that does not recompute or link; null when intact. */
  brokenAt: number | null;
  /** The application as it is now hashes to what the last decision was taken on. */
  contentMatchesLastDecision: boolean | null;
  decisions: number;
}

export function verifyChain(decisions: readonly ChainedDecision[], currentContentHash: string): ChainVerification {
  let previous: string | null = null;
  for (const [index, decision] of decisions.entries()) {
    const { contentHash: content, previousHash, hash, ...fields } = decision;
    const linked = decision.seq === index + 1 && previousHash === previous;
    if (!linked || decisionHash(fields, content, previousHash) !== hash) {
      return { intact: false, brokenAt: decision.seq, contentMatchesLastDecision: null, decisions: decisions.length };
    }
    previous = hash;
  }
  const last = decisions.at(-1);
  return { intact: true, brokenAt: null, contentMatchesLastDecision: last ? last.contentHash === currentContentHash : null, decisions: decisions.length };
}
