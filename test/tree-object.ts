import type { Dissection } from '../src/dissect.js';
import { bytesHex, type FieldNode, type Layer } from '../src/fields.js';

/**
 * A second, independent reading of the JSON rules, from the field tree: what a frame's NDJSON
 * object must hold, built from the nodes the tree builder made. The NDJSON writer gets the
 * same fields straight from the decoders; tests compare the two, so the writer cannot drift
 * from the tree that `-V` shows.
 */
export function layersFromTree(d: Dissection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of d.layers) {
    const members = membersOf(layer);
    if (layer.protocol === 'vlan') ((out.vlan ??= []) as unknown[]).push(members);
    else out[layer.protocol] = members;
  }
  return out;
}

function membersOf(layer: Layer): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  collect(layer.nodes, object);
  return object;
}

function collect(nodes: readonly FieldNode[], object: Record<string, unknown>): void {
  for (const n of nodes) {
    const f = n.field;
    if (f.kind === 'group') {
      const inner: Record<string, unknown> = {};
      collect(n.children ?? [], inner);
      ((object[f.groupKey ?? f.abbrev] ??= []) as unknown[]).push(inner);
      continue;
    }
    if (f.kind !== 'label' && !f.treeOnly) {
      const value = valueOf(n);
      if (f.repeats) ((object[f.abbrev] ??= []) as unknown[]).push(value);
      else object[f.abbrev] = value;
    }
    if (n.children) collect(n.children, object);
  }
}

function valueOf(n: FieldNode): unknown {
  switch (n.field.kind) {
    case 'bytes':
      return bytesHex(n.value as Buffer, ':');
    case 'uint':
    case 'bool':
      return n.value;
    default:
      return String(n.value);
  }
}
