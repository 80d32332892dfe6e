import type { ProcedureDefinition } from '@madoguchi/workflow';
import {
  type ActiveDelegation,
  type ApproverFacts,
  approve,
  authorityFor,
  conflictOfDuties,
  resolveRoute,
  returnToPrevious,
  type RouteProgress,
  waitingDepartments,
} from './approval-route';

const definition = (overrides: Partial<ProcedureDefinition> = {}): ProcedureDefinition =>
  ({
    code: 'test-subsidy',
    version: 1,
    department: 'kankyo',
    category: 'subsidy',
    approvalRoute: [
      { role: 'approver', level: 'kakaricho' },
      { consultation: { departments: ['zaisei', 'kikaku'] } },
      { role: 'approver', level: 'kacho' },
    ],
    approvalRules: [
      { when: { field: 'requestedAmount', atLeast: 500000 }, level: 'bucho' },
      { when: { field: 'kind', in: ['法人'] }, level: 'kacho' },
    ],
    ...overrides,
  }) as ProcedureDefinition;

const person = (id: string, level: ApproverFacts['level'], departments: string[] = ['kankyo'], roles: ApproverFacts['roles'] = ['approver']): ApproverFacts => ({
  id,
  roles,
  level,
  departments,
});

describe('resolveRoute', () => {
  it('copies the definition route with the owning department on level steps', () => {
    expect(resolveRoute(definition(), { requestedAmount: 100000 })).toEqual([
      { index: 0, kind: 'level', level: 'kakaricho', departments: ['kankyo'], rule: null },
      { index: 1, kind: 'consultation', level: null, departments: ['zaisei', 'kikaku'], rule: null },
      { index: 2, kind: 'level', level: 'kacho', departments: ['kankyo'], rule: null },
    ]);
  });

  it('appends a higher level when an amount rule matches, from the threshold up', () => {
    expect(resolveRoute(definition(), { requestedAmount: 499999 })).toHaveLength(3);
    const route = resolveRoute(definition(), { requestedAmount: 500000 });
    expect(route).toHaveLength(4);
    expect(route[3]).toEqual({ index: 3, kind: 'level', level: 'bucho', departments: ['kankyo'], rule: { field: 'requestedAmount', atLeast: 500000 } });
  });

  it('adds nothing when the route already reaches the level a rule asks for', () => {
    expect(resolveRoute(definition(), { kind: '法人' })).toHaveLength(3);
  });

  it('takes the strictest of several matching rules, once', () => {
    const route = resolveRoute(definition({ approvalRoute: [{ role: 'approver', level: 'kakaricho' }] }), { kind: '法人', requestedAmount: 900000 });
    expect(route.map((step) => step.level)).toEqual(['kakaricho', 'bucho']);
  });

  it('ignores values of the wrong type (a string amount, a numeric category)', () => {
    expect(resolveRoute(definition(), { requestedAmount: '900000', kind: 7 })).toHaveLength(3);
  });
});

describe('authority over the current step', () => {
  const [first, consultation, last] = resolveRoute(definition(), {});

  it('a level step needs an approver of the owning department at that level or above', () => {
    expect(authorityFor(first, ['kankyo'], person('a', 'kakaricho'), [])).toEqual({ department: 'kankyo', onBehalfOf: null, delegationId: null });
    expect(authorityFor(last, ['kankyo'], person('b', 'bucho'), [])).not.toBeNull();
    expect(authorityFor(last, ['kankyo'], person('c', 'kakaricho'), [])).toBeNull();
    expect(authorityFor(first, ['kankyo'], person('d', 'bucho', ['shimin']), [])).toBeNull();
    expect(authorityFor(first, ['kankyo'], person('e', 'bucho', ['kankyo'], ['reviewer']), [])).toBeNull();
  });

  it('a consultation step takes an approver of a department still to agree', () => {
    expect(authorityFor(consultation, ['zaisei', 'kikaku'], person('z', 'kakaricho', ['zaisei']), [])?.department).toBe('zaisei');
    expect(authorityFor(consultation, ['kikaku'], person('z', 'kakaricho', ['zaisei']), [])).toBeNull();
    expect(authorityFor(consultation, ['zaisei', 'kikaku'], person('k', 'kacho', ['kankyo']), [])).toBeNull();
  });

  it('代決: a delegate decides for an absent approver whose level suffices, only when their own does not', () => {
    const kacho = person('kacho-1', 'kacho');
    const delegation: ActiveDelegation = { id: 'dg-1', delegator: kacho };
    const deputy = person('deputy', 'kakaricho');
    expect(authorityFor(last, ['kankyo'], deputy, [delegation])).toEqual({ department: 'kankyo', onBehalfOf: 'kacho-1', delegationId: 'dg-1' });
    expect(authorityFor(first, ['kankyo'], deputy, [delegation])).toEqual({ department: 'kankyo', onBehalfOf: null, delegationId: null });
    const lowDelegator: ActiveDelegation = { id: 'dg-2', delegator: person('k2', 'kakaricho') };
    expect(authorityFor(last, ['kankyo'], deputy, [lowDelegator])).toBeNull();
  });

  it('separation of duties covers the person and the one they stand in for', () => {
    const excluded = new Set(['reviewer-1']);
    expect(conflictOfDuties({ department: 'kankyo', onBehalfOf: null, delegationId: null }, 'reviewer-1', excluded)).toBe(true);
    expect(conflictOfDuties({ department: 'kankyo', onBehalfOf: 'reviewer-1', delegationId: 'd' }, 'deputy', excluded)).toBe(true);
    expect(conflictOfDuties({ department: 'kankyo', onBehalfOf: 'kacho-1', delegationId: 'd' }, 'deputy', excluded)).toBe(false);
  });
});

describe('progress along the route', () => {
  const route = resolveRoute(definition(), {});
  const start: RouteProgress = { round: 1, stepIndex: 0, approvals: [] };
  const by = (step: number, department: string, approverId: string) => ({ step, department, approverId, onBehalfOf: null });

  it('a level step completes with one approval; 合議 waits for every department in any order', () => {
    const afterFirst = approve(route, start, by(0, 'kankyo', 'a'));
    expect(afterFirst).toMatchObject({ routeComplete: false, progress: { stepIndex: 1 } });
    const oneAgreed = approve(route, afterFirst.progress, by(1, 'kikaku', 'k'));
    expect(oneAgreed.progress.stepIndex).toBe(1);
    expect(waitingDepartments(route[1], oneAgreed.progress.approvals)).toEqual(['zaisei']);
    const bothAgreed = approve(route, oneAgreed.progress, by(1, 'zaisei', 'z'));
    expect(bothAgreed.progress.stepIndex).toBe(2);
    const done = approve(route, bothAgreed.progress, by(2, 'kankyo', 'c'));
    expect(done).toMatchObject({ routeComplete: true, progress: { stepIndex: 3 } });
  });

  it('a return to the previous step undoes that step and the partial current one', () => {
    const afterFirst = approve(route, start, by(0, 'kankyo', 'a')).progress;
    const partial = approve(route, afterFirst, by(1, 'kikaku', 'k')).progress;
    const back = returnToPrevious(partial);
    expect(back).toEqual({ round: 1, stepIndex: 0, approvals: [] });
    expect(() => returnToPrevious(start)).toThrow('no previous step');
  });
});
