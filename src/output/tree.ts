import { linkTypeName, type Dissection } from '../dissect.js';
import {
  bitPattern,
  node,
  type FieldValue,
  shownValue,
  type FieldDef,
  type FieldNode,
  type Layer,
  type Problem,
} from '../fields.js';
import { protocolChain, protocolNamed } from '../layers/registry.js';
import { ByteBuffer, Prepared, prepared } from './bytes.js';
import { escapeTerminal } from './escape.js';
import type { Palette } from './palette.js';
import { writeFraction, writeIsoTime, type RelativeClock } from './time.js';

const INDENT = '    ';

/**
 * A field's `-V` lines (indent and newline included), kept by depth and by what they depend on:
 * most fields show the same few values frame after frame, so each line is rendered and encoded
 * once. Bounded: past MAX_TREE_LINES a field's new lines at a depth are rendered each time.
 * Kept by the field's id, then by depth.
 */
const treeLines: (DepthLines | undefined)[][] = [];

/**
 * Lines by one kind of key, with the last line given and its key: most fields show what they
 * showed in the frame before, and a comparison is cheaper than a Map lookup.
 */
class KeyedLines<K> {
  map: Map<K, Uint8Array> | undefined = undefined;
  lastKey: K | undefined = undefined;
  lastLine: Uint8Array | undefined = undefined;
}

/** The lines of a field at one depth of the tree. */
class DepthLines {
  /** By value, for numeric and boolean (0/1) values without a raw number. */
  readonly byValue = new KeyedLines<number>();
  /** By raw number and value, for values decoded from a raw unit (masked bits, codes). */
  readonly byRaw = new KeyedLines<number>();
  /** By text: string values, labels and headings. */
  readonly byText = new KeyedLines<string>();
  /** Indent, name and `: ` of a byte-string line, whose hex is written each time. */
  prefix: Uint8Array | undefined = undefined;
}

const MAX_TREE_LINES = 4096;

/**
 * The heading line of a layer, as Wireshark titles its tree item: the protocol's own title
 * from the registry; `nodes` are the layer's (or the ones its title fields name).
 */
export function layerTitle(layer: Layer, nodes: readonly FieldNode[]): string {
  return protocolNamed(layer.protocol)?.title(layer, nodes) ?? layer.protocol;
}

const NO_TITLE_FIELDS: readonly FieldDef[] = [];

/** The fields a protocol's heading names: a tree writer without nodes keeps these. */
export function titleFields(protocol: string): readonly FieldDef[] {
  return protocolNamed(protocol)?.titleFields ?? NO_TITLE_FIELDS;
}

/**
 * One line of the tree. Field names are ours and values of numeric, address and byte kinds are
 * rendered from numbers; the texts a decoder composes and string values are escaped, so no
 * byte of a packet reaches the terminal as a control character. (Escaping each whole line
 * instead was the largest single cost of -V.)
 */
export function nodeLine(n: FieldNode): string {
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

/** Indents by depth, as bytes. */
const PADS: Prepared[] = Array.from({ length: 64 }, (_, depth) => prepared(INDENT.repeat(depth)));
const pad = (depth: number): Prepared => PADS[Math.min(depth, PADS.length - 1)];

/**
 * A field's line (indent and newline included) as bytes, from its field's cache when the line
 * depends only on what the cache is keyed by (value; value and raw number; text), rendered
 * and added otherwise. Byte strings have their prefix cached and their hex written each time.
 * `n` is the field's node when there is one; a writer without nodes makes one for a new line.
 */
export function writeFieldLine(
  bytes: ByteBuffer,
  f: FieldDef,
  value: FieldValue,
  raw: number | undefined,
  text: string | undefined,
  depth: number,
  n?: FieldNode,
): void {
  const lines = (treeLines[f.id] ??= []);
  const kind = f.kind;
  const cache = (lines[depth] ??= new DepthLines());
  if (cache === undefined) {
    // No cache (a field not made by field()).
  } else if (kind === 'group' || kind === 'label' || text !== undefined) {
    // The raw number only shows in the bit pattern of a masked field.
    if (raw === undefined || f.mask === undefined) {
      return bytes.raw(keyedLine(cache.byText, text ?? '', f, value, raw, text, depth, n));
    }
  } else if (typeof value === 'string') {
    return bytes.raw(keyedLine(cache.byText, value, f, value, raw, text, depth, n));
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    const v = typeof value === 'number' ? value : value ? 1 : 0;
    if (raw === undefined) {
      return bytes.raw(keyedLine(cache.byValue, v, f, value, raw, text, depth, n));
    }
    if (Number.isInteger(v) && v >= 0 && v < 2 ** 21 && raw >= 0 && raw < 2 ** 32) {
      // Exact below 2^53: raw in the high bits, value in the low 21.
      const key = raw * 2 ** 21 + v;
      return bytes.raw(keyedLine(cache.byRaw, key, f, value, raw, text, depth, n));
    }
  } else if (kind === 'bytes' && !f.generated && f.mask === undefined && f.show === undefined) {
    // `Name: 00ff…`: the hex of the value is all that changes.
    cache.prefix ??= Buffer.from(`${INDENT.repeat(depth)}${f.name}: `, 'utf8');
    bytes.raw(cache.prefix);
    const data = value as Buffer;
    bytes.hex(data, 0, data.length);
    bytes.byte(NEWLINE);
    return;
  }
  bytes.put(pad(depth));
  bytes.utf8(nodeLine(n ?? node(f, value, 0, 0, raw, text)));
  bytes.byte(NEWLINE);
}

/**
 * The line for `key`: the last one given if the key is the same, else the one kept in the
 * map, rendered (and kept, while there is room) the first time.
 */
function keyedLine<K>(
  lines: KeyedLines<K>,
  key: K,
  f: FieldDef,
  value: FieldValue,
  raw: number | undefined,
  text: string | undefined,
  depth: number,
  n: FieldNode | undefined,
): Uint8Array {
  if (lines.lastKey === key && lines.lastLine !== undefined) return lines.lastLine;
  const map = (lines.map ??= new Map<K, Uint8Array>());
  let line = map.get(key);
  if (line === undefined) {
    const shown = nodeLine(n ?? node(f, value, 0, 0, raw, text));
    line = Buffer.from(`${INDENT.repeat(depth)}${shown}\n`, 'utf8');
    if (map.size < MAX_TREE_LINES) map.set(key, line);
  }
  lines.lastKey = key;
  lines.lastLine = line;
  return line;
}

export function writeProblem(bytes: ByteBuffer, p: Problem, depth: number, palette: Palette): void {
  bytes.put(pad(depth));
  bytes.utf8(problemLine(p, palette));
  bytes.byte(NEWLINE);
}

export const NEWLINE = 10;

/** The frame's own lines (Wireshark's "Frame" item) and the problems of the frame itself. */
export function writeFrameHead(
  bytes: ByteBuffer,
  d: Dissection,
  clock: RelativeClock,
  palette: Palette,
  fileLabel?: string,
): void {
  const f = d.frame;
  const captured = f.data.length;
  if (palette.plain && fileLabel === undefined) {
    bytes.put(HEAD.frame);
    bytes.uint(f.number);
    bytes.put(HEAD.colon);
    writeLength(bytes, f.origLen, HEAD.onWire);
    bytes.put(HEAD.comma);
    writeLength(bytes, captured, HEAD.captured);
    bytes.put(HEAD.onInterface);
    bytes.uint(f.interfaceId);
  } else {
    const onFile = fileLabel !== undefined ? ` in ${escapeTerminal(fileLabel)}` : '';
    bytes.utf8(
      palette.heading(
        `Frame ${f.number}: ${f.origLen} bytes on wire (${f.origLen * 8} bits), ${captured} bytes captured (${captured * 8} bits) on interface ${f.interfaceId}${onFile}`,
      ),
    );
  }
  bytes.put(encapsulationLine(f.linkType));
  writeIsoTime(bytes, f);
  bytes.put(HEAD.epoch);
  bytes.uint(f.tsSec);
  writeFraction(bytes, f.tsFrac, f.tsDigits);
  bytes.put(HEAD.relative);
  clock.writeRelative(bytes, f, 0);
  bytes.put(HEAD.number);
  bytes.uint(f.number);
  bytes.put(HEAD.frameLength);
  writeLength(bytes, f.origLen, HEAD.bytes);
  bytes.put(HEAD.captureLength);
  writeLength(bytes, captured, HEAD.bytes);
  bytes.put(protocolsLine(d.layers));
  for (const p of d.problems) if (p.layer === 'frame') writeProblem(bytes, p, 1, palette);
}

/** `[Protocols in frame: …]` lines by chain of layers, each made once. */
const protocolsLines = new Map<string, Prepared>();

function protocolsLine(layers: readonly Layer[]): Prepared {
  const chain = protocolChain(layers);
  let line = protocolsLines.get(chain);
  if (line === undefined) {
    line = prepared(`\n${INDENT}[Protocols in frame: ${chain}]\n`);
    if (protocolsLines.size < 4096) protocolsLines.set(chain, line);
  }
  return line;
}

/** `N bytes (8N bits)`, with `middle` for ` bytes (`. */
function writeLength(bytes: ByteBuffer, length: number, middle: Prepared): void {
  bytes.uint(length);
  bytes.put(middle);
  bytes.uint(length * 8);
  bytes.put(HEAD.bits);
}

/** The frame lines' fixed words, as bytes (copied, not encoded, on every frame). */
const HEAD = Object.fromEntries(
  Object.entries({
    frame: 'Frame ',
    colon: ': ',
    onWire: ' bytes on wire (',
    comma: ', ',
    captured: ' bytes captured (',
    onInterface: ' on interface ',
    epoch: `\n${INDENT}Epoch Time: `,
    relative: ` seconds\n${INDENT}[Time since reference or first frame: `,
    number: ` seconds]\n${INDENT}Frame Number: `,
    frameLength: `\n${INDENT}Frame Length: `,
    captureLength: `\n${INDENT}Capture Length: `,
    bytes: ' bytes (',
    bits: ' bits)',
  }).map(([k, v]) => [k, prepared(v)]),
) as Record<string, Prepared>;

/** `Encapsulation type: …` and the start of the arrival time line, by link type. */
const encapsulationLines = new Map<number, Prepared>();

function encapsulationLine(linkType: number): Prepared {
  let line = encapsulationLines.get(linkType);
  if (line === undefined) {
    line = prepared(
      `\n${INDENT}Encapsulation type: ${linkTypeName(linkType)} (${linkType})\n${INDENT}Arrival Time: `,
    );
    if (encapsulationLines.size < 1024) encapsulationLines.set(linkType, line);
  }
  return line;
}
