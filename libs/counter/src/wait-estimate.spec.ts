import { CROWDING_LEVELS, crowdingLevel, estimateWaitMinutes, median, overallCrowding } from './wait-estimate';

describe('wait estimate', () => {
  it('takes the median, so one long case does not inflate it', () => {
    expect(median([])).toBeNull();
    expect(median([300])).toBe(300);
    expect(median([600, 240, 360])).toBe(360);
    expect(median([240, 360, 600, 3600])).toBe(480);
  });

  it('is median × people ahead ÷ counters open, rounded up to minutes', () => {
    expect(estimateWaitMinutes(360, 5, 2)).toBe(15);
    expect(estimateWaitMinutes(400, 1, 3)).toBe(3); // 2.2 minutes → 3
    expect(estimateWaitMinutes(360, 0, 0)).toBe(0); // nobody ahead: no wait, whatever else
    expect(estimateWaitMinutes(null, 4, 2)).toBeNull(); // nothing finished yet
    expect(estimateWaitMinutes(360, 4, 0)).toBeNull(); // nobody serving
  });

  it('puts every case in exactly one crowding level', () => {
    expect(crowdingLevel(10, 0, null)).toBe('closed');
    expect(crowdingLevel(0, 0, 0)).toBe('closed');
    expect(crowdingLevel(3, 1, 14)).toBe('low');
    expect(crowdingLevel(3, 1, 15)).toBe('moderate');
    expect(crowdingLevel(3, 1, 29)).toBe('moderate');
    expect(crowdingLevel(3, 1, 30)).toBe('high');
    // Without an estimate: people per open counter.
    expect(crowdingLevel(5, 2, null)).toBe('low');
    expect(crowdingLevel(6, 2, null)).toBe('moderate');
    expect(crowdingLevel(14, 2, null)).toBe('high');
    for (let waiting = 0; waiting < 30; waiting += 1) {
      for (const open of [0, 1, 2, 5]) {
        for (const estimate of [null, 0, 5, 15, 45]) {
          expect(CROWDING_LEVELS).toContain(crowdingLevel(waiting, open, estimate));
        }
      }
    }
  });

  it('reports the floor as its busiest open service', () => {
    expect(overallCrowding([])).toBe('closed');
    expect(overallCrowding(['closed', 'closed'])).toBe('closed');
    expect(overallCrowding(['closed', 'low'])).toBe('low');
    expect(overallCrowding(['low', 'high', 'moderate'])).toBe('high');
  });
});
