import type { Dissection } from '../src/dissect.js';
import { bytesHex, type FieldNode, type Layer } from '../src/fields.js';

/**
 * A second, independent reading of the JSON rules, from the field tree: what a frame's NDJSON
 * object must hold, built from the nodes the tree builder made. The NDJSON writer gets the
 * same fields straight from the decoders; tests compare the two, so the writer cannot drift
 * from the tree that `-V` shows.
 */
export function layersFromTree(d: Dissection): Record<string, unknown> {
  const byProtocol = new Map<string, Record<string, unknown>[]>();
  for (const layer of d.layers) {
    const list = byProtocol.get(layer.protocol) ?? [];
    list.push(membersOf(layer));
    byProtocol.set(layer.protocol, list);
  }
  // A protocol that occurs several times is one array of its layers, outermost first.
  return Object.fromEntries(
    [...byProtocol].map(([protocol, list]) => [protocol, list.length === 1 ? list[0] : list]),
  );
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
      if (f.groupObject) object[f.groupKey ?? f.abbrev] = inner;
      else ((object[f.groupKey ?? f.abbrev] ??= []) as unknown[]).push(inner);
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
    case 'int':
    case 'bool':
      return n.value;
    default:
      return String(n.value);
  }
}
