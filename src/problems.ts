import type { Problem, ProblemTarget, Severity } from './fields.js';
import type { FieldOut } from './field-out.js';

/**
 * Every problem a decoder can report, described once: its stable id, default severity and what
 * it means. The decoders raise them by id; `validate` (and its `rules` listing) reads this table.
 */
export interface ProblemDef {
  readonly id: string;
  readonly severity: Severity;
  readonly layer: string;
  readonly description: string;
  readonly reference?: string;
}

const defs: ProblemDef[] = [
  {
    id: 'frame.snaplen_exceeded',
    severity: 'warning',
    layer: 'frame',
    description: 'captured length is above the interface snaplen (libpcap tolerates it)',
  },
  {
    id: 'frame.too_many_layers',
    severity: 'warning',
    layer: 'frame',
    description:
      'more layers than any real encapsulation stacks (a looping or hostile frame): the rest is not decoded',
  },
  {
    id: 'link.unsupported',
    severity: 'note',
    layer: 'frame',
    description: 'link-layer type not decoded by igmpscope',
  },
];

const problemDefs = new Map<string, ProblemDef>(defs.map((d) => [d.id, d]));

/** Every problem a decoder can report: these, and those the registered protocols declare. */
export const PROBLEM_DEFS: ReadonlyMap<string, ProblemDef> = problemDefs;

/** Adds a protocol's problems (the registry calls it as it registers the protocol). */
export function defineProblems(more: readonly ProblemDef[]): void {
  for (const def of more) {
    if (problemDefs.has(def.id)) throw new Error(`problem ${def.id} defined twice`);
    problemDefs.set(def.id, def);
  }
}

/** Where decoders put their problems while dissecting one frame. */
export interface ProblemSink {
  readonly problems: Problem[];
  /**
   * Where the fields go: a tree builder (`-V`, the library) or the NDJSON writer. Without one
   * (summary lines, analyses) decoders compute only typed results and problems: the hot path
   * allocates what it uses.
   */
  readonly out: FieldOut | undefined;
}

/**
 * Records a problem with the registry's default severity, on the frame and, when given, on the
 * node (or layer) it belongs to, so the tree shows it where it occurs.
 */
export function report(
  sink: ProblemSink,
  id: string,
  offset: number,
  message: string,
  at?: ProblemTarget,
): Problem {
  const def = PROBLEM_DEFS.get(id);
  if (!def) throw new Error(`unregistered problem id ${id}`);
  const problem: Problem = { id, severity: def.severity, layer: def.layer, offset, message };
  sink.problems.push(problem);
  if (at) attach(at, problem);
  return problem;
}

/** Shows a problem at a node (or layer) of the tree, where it occurs. */
export function attach(at: ProblemTarget, problem: Problem): void {
  (at.problems ??= []).push(problem);
}
