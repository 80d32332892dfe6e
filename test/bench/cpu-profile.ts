/**
 * Where a bench's node CPU goes, by kind: the V8 sampling profiler over one
 * phase (node:inspector, in process), self time summed by the code it was
 * spent in. Printed beside a missed target, so the figure comes with what
 * would move it.
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const KINDS: Array<[string, (frame: ProfileNode['callFrame']) => boolean]> = [
  ['idle', (f) => f.functionName === '(idle)'],
  ['socket writes and reads (one per round trip)', (f) => ['writev', 'writeBuffer', 'utf8Slice'].includes(f.functionName) || /node:(net|internal\/stream|internal\/streams)/.test(f.url)],
  ['pg driver and protocol', (f) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(f.url)],
  ['typeorm', (f) => f.url.includes('node_modules/typeorm/')],
  ['xstate (restore, step, persist)', (f) => f.url.includes('node_modules/xstate/')],
  ['garbage collector', (f) => f.functionName === '(garbage collector)'],
  ['madoguchi code (engine, hooks, workflow)', (f) => /\/(libs|apps)\//.test(f.url)],
  ['bpmn-engine', (f) => /node_modules\/(bpmn-engine|bpmn-elements|bpmn-moddle|moddle)/.test(f.url)],
  ['HTTP server (express, nest, helmet, body parsing)', (f) => /node_modules\/(express|@nestjs|router|body-parser|helmet|raw-body|qs|finalhandler|send|cookie|path-to-regexp)\//.test(f.url) || /node:_http_/.test(f.url)],
  ['HTTP client (undici fetch)', (f) => /node:internal\/deps\/undici|node_modules\/undici/.test(f.url)],
  ['validation and JSON (ajv, class-validator)', (f) => /node_modules\/(ajv|class-validator|class-transformer)\//.test(f.url) || ['parse', 'stringify'].includes(f.functionName) && f.url === ''],
];

export async function profiled<T>(work: () => Promise<T>): Promise<{ result: T; breakdown: Array<{ kind: string; share: number }> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  let result: T;
  let profile: Profile;
  try {
    result = await work();
  } finally {
    profile = ((await session.post('Profiler.stop')) as unknown as { profile: Profile }).profile;
    session.disconnect();
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  const others = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id);
    if (!frame) return;
    const kind = KINDS.find(([, matches]) => matches(frame))?.[0] ?? 'other (node internals, microtasks)';
    if (kind === 'idle') return;
    const delta = profile.timeDeltas[index] ?? 0;
    busy += delta;
    totals.set(kind, (totals.get(kind) ?? 0) + delta);
    if (kind.startsWith('other')) {
      const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '')}`;
      others.set(name, (others.get(name) ?? 0) + delta);
    }
  });
  const breakdown = [...totals].map(([kind, time]) => ({ kind, share: busy ? time / busy : 0 })).sort((a, b) => b.share - a.share);
  // The largest parts of "other", named, so it does not hide what matters.
  const otherTop = [...others].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([kind, time]) => ({ kind: `    ${kind}`, share: busy ? time / busy : 0 }));
  return { result, breakdown: breakdown.flatMap((entry) => (entry.kind.startsWith('other') ? [entry, ...otherTop] : [entry])) };
}
