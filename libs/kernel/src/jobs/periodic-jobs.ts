import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

export interface PeriodicJob {
  name: string;
  /** Pause between runs that found nothing to do. */
  idleMs: number;
  /** Returns how much work it did; a busy job runs again at once. */
  run(): Promise<number>;
}

/**
 * Background work that must survive restarts keeps its state in PostgreSQL;
 * this only decides when to look. Libraries register jobs; the worker (or the
 * API in development) starts them. Any number of processes may run them.
 */
@Injectable()
export class PeriodicJobs implements OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly jobs: PeriodicJob[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private wake: Array<() => void> = [];

  register(job: PeriodicJob): void {
    this.jobs.push(job);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = this.jobs.map((job) => this.loop(job));
    this.logger.log({ msg: 'background jobs started', jobs: this.jobs.map((job) => job.name) });
  }

  async stop(): Promise<void> {
    this.running = false;
    [...this.wake].forEach((resolve) => resolve());
    await Promise.all(this.loops);
    this.loops = [];
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async loop(job: PeriodicJob): Promise<void> {
    let failures = 0;
    while (this.running) {
      let pause = job.idleMs;
      try {
        const done = await job.run();
        failures = 0;
        if (done > 0) pause = 0;
      } catch (error) {
        failures += 1;
        pause = Math.min(job.idleMs * 2 ** failures, 60_000);
        this.logger.error({ msg: 'background job failed', job: job.name, err: (error as Error).name, stack: (error as Error).stack?.split('\n').slice(0, 4).join('\n') });
      }
      if (pause > 0 && this.running) {
        await new Promise<void>((resolve) => {
          // Each sleeper removes only its own wake-up: clearing the whole list
          // here would leave the other loops asleep through stop().
          const wake = () => {
            clearTimeout(timer);
            this.wake = this.wake.filter((other) => other !== wake);
            resolve();
          };
          const timer = setTimeout(wake, pause);
          this.wake.push(wake);
        });
      }
    }
  }
}
