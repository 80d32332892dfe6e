import type { LocalizedMessage } from '@madoguchi/kernel';

/**
 * The estimated wait and the crowding shown to residents, pure. The basis is
 * the median service time of the service's recent finished tickets (the
 * median, so one long case does not inflate every estimate), the people
 * ahead and the counters open for the service:
 *
 *   estimate = median service time × people ahead ÷ counters open
 *
 * It ignores that a counter may serve several services at once, so it is an
 * estimate, rounded up to whole minutes.
 */

/** Finished tickets whose service time the estimate looks at. */
export const RECENT_SERVICE_SAMPLE = 20;
/** Older finished tickets say little about today. */
export const RECENT_SERVICE_WINDOW_DAYS = 30;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Minutes until a resident with `peopleAhead` before them is called; null when nothing to go on. */
export function estimateWaitMinutes(medianServiceSeconds: number | null, peopleAhead: number, countersOpen: number): number | null {
  if (peopleAhead <= 0) return 0;
  if (medianServiceSeconds === null || countersOpen <= 0) return null;
  return Math.ceil((medianServiceSeconds * peopleAhead) / countersOpen / 60);
}

export const CROWDING_LEVELS = ['closed', 'low', 'moderate', 'high'] as const;
export type CrowdingLevel = (typeof CROWDING_LEVELS)[number];

export const CROWDING_LABELS: Record<CrowdingLevel, LocalizedMessage> = {
  closed: { ja: '受付窓口が開いていません', en: 'No counter is open' },
  low: { ja: '空いています', en: 'Not crowded' },
  moderate: { ja: 'やや混んでいます', en: 'Somewhat crowded' },
  high: { ja: '混んでいます', en: 'Crowded' },
};

/** Minutes of estimated wait from which a service counts as somewhat crowded, and crowded. */
export const CROWDING_MINUTES = { moderate: 15, high: 30 } as const;
/** Without an estimate: people waiting per open counter from which it counts as somewhat crowded, and crowded. */
export const CROWDING_PEOPLE_PER_COUNTER = { moderate: 3, high: 7 } as const;

/**
 * How crowded a service is right now. Every case falls in exactly one level:
 * no open counter is `closed`; otherwise the estimate decides when there is
 * one, else the people waiting per open counter.
 */
export function crowdingLevel(waiting: number, countersOpen: number, estimatedWaitMinutes: number | null): CrowdingLevel {
  if (countersOpen <= 0) return 'closed';
  if (estimatedWaitMinutes !== null) {
    if (estimatedWaitMinutes >= CROWDING_MINUTES.high) return 'high';
    return estimatedWaitMinutes >= CROWDING_MINUTES.moderate ? 'moderate' : 'low';
  }
  const perCounter = waiting / countersOpen;
  if (perCounter >= CROWDING_PEOPLE_PER_COUNTER.high) return 'high';
  return perCounter >= CROWDING_PEOPLE_PER_COUNTER.moderate ? 'moderate' : 'low';
}

/** The busiest of several services (the whole floor): closed only when every one is. */
export function overallCrowding(levels: readonly CrowdingLevel[]): CrowdingLevel {
  const open = levels.filter((level) => level !== 'closed');
  if (open.length === 0) return 'closed';
  return open.reduce((worst, level) => (CROWDING_LEVELS.indexOf(level) > CROWDING_LEVELS.indexOf(worst) ? level : worst), 'low');
}
