import { STATE_LABELS } from '@madoguchi/workflow';
import { CATALOGS, LANGUAGES } from '@madoguchi/ui';
import { APPLICATION_STATES, nextStepOf, stateKey } from './application-pages.model';

describe('application pages: words for every state', () => {
  it('every state of the procedure machines has a status word in ja, やさしい日本語 and en', () => {
    expect([...APPLICATION_STATES].sort()).toEqual(Object.keys(STATE_LABELS).sort());
    for (const state of Object.keys(STATE_LABELS)) {
      const key = stateKey(state);
      expect({ state, key }).toEqual({ state, key: `applications.state.${state}` });
      for (const lang of LANGUAGES) expect({ state, lang, word: CATALOGS[lang][key!].length > 0 }).toEqual({ state, lang, word: true });
    }
  });

  it('the next step links a draft back to its form, a payment to /pay and a return to /correct', () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect(nextStepOf({ id, state: 'draft', procedureCode: 'juminhyo' })).toEqual({ kind: 'draft', href: `/apply/juminhyo?application=${id}` });
    expect(nextStepOf({ id, state: 'awaitingPayment', procedureCode: 'juminhyo' })).toEqual({ kind: 'awaitingPayment', href: `/applications/${id}/pay` });
    expect(nextStepOf({ id, state: 'returned', procedureCode: 'juminhyo' })).toEqual({ kind: 'returned', href: `/applications/${id}/correct` });
    expect(nextStepOf({ id, state: 'underReview', procedureCode: 'juminhyo' })).toEqual({ kind: 'wait' });
    expect(nextStepOf({ id, state: 'withdrawn', procedureCode: 'juminhyo' })).toEqual({ kind: 'none' });
  });
});
