import { epochString } from '../capture/frame.js';
import type { Dissection } from '../dissect.js';
import { bytesHex, type FieldNode, type Layer, type Problem } from '../fields.js';
import type { RelativeClock } from './time.js';

/** Protocols that can occur several times in a frame: an array of layer objects, outermost first. */
const REPEATED_LAYERS: ReadonlySet<string> = new Set(['vlan']);

function jsonValue(n: FieldNode): string {
  const v = n.value;
  switch (n.field.kind) {
    case 'uint':
      return String(v);
    case 'bool':
      return v ? 'true' : 'false';
    case 'bytes':
      return '"' + bytesHex(v as Buffer, ':') + '"';
    case 'ipv4':
    case 'mac':
      // Built from digits and hex only: nothing to escape.
      return '"' + (v as string) + '"';
    default:
      return JSON.stringify(String(v));
  }
}

/**
 * Collects one JSON object's members: a field that repeats becomes an array, a group becomes an
 * object appended to its array key, a subtree's children are flattened into the same object.
 */
class ObjectBuilder {
  private readonly keys: string[] = [];
  private readonly values = new Map<string, string[] | string>();

  addNodes(nodes: readonly FieldNode[]): this {
    for (const n of nodes) this.addNode(n);
    return this;
  }

  private addNode(n: FieldNode): void {
    const f = n.field;
    if (f.kind === 'group') {
      this.push(f.groupKey ?? f.abbrev, new ObjectBuilder().addNodes(n.children ?? []).toString(), true);
      return;
    }
    if (f.kind !== 'label' && !f.treeOnly) this.push(f.abbrev, jsonValue(n), f.repeats === true);
    if (n.children) this.addNodes(n.children);
  }

  private push(key: string, value: string, asArray: boolean): void {
    const existing = this.values.get(key);
    if (existing === undefined) {
      this.keys.push(key);
      this.values.set(key, asArray ? [value] : value);
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      // A second occurrence of a field declared single: keep both rather than lose data.
      this.values.set(key, [existing, value]);
    }
  }

  toString(): string {
    let out = '{';
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i];
      const v = this.values.get(key) as string[] | string;
      if (i > 0) out += ',';
      out += '"' + key + '":' + (Array.isArray(v) ? '[' + v.join(',') + ']' : v);
    }
    return out + '}';
  }
}

function problemJson(p: Problem): string {
  return `{"id":"${p.id}","severity":"${p.severity}","layer":"${p.layer}","offset":${p.offset},"message":${JSON.stringify(p.message)}}`;
}

function layersJson(layers: readonly Layer[]): string {
  let out = '';
  let i = 0;
  while (i < layers.length) {
    const protocol = layers[i].protocol;
    if (REPEATED_LAYERS.has(protocol)) {
      const items: string[] = [];
      while (i < layers.length && layers[i].protocol === protocol) {
        items.push(new ObjectBuilder().addNodes(layers[i].nodes).toString());
        i++;
      }
      out += `,"${protocol}":[${items.join(',')}]`;
      continue;
    }
    out += `,"${protocol}":` + new ObjectBuilder().addNodes(layers[i].nodes).toString();
    i++;
  }
  return out;
}

/**
 * One NDJSON object per frame: `frame.*` keys, then a layer object per protocol keyed by
 * Wireshark's display-filter names with typed values, then `problems`. See schema/.
 */
export function frameJson(d: Dissection, clock: RelativeClock, file?: string): string {
  const f = d.frame;
  let out =
    `{"frame.number":${f.number},"frame.time_epoch":"${epochString(f)}","frame.time_relative":${clock.relative(f)}` +
    `,"frame.len":${f.origLen},"frame.cap_len":${f.data.length},"frame.interface_id":${f.interfaceId},"frame.encap":${f.linkType}`;
  if (file !== undefined) out += ',"file":' + JSON.stringify(file);
  out += layersJson(d.layers);
  out += ',"problems":[' + d.problems.map(problemJson).join(',') + ']}';
  return out;
}
