/**
 * The field registry, and the tree the `-V` view walks.
 *
 * A field is described once (Wireshark-style: label, display-filter name, type, how to show it).
 * The decoders hand each field, with its description, to a FieldOut (field-out.ts): the tree
 * builder makes nodes that point at their field, the NDJSON writer turns the field straight
 * into bytes under its display-filter name. Summaries and validation read the decoders' typed
 * views. So a field's name or meaning is defined in exactly one place.
 */

export type Severity = 'error' | 'warning' | 'note';

export type FieldKind =
  /** unsigned integer (JSON number) */
  | 'uint'
  /** signed integer (JSON number): a signal strength in dBm */
  | 'int'
  | 'bool'
  /** dotted-quad string */
  | 'ipv4'
  /** colon-separated MAC string */
  | 'mac'
  /** IPv6 address in RFC 5952 text */
  | 'ipv6'
  /** byte string (JSON: colon-separated lowercase hex, as tshark writes FT_BYTES) */
  | 'bytes'
  | 'string'
  /** a subtree whose children form one JSON object (records, options, response blocks) */
  | 'group'
  /** a text-only tree line with no JSON value */
  | 'label';

/** How a field is described: what field() takes. */
export interface FieldSpec {
  /** Wireshark display-filter name, also the JSON key (ours where Wireshark lacks the field). */
  readonly abbrev: string;
  /** Label in the `-V` tree. */
  readonly name: string;
  readonly kind: FieldKind;
  /** How the raw value is shown in brackets / as the value: hex with this many digits. */
  readonly hexDigits?: number;
  /** For masked fields: the mask and the width in bits of the containing unit (tree bit pattern). */
  readonly mask?: number;
  readonly bitWidth?: number;
  /** Value names (Wireshark's value_string). */
  readonly names?: ReadonlyMap<number, string>;
  /** Texts for true/false of a boolean (Wireshark's true_false_string). */
  readonly trueFalse?: readonly [string, string];
  /** Custom rendering of the shown value; gets the node so it can see raw values. */
  readonly show?: (node: FieldNode) => string;
  /** A field that can occur several times in one layer: always a JSON array. */
  readonly repeats?: boolean;
  /** For 'group' fields: the JSON key of the array the group objects go into. */
  readonly groupKey?: string;
  /** A group that occurs at most once in its layer: one JSON object, not an array. */
  readonly groupObject?: boolean;
  /** Not a Wireshark field: a key of our own (documented in the README and the schema). */
  readonly ours?: boolean;
  /** What the value means where the name does not say it (the JSON Schema's description). */
  readonly blurb?: string;
  /** The values a string field takes (a JSON Schema enum). */
  readonly values?: readonly string[];
  /**
   * The number Wireshark gives each of those values, where its field is a number with value
   * names and ours is the name (a checksum status): what `-T fields` prints.
   */
  readonly codes?: Readonly<Record<string, number>>;
  /** A number that can have a fraction (seconds): a JSON number rather than an integer. */
  readonly fractional?: boolean;
  /** Leave out of JSON (tree-only lines such as generated headings). */
  readonly treeOnly?: boolean;
  /** Shown in the tree in brackets, as Wireshark shows generated fields. */
  readonly generated?: boolean;
}

/** A field as the registry holds it: its description and a number of its own. */
export interface FieldDef extends FieldSpec {
  /**
   * Assigned by field(), from 0: the writers keep what they render of a field (its NDJSON key,
   * its `-V` lines) in arrays by this number.
   */
  readonly id: number;
}

export type FieldValue = number | string | boolean | Buffer;

export interface Problem {
  /** Stable identifier, e.g. `igmp.checksum.bad`. */
  readonly id: string;
  readonly severity: Severity;
  /** Protocol layer the problem belongs to (`frame`, `eth`, `ip`, `igmp` …). */
  readonly layer: string;
  /** Byte offset from the start of the frame. */
  readonly offset: number;
  readonly message: string;
}

export interface FieldNode {
  readonly field: FieldDef;
  readonly value: FieldValue;
  /** Byte offset from the start of the frame. */
  readonly offset: number;
  readonly length: number;
  /** The raw number behind a decoded value (a v3 Max Resp Code, an option type byte …). */
  readonly raw?: number;
  /** Tree label for 'group'/'label' nodes, and a precomputed shown value for others. */
  text?: string;
  children?: FieldNode[];
  problems?: Problem[];
}

/** Where a problem can be shown: a field's node (or a writer's stand-in for it), or a layer. */
export interface ProblemTarget {
  problems?: Problem[];
}

export interface Layer {
  /** Wireshark protocol filter name: `eth`, `vlan`, `sll`, `null`, `ip`, `igmp`, `dvmrp` … */
  readonly protocol: string;
  readonly offset: number;
  length: number;
  /** The layer's field tree: filled only by the tree builder, empty (and frozen) otherwise. */
  nodes: FieldNode[];
  /** Problems not tied to one node (shown at the end of the layer in the tree). */
  problems?: Problem[];
  /** What `frame.protocols` lists after the layer for the table it handed on through (`ethertype`). */
  step?: string;
}

/**
 * Declares a field. Every definition gets the same set of properties in the same order, so all
 * fields share one hidden class: the outputs read them on every node, and a megamorphic
 * property access there made NDJSON several times slower.
 */
export function field(def: FieldSpec): FieldDef {
  return {
    id: fieldCount++,
    abbrev: def.abbrev,
    name: def.name,
    kind: def.kind,
    hexDigits: def.hexDigits,
    mask: def.mask,
    bitWidth: def.bitWidth,
    names: def.names,
    trueFalse: def.trueFalse,
    show: def.show,
    repeats: def.repeats ?? false,
    groupKey: def.groupKey,
    groupObject: def.groupObject ?? false,
    ours: def.ours ?? false,
    blurb: def.blurb,
    values: def.values,
    codes: def.codes,
    fractional: def.fractional ?? false,
    treeOnly: def.treeOnly ?? false,
    generated: def.generated ?? false,
  };
}

/** Fields declared so far: the next one's id. */
let fieldCount = 0;

export function names(entries: Record<number, string>): ReadonlyMap<number, string> {
  return new Map(Object.entries(entries).map(([k, v]) => [Number(k), v]));
}

export function node(
  fieldDef: FieldDef,
  value: FieldValue,
  offset: number,
  length: number,
  raw?: number,
  text?: string,
): FieldNode {
  // Every property present from the start: all nodes share one hidden class (monomorphic).
  return {
    field: fieldDef,
    value,
    offset,
    length,
    raw,
    text,
    children: undefined,
    problems: undefined,
  };
}

/** The first node of a field among a list of nodes, searching subtrees too. */
export function findNode(nodes: readonly FieldNode[], def: FieldDef): FieldNode | undefined {
  for (const n of nodes) {
    if (n.field === def) return n;
    if (n.children) {
      const inner = findNode(n.children, def);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The shown value of a field's first node among `nodes` (a heading's parts), or `?`. */
export function shownOf(nodes: readonly FieldNode[], def: FieldDef): string {
  const n = findNode(nodes, def);
  return n ? shownValue(n) : '?';
}

export function hex(value: number, digits: number): string {
  return '0x' + value.toString(16).padStart(digits, '0');
}

/** The value a node shows in the tree (without the label). */
export function shownValue(n: FieldNode): string {
  const f = n.field;
  if (n.text !== undefined && f.kind !== 'group' && f.kind !== 'label') return n.text;
  if (f.show) return f.show(n);
  switch (f.kind) {
    case 'int':
    case 'uint': {
      const v = n.value as number;
      const name = f.names?.get(v);
      const rawText = f.hexDigits !== undefined ? hex(v, f.hexDigits) : String(v);
      if (name !== undefined) return `${name} (${rawText})`;
      return rawText;
    }
    case 'bool': {
      const v = n.value as boolean;
      if (f.trueFalse) return v ? f.trueFalse[0] : f.trueFalse[1];
      return v ? 'True' : 'False';
    }
    case 'bytes':
      return bytesHex(n.value as Buffer, '');
    default:
      return String(n.value);
  }
}

/** Lowercase hex of a byte string; `sep` between bytes (tshark JSON uses ':'). */
export function bytesHex(buf: Buffer, sep: string): string {
  if (sep === '') return buf.toString('hex');
  let out = '';
  for (let i = 0; i < buf.length; i++) {
    if (i > 0) out += sep;
    out += HEX_BYTE[buf[i]];
  }
  return out;
}

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/**
 * Wireshark-style bit pattern for masked fields: `.... 1... = S: …`; `raw` is the whole
 * containing unit (a byte, a 16-bit word …) and only the bits under the mask are shown.
 */
export function bitPattern(raw: number, mask: number, width: number): string {
  let out = '';
  for (let bit = width - 1; bit >= 0; bit--) {
    // Widths stay within 32 bits (a byte, a word, the 24-bit MAC prefix): shifts are exact.
    out += ((mask >>> bit) & 1) === 1 ? (((raw >>> bit) & 1) === 1 ? '1' : '0') : '.';
    if (bit % 4 === 0 && bit !== 0) out += ' ';
  }
  return out;
}
