import { PeriodicJobs } from './periodic-jobs';

describe('PeriodicJobs', () => {
  it('stop() wakes every idle loop at once, not only the last one to fall asleep', async () => {
    const jobs = new PeriodicJobs();
    const runs: string[] = [];
    for (const [name, idleMs] of [['fast', 5], ['slow', 10 * 60_000], ['slower', 30 * 60_000]] as const) {
      jobs.register({ name, idleMs, run: async () => (runs.push(name), 0) });
    }
    jobs.start();
    // Let the fast loop sleep and wake several times while the slow ones sleep.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await jobs.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(runs.filter((name) => name === 'fast').length).toBeGreaterThan(2);
  });
});
