import { type ApplicationContent, type ChainedDecision, contentHash, type DecisionFields, decisionHash, verifyChain } from './approval-chain';

const content: ApplicationContent = {
  procedureCode: 'taiyoko-hojo',
  procedureVersion: 2,
  referenceNumber: 'R8-000001',
  answers: { requestedAmount: 80000, applicantName: '窓口 花子' },
  fee: null,
  attachments: ['b'.repeat(64), 'a'.repeat(64)],
};

function chain(count: number, hashOfContent = contentHash(content)): ChainedDecision[] {
  const decisions: ChainedDecision[] = [];
  for (let seq = 1; seq <= count; seq += 1) {
    const fields: DecisionFields = {
      applicationId: 'app-1',
      seq,
      round: 1,
      stepIndex: seq - 1,
      stepKind: 'level',
      department: 'kankyo',
      outcome: 'approved',
      approverId: `approver-${seq}`,
      approverLevel: 'kacho',
      onBehalfOf: null,
      delegationId: null,
      comment: seq === 2 ? '異議なし' : null,
      decidedAt: `2026-11-2${seq}T01:00:00.000Z`,
    };
    const previousHash = decisions.at(-1)?.hash ?? null;
    decisions.push({ ...fields, contentHash: hashOfContent, previousHash, hash: decisionHash(fields, hashOfContent, previousHash) });
  }
  return decisions;
}

describe('approval hash chain', () => {
  it('hashes content regardless of key order and attachment order', () => {
    const reordered = { ...content, answers: { applicantName: '窓口 花子', requestedAmount: 80000 }, attachments: [...content.attachments].reverse() };
    expect(contentHash(reordered)).toBe(contentHash(content));
    expect(contentHash({ ...content, answers: { ...content.answers, requestedAmount: 80001 } })).not.toBe(contentHash(content));
  });

  it('an untouched chain verifies and matches the content', () => {
    expect(verifyChain(chain(3), contentHash(content))).toEqual({ intact: true, brokenAt: null, contentMatchesLastDecision: true, decisions: 3 });
    expect(verifyChain([], contentHash(content))).toEqual({ intact: true, brokenAt: null, contentMatchesLastDecision: null, decisions: 0 });
  });

  it('a changed comment, approver or time breaks the chain at that decision', () => {
    for (const change of [{ comment: '改ざん' }, { approverId: 'someone-else' }, { decidedAt: '2026-11-30T00:00:00.000Z' }, { onBehalfOf: 'x' }]) {
      const decisions = chain(3);
      decisions[1] = { ...decisions[1], ...change };
      expect(verifyChain(decisions, contentHash(content))).toMatchObject({ intact: false, brokenAt: 2 });
    }
  });

  it('a removed or reordered decision breaks the links', () => {
    const decisions = chain(3);
    expect(verifyChain([decisions[0], decisions[2]], contentHash(content))).toMatchObject({ intact: false, brokenAt: 3 });
    expect(verifyChain([decisions[1], decisions[0], decisions[2]], contentHash(content))).toMatchObject({ intact: false, brokenAt: 2 });
  });

  it('a rehashed forgery fails on the link to the next decision', () => {
    const decisions = chain(3);
    const { contentHash: hashed, previousHash, hash: _hash, ...fields } = decisions[0];
    const forged = { ...fields, comment: '差し替え' };
    decisions[0] = { ...forged, contentHash: hashed, previousHash, hash: decisionHash(forged, hashed, previousHash) };
    expect(verifyChain(decisions, contentHash(content))).toMatchObject({ intact: false, brokenAt: 2 });
  });

  it('answers changed after the last decision show as a content mismatch', () => {
    const changed = contentHash({ ...content, answers: { ...content.answers, requestedAmount: 100000 } });
    expect(verifyChain(chain(2), changed)).toEqual({ intact: true, brokenAt: null, contentMatchesLastDecision: false, decisions: 2 });
  });
});
