import type { ValidateFunction } from 'ajv';
import { createActor, type AnyStateMachine, type AnyMachineSnapshot } from 'xstate';
import { createFormAjv, sensitiveFieldPaths } from '../definition/form-schema-compiler';
import { formErrorMessage } from '../definition/form-messages';
import type { LocalizedText } from '../definition/procedure-definition';
import type { ProcedureDefinition } from '../definition/procedure-definition';
import { WorkflowError } from '../workflow.errors';
import { compileProcedureMachine, STATE_LABELS, WORKFLOW_EVENTS } from './procedure-machine';
import type { PersistedSnapshot, StateMeta, WorkflowContext, WorkflowEvent } from './workflow-types';

export interface FormProblem {
  /** Dotted path of the field, e.g. `children.0.birthDate`. */
  field: string;
  keyword: string;
  message: LocalizedText;
}

export interface StepResult {
  snapshot: PersistedSnapshot;
  from: string;
  to: string;
  /** True when the state changed (entry effects and timers apply). */
  entered: boolean;
  meta: StateMeta;
  context: WorkflowContext;
}

/** Raised when a stored snapshot cannot be used: a server-side defect, 500. */
export class SnapshotRestoreError extends Error {
  constructor(machineId: string, reason: string) {
    super(`Cannot restore a snapshot of ${machineId}: ${reason}`);
    this.name = 'SnapshotRestoreError';
  }
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(WORKFLOW_EVENTS);

/**
 * One compiled definition version. Pure: it turns a stored snapshot and an
 * event into the next snapshot and says what the new state asks for; it
 * writes nothing and reads no clock.
 */
export class CompiledProcedure {
  readonly machine: AnyStateMachine;
  private formValidator?: ValidateFunction;
  private sensitive?: string[];

  constructor(readonly definition: ProcedureDefinition) {
    this.machine = compileProcedureMachine(definition);
  }

  /** Form fields kept encrypted and shown masked (individual number, `x-sensitive` fields). */
  get sensitivePaths(): string[] {
    this.sensitive ??= sensitiveFieldPaths(this.definition.form.schema);
    return this.sensitive;
  }

  get stateNames(): string[] {
    return Object.keys(this.machine.root.states);
  }

  /** Checks form answers against the version's JSON Schema. */
  validateForm(data: unknown): FormProblem[] {
    this.formValidator ??= createFormAjv().compile(this.definition.form.schema);
    if (this.formValidator(data)) return [];
    return (this.formValidator.errors ?? []).map((error) => {
      const segments = error.instancePath.split('/').filter(Boolean);
      const missing = (error.params as { missingProperty?: string }).missingProperty;
      const extra = (error.params as { additionalProperty?: string }).additionalProperty;
      if (missing) segments.push(missing);
      if (extra) segments.push(extra);
      return {
        field: segments.join('.') || '(form)',
        keyword: error.keyword,
        message: formErrorMessage(error, this.fieldTitle(segments)),
      };
    });
  }

  /** The `title` the schema gives a field path (array indexes skipped). */
  private fieldTitle(segments: string[]): string | undefined {
    let node: Record<string, unknown> | undefined = this.definition.form.schema;
    for (const segment of segments) {
      if (!node) return undefined;
      if (/^\d+$/.test(segment)) {
        node = node.items as Record<string, unknown> | undefined;
        continue;
      }
      node = (node.properties as Record<string, Record<string, unknown>> | undefined)?.[segment];
    }
    return typeof node?.title === 'string' ? node.title : undefined;
  }

  initialSnapshot(): PersistedSnapshot {
    const actor = createActor(this.machine);
    actor.start();
    const persisted = actor.getPersistedSnapshot() as unknown as PersistedSnapshot;
    actor.stop();
    return persisted;
  }

  stateOf(snapshot: PersistedSnapshot): string {
    return String(snapshot.value);
  }

  metaOf(state: string): StateMeta {
    const node = this.machine.root.states[state];
    if (!node) throw new SnapshotRestoreError(this.machine.id, `unknown state "${state}"`);
    return node.meta as StateMeta;
  }

  /** Event types the state accepts (guards may still refuse a given payload). */
  allowedEvents(snapshot: PersistedSnapshot): string[] {
    const restored = this.restore(snapshot);
    return this.eventsOf(restored);
  }

  step(persisted: PersistedSnapshot, event: WorkflowEvent): StepResult {
    if (!KNOWN_EVENTS.has(event.type)) throw WorkflowError.unknownEvent(event.type);
    const actor = this.startActor(persisted);
    try {
      const before = actor.getSnapshot();
      this.assertUsable(before);
      const from = String(before.value);
      const accepted = this.eventsOf(before);
      if (!accepted.includes(event.type)) throw WorkflowError.notAllowed(event.type, from, accepted);
      if (!before.can(event)) throw WorkflowError.conditionsNotMet(event.type, from);
      actor.send(event);
      const after = actor.getSnapshot();
      this.assertUsable(after);
      const to = String(after.value);
      return {
        snapshot: actor.getPersistedSnapshot() as unknown as PersistedSnapshot,
        from,
        to,
        entered: from !== to,
        meta: this.metaOf(to),
        context: after.context as WorkflowContext,
      };
    } finally {
      actor.stop();
    }
  }

  /** Restores a stored snapshot, refusing one that XState cannot use. */
  restore(persisted: PersistedSnapshot): AnyMachineSnapshot {
    const actor = this.startActor(persisted);
    const snapshot = actor.getSnapshot();
    actor.stop();
    this.assertUsable(snapshot);
    return snapshot;
  }

  /**
   * An actor with no error listener reports an unusable snapshot (a state
   * that no longer exists, status "error") by throwing from a timer: an
   * uncaught exception that ends the process. The listener keeps the error in
   * the snapshot, where assertUsable turns it into a SnapshotRestoreError.
   */
  private startActor(persisted: PersistedSnapshot) {
    const actor = createActor(this.machine, { snapshot: reopened(this.machine, persisted) as never });
    actor.subscribe({ error: () => undefined });
    actor.start();
    return actor;
  }

  private assertUsable(snapshot: AnyMachineSnapshot): void {
    if (snapshot.status === 'error') {
      throw new SnapshotRestoreError(this.machine.id, String(snapshot.error ?? 'status error'));
    }
    const state = String(snapshot.value);
    if (!(state in STATE_LABELS) || !this.machine.root.states[state]) {
      throw new SnapshotRestoreError(this.machine.id, `unknown state "${state}"`);
    }
  }

  private eventsOf(snapshot: AnyMachineSnapshot): string[] {
    if (snapshot.status === 'done') return [];
    const events = new Set<string>();
    for (const node of snapshot._nodes) {
      for (const type of node.ownEvents) if (!type.startsWith('xstate.')) events.add(type);
    }
    return [...events].sort();
  }
}

/**
 * A snapshot stored `done` in a state that is no longer an XState final state
 * (compiler version 2 ended booking procedures in a final `completed`;
 * version 3 lets a cancelled booking move them on) restores as active, so it
 * accepts what the state now accepts. Anything else is returned unchanged.
 */
function reopened(machine: AnyStateMachine, persisted: PersistedSnapshot): PersistedSnapshot {
  const stored = persisted as PersistedSnapshot & { status?: string };
  if (stored.status !== 'done') return persisted;
  const node = machine.root.states[String(stored.value)];
  if (!node || node.type === 'final') return persisted;
  return { ...stored, status: 'active' } as PersistedSnapshot;
}
