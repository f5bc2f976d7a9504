import { epochString } from '../capture/frame.js';
import { linkTypeName, type Dissection } from '../dissect.js';
import {
  bitPattern,
  findNode,
  shownValue,
  type FieldDef,
  type FieldNode,
  type Layer,
  type Problem,
} from '../fields.js';
import { ethFields, vlanFields } from '../link/ethernet.js';
import { ipFields } from '../ip/ipv4.js';
import { escapeTerminal } from './escape.js';
import type { Palette } from './palette.js';
import { isoTime, type RelativeClock } from './time.js';

const INDENT = '    ';

function value(layer: Layer, def: Parameters<typeof findNode>[1]): string {
  const n = findNode(layer.nodes, def);
  return n ? shownValue(n) : '?';
}

/** The heading line of each protocol, as Wireshark titles its tree items. */
function layerTitle(layer: Layer): string {
  switch (layer.protocol) {
    case 'eth':
      return `Ethernet II, Src: ${value(layer, ethFields.src)}, Dst: ${value(layer, ethFields.dst)}`;
    case 'vlan': {
      const pri = findNode(layer.nodes, vlanFields.priority)?.value ?? '?';
      const dei = findNode(layer.nodes, vlanFields.dei)?.value;
      return `802.1Q Virtual LAN, PRI: ${String(pri)}, DEI: ${dei ? 1 : 0}, ID: ${value(layer, vlanFields.id)}`;
    }
    case 'sll':
      return layer.length >= 20 ? 'Linux cooked capture v2' : 'Linux cooked capture v1';
    case 'null':
      return 'Null/Loopback';
    case 'ip':
      return `Internet Protocol Version 4, Src: ${value(layer, ipFields.src)}, Dst: ${value(layer, ipFields.dst)}`;
    case 'igmp':
      return 'Internet Group Management Protocol';
    default:
      return layer.protocol;
  }
}

/**
 * One line of the tree. Field names are ours and values of numeric, address and byte kinds are
 * rendered from numbers; the texts a decoder composes and string values are escaped, so no
 * byte of a packet reaches the terminal as a control character. (Escaping each whole line
 * instead was the largest single cost of -V.)
 */
function nodeLine(n: FieldNode): string {
  const f = n.field;
  if (f.kind === 'group' || f.kind === 'label') return escapeTerminal(n.text ?? f.name);
  const shown = shownValue(n);
  const text = `${f.name}: ${f.kind === 'string' || n.text !== undefined ? escapeTerminal(shown) : shown}`;
  if (f.generated) return `[${text}]`;
  if (f.mask !== undefined && f.bitWidth !== undefined && n.raw !== undefined) {
    return `${maskedBits(f, n.raw)} = ${text}`;
  }
  return text;
}

/** Bit patterns by field and value: a handful per field, each built once. */
const bitPatterns = new WeakMap<FieldDef, Map<number, string>>();

function maskedBits(f: FieldDef, raw: number): string {
  const mask = f.mask as number;
  let patterns = bitPatterns.get(f);
  if (!patterns) {
    patterns = new Map();
    bitPatterns.set(f, patterns);
  }
  const bits = (raw & mask) >>> 0;
  let pattern = patterns.get(bits);
  if (pattern === undefined) {
    pattern = bitPattern(raw, mask, f.bitWidth as number);
    if (patterns.size < 4096) patterns.set(bits, pattern);
  }
  return pattern;
}

function problemLine(p: Problem, palette: Palette): string {
  const label = p.severity === 'error' ? 'Error' : p.severity === 'warning' ? 'Warning' : 'Note';
  return palette.severity(
    p.severity,
    `[Expert Info (${label}/${p.id}): ${escapeTerminal(p.message)} (offset ${p.offset})]`,
  );
}

function writeNodes(
  nodes: readonly FieldNode[],
  depth: number,
  palette: Palette,
  out: string[],
): void {
  const pad = INDENT.repeat(depth);
  for (const n of nodes) {
    out.push(pad + nodeLine(n));
    if (n.problems) for (const p of n.problems) out.push(pad + INDENT + problemLine(p, palette));
    if (n.children) writeNodes(n.children, depth + 1, palette, out);
  }
}

/** The `-V` view: every layer with every field, problems where they occur, like `tshark -V`. */
export function frameTree(
  d: Dissection,
  clock: RelativeClock,
  palette: Palette,
  fileLabel?: string,
): string {
  const f = d.frame;
  const out: string[] = [];
  const onFile = fileLabel !== undefined ? ` in ${escapeTerminal(fileLabel)}` : '';
  out.push(
    palette.heading(
      `Frame ${f.number}: ${f.origLen} bytes on wire (${f.origLen * 8} bits), ${f.data.length} bytes captured (${f.data.length * 8} bits) on interface ${f.interfaceId}${onFile}`,
    ),
    `${INDENT}Encapsulation type: ${linkTypeName(f.linkType)} (${f.linkType})`,
    `${INDENT}Arrival Time: ${isoTime(f)}`,
    `${INDENT}Epoch Time: ${epochString(f)} seconds`,
    `${INDENT}[Time since reference or first frame: ${clock.relative(f)} seconds]`,
    `${INDENT}Frame Number: ${f.number}`,
    `${INDENT}Frame Length: ${f.origLen} bytes (${f.origLen * 8} bits)`,
    `${INDENT}Capture Length: ${f.data.length} bytes (${f.data.length * 8} bits)`,
  );
  const frameLevel = d.problems.filter((p) => p.layer === 'frame');
  for (const p of frameLevel) out.push(INDENT + problemLine(p, palette));
  for (const layer of d.layers) {
    out.push(palette.heading(layerTitle(layer)));
    writeNodes(layer.nodes, 1, palette, out);
    if (layer.problems) for (const p of layer.problems) out.push(INDENT + problemLine(p, palette));
  }
  out.push('');
  return out.join('\n');
}
