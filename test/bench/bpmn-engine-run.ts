/**
 * The comparison the engine is held to: bpmn-engine (a well-kept BPMN 2.0
 * engine for Node.js) running the same five-step workflow as the bench's
 * certificate (submit, payment, accept, issue, notify: five user tasks in a
 * row), with its state persisted to the same PostgreSQL after every step, as
 * a durable workflow must: lock the row, recover the engine from its stored
 * state, resume, signal the waiting task, wait for the next wait (or the
 * end), store the new state with a revision check, commit.
 */
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { benchPool } from './bench-pool';


const STEPS = ['submit', 'pay', 'accept', 'issue', 'notify'] as const;

const SOURCE = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="bench" targetNamespace="http://madoguchi.example/bench">
  <process id="certificate" isExecutable="true">
    <startEvent id="start" />
${STEPS.map((step) => `    <userTask id="${step}" />`).join('\n')}
    <endEvent id="end" />
${['start', ...STEPS].map((from, index) => `    <sequenceFlow id="flow${index}" sourceRef="${from}" targetRef="${[...STEPS, 'end'][index]}" />`).join('\n')}
  </process>
</definitions>`;

export interface BpmnRun {
  transitions: number;
  perSecond: number;
  cpuMsPerTransition: number;
}

export async function bpmnRun(url: string, instances: number, concurrency: number, inParallel: <T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) => Promise<void>): Promise<BpmnRun> {
  const pool = benchPool(url, concurrency);
  try {
    await pool.query(`
      DROP TABLE IF EXISTS bpmn_instances;
      CREATE TABLE bpmn_instances (id int PRIMARY KEY, state jsonb NOT NULL, revision int NOT NULL);
    `);
    const ids = Array.from({ length: instances }, (_, index) => index + 1);
    // Started (to the first wait) before the clock runs, as the engine's drafts are.
    await inParallel(ids, concurrency, async (id) => {
      await pool.query('INSERT INTO bpmn_instances VALUES ($1, $2, 1)', [id, await startInstance()]);
    });
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    await inParallel(ids, concurrency, async (id) => {
      for (let step = 0; step < STEPS.length; step += 1) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query<{ state: unknown; revision: number }>('SELECT state, revision FROM bpmn_instances WHERE id = $1 FOR UPDATE', [id]);
          const next = await signalWaitingTask(rows[0].state, STEPS[step]);
          await client.query('UPDATE bpmn_instances SET state = $2, revision = revision + 1 WHERE id = $1 AND revision = $3', [id, next, rows[0].revision]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM bpmn_instances WHERE state->>'state' = 'idle'`);
    if (rows[0].n !== instances) throw new Error(`bpmn-engine: only ${rows[0].n} of ${instances} instances ended`);
    const transitions = instances * STEPS.length;
    return { transitions, perSecond: transitions / seconds, cpuMsPerTransition: (used.user + used.system) / 1000 / transitions };
  } finally {
    await pool.end();
  }
}

async function startInstance(): Promise<unknown> {
  const engine = new Engine({ name: 'certificate', source: SOURCE });
  const listener = new EventEmitter();
  const waiting = new Promise((resolve) => listener.once('wait', resolve));
  await engine.execute({ listener });
  await waiting;
  return engine.getState();
}

async function signalWaitingTask(state: unknown, expected: string): Promise<unknown> {
  const listener = new EventEmitter();
  const engine = new Engine().recover(state as never);
  const execution = await engine.resume({ listener });
  const [task] = execution.getPostponed();
  if (task?.id !== expected) throw new Error(`bpmn-engine: waiting at ${task?.id ?? 'nothing'}, expected ${expected}`);
  const settled = new Promise((resolve) => {
    listener.once('wait', resolve);
    engine.once('end', resolve);
  });
  task.signal();
  await settled;
  return engine.getState();
}
