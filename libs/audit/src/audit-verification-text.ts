import type { MunicipalityId } from '@madoguchi/kernel';
import type { AuditVerification } from './audit-entry';

/** One line for the operator (npm run audit:verify): what was checked, and what is wrong first. */
export function describeVerification(municipalityId: MunicipalityId, result: AuditVerification): string {
  const head = result.head ? `seq ${result.head.seq}, hash ${result.head.hash}` : 'none';
  const checkpoint = describeCheckpoint(result);
  if (result.ok) return `${municipalityId}: intact, ${result.checked} entries checked (head: ${head}); ${checkpoint}`;
  if (!result.firstBroken) return `${municipalityId}: NOT VERIFIED: ${checkpoint} (${result.checked} entries intact; head: ${head})`;
  const { seq, reason } = result.firstBroken;
  return `${municipalityId}: BROKEN at seq ${seq}: ${reason} (${result.checked} entries intact before it; last intact: ${head}); ${checkpoint}`;
}

function describeCheckpoint({ checkpoint }: AuditVerification): string {
  switch (checkpoint.status) {
    case 'none':
      return 'no checkpoint yet: entries cut from the end could not be seen';
    case 'matches':
      return `matches the checkpoint at seq ${checkpoint.seq} (${checkpoint.at})`;
    case 'truncated':
      return `TRUNCATED: the checkpoint of ${checkpoint.at} signed seq ${checkpoint.seq}, which is gone`;
    case 'differs':
      return `DIFFERS from the checkpoint of ${checkpoint.at}: seq ${checkpoint.seq} was signed with hash ${checkpoint.hash}; the chain was recomputed`;
    case 'invalid':
      return `CHECKPOINT FILE TAMPERED: line ${checkpoint.line}: ${checkpoint.problem}`;
  }
}
