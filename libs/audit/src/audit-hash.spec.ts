import { asMunicipalityId } from '@madoguchi/kernel';
import { auditEntryHash, GENESIS_HASH, type HashedAuditFields } from './audit-hash';

const base: HashedAuditFields = {
  municipalityId: asMunicipalityId('990001'),
  seq: 7,
  occurredAt: new Date('2026-11-22T01:00:00.123Z'),
  actor: { kind: 'staff', id: 'staff-1' },
  action: 'application.read',
  target: { type: 'application', id: '0f6f3c9e-7f43-4c43-9d47-5d1b6f3f1a01' },
  details: { fields: ['address', 'birthDate'], reason: 'review', nested: { a: 1, b: [true, null] } },
  prevHash: 'a'.repeat(64),
};

describe('auditEntryHash', () => {
  it('is 64 hex characters and the same for equal data', () => {
    const hash = auditEntryHash(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(auditEntryHash(structuredClone(base))).toBe(hash);
  });

  it('does not depend on key order (jsonb does not keep it)', () => {
    const reordered: HashedAuditFields = {
      prevHash: base.prevHash,
      details: { nested: { b: [true, null], a: 1 }, reason: 'review', fields: ['address', 'birthDate'] },
      target: { id: base.target!.id, type: 'application' },
      action: base.action,
      actor: { id: 'staff-1', kind: 'staff' },
      occurredAt: new Date(base.occurredAt.getTime()),
      seq: 7,
      municipalityId: base.municipalityId,
    };
    expect(auditEntryHash(reordered)).toBe(auditEntryHash(base));
  });

  const changes: Array<[string, Partial<HashedAuditFields>]> = [
    ['municipalityId', { municipalityId: asMunicipalityId('990002') }],
    ['seq', { seq: 8 }],
    ['occurredAt (one millisecond)', { occurredAt: new Date(base.occurredAt.getTime() + 1) }],
    ['actor.kind', { actor: { kind: 'resident', id: 'staff-1' } }],
    ['actor.id', { actor: { kind: 'staff', id: 'staff-2' } }],
    ['actor.id to null', { actor: { kind: 'staff', id: null } }],
    ['action', { action: 'application.transition' }],
    ['target.type', { target: { type: 'applicationX', id: base.target!.id } }],
    ['target.id', { target: { type: 'application', id: '0f6f3c9e-7f43-4c43-9d47-5d1b6f3f1a02' } }],
    ['target removed', { target: null }],
    ['a details value', { details: { ...base.details, reason: 'audit' } }],
    ['a details array order', { details: { ...base.details, fields: ['birthDate', 'address'] } }],
    ['a details key added', { details: { ...base.details, extra: true } }],
    ['a nested details value', { details: { ...base.details, nested: { a: 2, b: [true, null] } } }],
    ['a details number to string', { details: { ...base.details, nested: { a: '1', b: [true, null] } } }],
    ['prevHash', { prevHash: GENESIS_HASH }],
  ];

  it.each(changes)('changes when %s changes', (_name, change) => {
    expect(auditEntryHash({ ...base, ...change })).not.toBe(auditEntryHash(base));
  });

  it('does not depend on the hash field being present', () => {
    expect(auditEntryHash({ ...base, hash: 'f'.repeat(64) } as HashedAuditFields)).toBe(auditEntryHash(base));
  });
});
