import { epochString } from '../capture/frame.js';
import type { Dissection } from '../dissect.js';
import type { FieldDef, FieldNode, Layer, Problem } from '../fields.js';
import { asciiJsonString } from './bytestring.js';
import { ByteBuffer } from './bytes.js';
import type { RelativeClock } from './time.js';

/** Protocols that can occur several times in a frame: an array of layer objects, outermost first. */
const REPEATED_LAYERS: ReadonlySet<string> = new Set(['vlan']);

/** `"abbrev":` for a field (or the array key of a group). */
function writeKey(out: ByteBuffer, def: FieldDef): void {
  if (def.jsonKey) out.raw(def.jsonKey);
  else out.ascii('"' + def.abbrev + '":');
}

function writeValue(out: ByteBuffer, n: FieldNode): void {
  const v = n.value;
  switch (n.field.kind) {
    case 'uint':
      out.uint(v as number);
      return;
    case 'bool':
      out.ascii(v ? 'true' : 'false');
      return;
    case 'bytes':
      out.byte(34);
      out.hexBytes(v as Buffer);
      out.byte(34);
      return;
    case 'ipv4':
    case 'mac':
      // Built from digits and hex only: nothing to escape.
      out.byte(34);
      out.ascii(v as string);
      out.byte(34);
      return;
    default:
      out.ascii(stringLiteral(String(v)));
  }
}

/**
 * String values are few and repeat (checksum status, query kind): their JSON literals are kept
 * rather than rebuilt and checked for escapes on every frame. Bounded, so odd values can't grow it.
 */
const literals = new Map<string, string>();

function stringLiteral(text: string): string {
  let literal = literals.get(text);
  if (literal === undefined) {
    literal = asciiJsonString(text);
    if (literals.size > 4096) literals.clear();
    literals.set(text, literal);
  }
  return literal;
}

/**
 * Writes the members of one JSON object, in tree order: a field that repeats becomes one array
 * of all its occurrences in the list, consecutive groups one array of objects, and a subtree's
 * children are flattened into the same object. Returns whether anything was written.
 */
function writeMembers(out: ByteBuffer, nodes: readonly FieldNode[], first: boolean): boolean {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const f = n.field;
    if (f.kind === 'group') {
      if (i > 0 && nodes[i - 1].field === f) continue;
      if (!first) out.byte(44);
      first = false;
      writeKey(out, f);
      out.byte(91);
      for (let j = i; j < nodes.length && nodes[j].field === f; j++) {
        if (j > i) out.byte(44);
        out.byte(123);
        writeMembers(out, nodes[j].children ?? [], true);
        out.byte(125);
      }
      out.byte(93);
      continue;
    }
    if (f.kind !== 'label' && !f.treeOnly && !(f.repeats && occursBefore(nodes, i, f))) {
      if (!first) out.byte(44);
      first = false;
      writeKey(out, f);
      if (f.repeats) {
        out.byte(91);
        writeValue(out, n);
        for (let j = i + 1; j < nodes.length; j++) {
          if (nodes[j].field !== f) continue;
          out.byte(44);
          writeValue(out, nodes[j]);
        }
        out.byte(93);
      } else {
        writeValue(out, n);
      }
    }
    if (n.children && writeMembers(out, n.children, first)) first = false;
  }
  return !first;
}

function occursBefore(nodes: readonly FieldNode[], index: number, def: FieldDef): boolean {
  for (let j = 0; j < index; j++) if (nodes[j].field === def) return true;
  return false;
}

function writeLayers(out: ByteBuffer, layers: readonly Layer[]): void {
  let i = 0;
  while (i < layers.length) {
    const protocol = layers[i].protocol;
    out.ascii(`,"${protocol}":`);
    if (REPEATED_LAYERS.has(protocol)) {
      out.byte(91);
      const first = i;
      for (; i < layers.length && layers[i].protocol === protocol; i++) {
        if (i > first) out.byte(44);
        out.byte(123);
        writeMembers(out, layers[i].nodes, true);
        out.byte(125);
      }
      out.byte(93);
      continue;
    }
    out.byte(123);
    writeMembers(out, layers[i].nodes, true);
    out.byte(125);
    i++;
  }
}

function writeProblem(out: ByteBuffer, p: Problem): void {
  out.ascii(
    `{"id":"${p.id}","severity":"${p.severity}","layer":"${p.layer}","offset":${p.offset},"message":`,
  );
  out.ascii(asciiJsonString(p.message));
  out.byte(125);
}

/**
 * Appends one NDJSON line for a frame, pure ASCII: `frame.*` keys, then a layer object per
 * protocol keyed by Wireshark's display-filter names with typed values, then `problems`.
 * See schema/dissect-frame.schema.json.
 */
export function writeFrameJson(
  out: ByteBuffer,
  d: Dissection,
  clock: RelativeClock,
  file?: string,
): void {
  const f = d.frame;
  out.ascii('{"frame.number":');
  out.uint(f.number);
  out.ascii(',"frame.time_epoch":"');
  out.ascii(epochString(f));
  out.ascii('","frame.time_relative":');
  out.ascii(clock.relative(f));
  out.ascii(',"frame.len":');
  out.uint(f.origLen);
  out.ascii(',"frame.cap_len":');
  out.uint(f.data.length);
  out.ascii(',"frame.interface_id":');
  out.uint(f.interfaceId);
  out.ascii(',"frame.encap":');
  out.uint(f.linkType);
  if (file !== undefined) {
    out.ascii(',"file":');
    out.ascii(asciiJsonString(file));
  }
  writeLayers(out, d.layers);
  out.ascii(',"problems":[');
  for (let i = 0; i < d.problems.length; i++) {
    if (i > 0) out.byte(44);
    writeProblem(out, d.problems[i]);
  }
  out.ascii(']}\n');
}

/** The NDJSON line of a frame as a string (without the newline), for the library and tests. */
export function frameJson(d: Dissection, clock: RelativeClock, file?: string): string {
  const out = new ByteBuffer();
  writeFrameJson(out, d, clock, file);
  const bytes = out.take();
  return bytes.toString('latin1', 0, bytes.length - 1);
}
