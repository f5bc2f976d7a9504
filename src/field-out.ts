import {
  node,
  type FieldDef,
  type FieldNode,
  type FieldValue,
  type Layer,
  type ProblemTarget,
} from './fields.js';

/**
 * Where decoders put the fields they read. Two writers take them: the node builder makes the
 * FieldNode tree (`-V`, the library API), and the NDJSON writer turns each field straight into
 * output bytes, so `--json` builds no tree at all. Decoders call both the same way, in byte
 * order: a field is still described once (its FieldDef) and decoded once.
 */
export interface FieldOut {
  /**
   * Whether shown texts are wanted (the tree): decoders skip building the texts of headings
   * and checksum lines for a writer that has no use for them.
   */
  readonly texts: boolean;
  /** A protocol layer starts: the fields that follow belong to it. */
  layer(layer: Layer): void;
  /** A field. */
  add: PutField;
  /** A field with sub-fields (a group record, a heading, a value and its bits) until close(). */
  open: PutField;
  close(): void;
}

/**
 * How a field is handed over: `raw` is the unit a masked field is cut from (or the code behind
 * a decoded value), `text` a shown value worked out by the decoder. Returns where a problem
 * found later can be shown next to the field (its node in a tree), or undefined when the
 * writer does not show problems by field.
 */
export type PutField = (
  def: FieldDef,
  value: FieldValue,
  offset: number,
  length: number,
  raw?: number,
  text?: string,
) => ProblemTarget | undefined;

/** Builds the FieldNode tree of each layer. */
export class NodeOut implements FieldOut {
  readonly texts = true;
  private nodes: FieldNode[] = [];
  private readonly parents: FieldNode[][] = [];

  layer(layer: Layer): void {
    layer.nodes = [];
    this.nodes = layer.nodes;
    this.parents.length = 0;
  }

  // node() takes a field as PutField hands it over. (The CLI's writers take the parameters one
  // by one instead: a rest array per field would be garbage on their hot path.)
  add(...field: Parameters<PutField>): FieldNode {
    const n = node(...field);
    this.nodes.push(n);
    return n;
  }

  open(...field: Parameters<PutField>): FieldNode {
    const n = this.add(...field);
    n.children = [];
    this.parents.push(this.nodes);
    this.nodes = n.children;
    return n;
  }

  close(): void {
    const parent = this.parents.pop();
    if (parent) this.nodes = parent;
  }
}

/**
 * The node list of a layer no tree builder fills: one frozen array for all of them, so that
 * the writers that keep no tree allocate none.
 */
const NO_NODES = Object.freeze([]) as unknown as FieldNode[];

/** Adds a layer to a frame's list and tells the field writer (if any) that it starts. */
export function startLayer(
  out: FieldOut | undefined,
  layers: Layer[],
  protocol: string,
  offset: number,
  length: number,
): Layer {
  const layer: Layer = {
    protocol,
    offset,
    length,
    nodes: NO_NODES,
    problems: undefined,
    step: undefined,
  };
  layers.push(layer);
  out?.layer(layer);
  return layer;
}
