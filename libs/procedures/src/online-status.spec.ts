import type { ProcedureDefinition } from '@madoguchi/workflow';
import { onlineStatus, visitReasons } from './online-status';

function definition(overrides: Partial<ProcedureDefinition> = {}): ProcedureDefinition {
  return {
    code: 'test-procedure',
    version: 1,
    name: { ja: 'テスト手続', en: 'Test procedure' },
    category: 'certificate',
    department: 'shimin',
    nationalCategory: null,
    targeted: true,
    channels: { online: { openedOn: '2024-04-01' }, counter: { openedOn: '2000-04-01' } },
    identity: 'myNumberCardSignature',
    form: { schema: { type: 'object' } },
    fee: { rule: 'none' },
    approvalRoute: [],
    document: { kind: 'certificate', name: { ja: '証明書', en: 'Certificate' }, delivery: 'online' },
    steps: ['form', 'identity', 'review', 'issue'],
    ...overrides,
  };
}

const counterDocument = { kind: 'certificate', name: { ja: '証明書', en: 'Certificate' }, delivery: 'counter' } as const;

describe('visitReasons', () => {
  it('finds none when identity and delivery are online', () => {
    expect(visitReasons(definition())).toEqual([]);
    expect(visitReasons(definition({ identity: 'none', document: null }))).toEqual([]);
    expect(visitReasons(definition({ document: { ...counterDocument, delivery: 'mail' } }))).toEqual([]);
  });

  it('an in-person identity check makes the resident come in', () => {
    expect(visitReasons(definition({ identity: 'inPerson' }))).toEqual(['identityInPerson']);
  });

  it('a document collected at the counter makes the resident come in', () => {
    expect(visitReasons(definition({ document: counterDocument }))).toEqual(['documentCollectedAtCounter']);
  });

  it('lists both reasons', () => {
    expect(visitReasons(definition({ identity: 'inPerson', document: counterDocument }))).toEqual(['identityInPerson', 'documentCollectedAtCounter']);
  });
});

describe('onlineStatus', () => {
  it('is online from the day the online channel opened', () => {
    expect(onlineStatus(definition(), '2024-04-01')).toEqual({ online: true, onlineSince: '2024-04-01', reasons: [] });
    expect(onlineStatus(definition(), '2026-11-22')).toEqual({ online: true, onlineSince: '2024-04-01', reasons: [] });
  });

  it('is not online before the channel opens, and says when it will', () => {
    expect(onlineStatus(definition(), '2024-03-31')).toEqual({ online: false, onlineSince: '2024-04-01', reasons: ['onlineNotYetOpen'] });
  });

  it('is not online while the opening date is unset', () => {
    const planned = definition({ channels: { online: { openedOn: null } } });
    expect(onlineStatus(planned, '2026-11-22')).toEqual({ online: false, onlineSince: null, reasons: ['onlineNotYetOpen'] });
  });

  it('is not online without an online channel, whatever else is open', () => {
    const counterOnly = definition({ channels: { counter: { openedOn: '2000-04-01' }, mail: { openedOn: '2000-04-01' } } });
    expect(onlineStatus(counterOnly, '2026-11-22')).toEqual({ online: false, onlineSince: null, reasons: ['noOnlineChannel'] });
  });

  it('is never online when identity is checked in person', () => {
    expect(onlineStatus(definition({ identity: 'inPerson' }), '2026-11-22')).toEqual({
      online: false,
      onlineSince: '2024-04-01',
      reasons: ['identityInPerson'],
    });
  });

  it('is never online when the document is collected at the counter', () => {
    expect(onlineStatus(definition({ document: counterDocument }), '2026-11-22').online).toBe(false);
  });

  it('lists every reason at once', () => {
    const status = onlineStatus(definition({ identity: 'inPerson', document: counterDocument, channels: { online: { openedOn: '2030-04-01' } } }), '2026-11-22');
    expect(status.reasons).toEqual(['onlineNotYetOpen', 'identityInPerson', 'documentCollectedAtCounter']);
  });
});
