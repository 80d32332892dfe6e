import { TICKET_STATUSES } from './counter.types';
import { allowedActions, finalStatus, stepsFor, TICKET_ACTIONS } from './ticket-state';

describe('ticket state machine', () => {
  it('allows each action only from the statuses the issue names', () => {
    const table = Object.fromEntries(TICKET_STATUSES.map((status) => [status, allowedActions(status)]));
    expect(table).toEqual({
      waiting: ['call', 'cancel'],
      called: ['recall', 'noShow', 'start', 'transfer'],
      serving: ['finish', 'transfer'],
      done: [],
      noShow: [],
      cancelled: [],
    });
  });

  it('refuses every other pair', () => {
    for (const status of TICKET_STATUSES) {
      for (const action of TICKET_ACTIONS) {
        expect(stepsFor(status, action) !== null).toBe(allowedActions(status).includes(action));
      }
    }
  });

  it('writes one event per step; a transfer passes through transferred and ends waiting', () => {
    expect(stepsFor('called', 'start')).toEqual([{ type: 'started', from: 'called', to: 'serving' }]);
    const transfer = stepsFor('serving', 'transfer')!;
    expect(transfer).toEqual([
      { type: 'transferred', from: 'serving', to: 'transferred' },
      { type: 'requeued', from: 'transferred', to: 'waiting' },
    ]);
    expect(finalStatus(transfer)).toBe('waiting');
    expect(finalStatus(stepsFor('called', 'recall')!)).toBe('called');
    expect(finalStatus(stepsFor('called', 'noShow')!)).toBe('noShow');
    expect(finalStatus(stepsFor('serving', 'finish')!)).toBe('done');
  });
});
