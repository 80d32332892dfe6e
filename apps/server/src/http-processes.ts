import { boot, onShutdownSignal } from '@madoguchi/kernel';
import cluster, { type Worker } from 'node:cluster';
import type { MixedList } from 'typeorm';

/**
 * WEB_CONCURRENCY=N: this process prepares the database once (starts the
 * embedded server when DATABASE_URL is unset, applies migrations), then
 * forks N HTTP processes that share the port (node:cluster hands out the
 * connections). The children connect to the prepared database as an
 * external one. They start one after another, because each synchronises the
 * catalog at start; only the first runs the background jobs inline (jobs are
 * coordinated through PostgreSQL, so this only saves work). A child that dies
 * is replaced; SIGTERM or SIGINT stops the children, then the database.
 */
export async function runHttpProcesses(
  processes: number,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>,
): Promise<void> {
  const { config, database, root } = await boot(migrations);
  const log = (fields: Record<string, unknown>, message: string) => root.info({ context: 'Cluster', ...fields }, message);
  const children = new Map<number, Worker>();
  let stopping = false;

  const start = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = cluster.fork({
        DATABASE_URL: database.url,
        MIGRATION_DATABASE_URL: database.migrationUrl,
        WORKER: index === 0 && config.inlineWorker ? 'inline' : 'off',
        MADOGUCHI_HTTP_PROCESS: String(index),
      });
      children.set(index, child);
      let listening = false;
      child.once('listening', () => {
        listening = true;
        resolve();
      });
      child.once('exit', (code, signal) => {
        if (children.get(index) === child) children.delete(index);
        if (stopping) return;
        if (!listening) return reject(new Error(`HTTP process ${index} exited (code ${code}, signal ${signal}) before it listened`));
        root.error({ context: 'Cluster', index, code, signal }, 'HTTP process exited; starting another');
        start(index).catch((error: unknown) => root.error({ context: 'Cluster', index, error: String(error) }, 'HTTP process could not be restarted'));
      });
    });

  const stopChildren = async (signal: NodeJS.Signals) => {
    stopping = true;
    const exits = [...children.values()].map((child) => new Promise<void>((resolve) => (child.isDead() ? resolve() : child.once('exit', () => resolve()))));
    for (const child of children.values()) child.process.kill(signal);
    await Promise.all(exits);
  };

  onShutdownSignal(async (signal) => {
    log({ signal }, 'shutting down');
    await stopChildren('SIGTERM');
    await database.stop();
    log({}, 'stopped');
  });

  try {
    for (let index = 0; index < processes; index += 1) await start(index);
  } catch (error) {
    await stopChildren('SIGKILL');
    await database.stop();
    throw error;
  }
  log({ processes, pids: [...children.values()].map((child) => child.process.pid) }, 'HTTP processes started');
}
