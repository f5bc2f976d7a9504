/**
 * What a name in a filter means: every FieldDef of every registered protocol (inside groups
 * too) by its display-filter name, every protocol by its filter name, Wireshark's "either"
 * fields (`ip.addr`, `eth.addr`, `ipv6.addr`, `udp.port`), and `frame` with the `frame.*`
 * fields the capture gives (number, lengths, time, `frame.protocols`). A name can belong
 * to several FieldDefs (`igmp.maddr` of a query and of each group record): a filter on the
 * name sees them all, in the order the decoders hand them over, as tshark sees one field.
 */
import type { FieldDef } from '../fields.js';
import '../layers/index.js';
import { allProtocols, type FieldList } from '../layers/registry.js';
import { WIRESHARK_TYPES, type WiresharkType } from './wireshark-types.js';

/** The families of types that decide what a value can be compared with, and how. */
export type TypeClass =
  | 'uint'
  | 'int'
  | 'bool'
  | 'float'
  | 'ipv4'
  | 'ipv6'
  | 'ether'
  | 'bytes'
  | 'protocol'
  | 'string'
  | 'none';

/** How values of a type are held while a frame is filtered. */
export type Representation =
  /** A number: integers, booleans (0/1), IPv4 addresses (uint32), MACs (48 bits) */
  | 'num'
  /** Bytes in a buffer: byte strings, protocols, IPv6 addresses */
  | 'bytes'
  | 'str'
  /** Nothing but presence (Wireshark's FT_NONE) */
  | 'none';

export interface FilterType {
  readonly cls: TypeClass;
  /** An integer's width in bytes (its literals' limit). */
  readonly size: number;
  /** tshark's words for the type in its messages: `Unsigned integer (1 byte)`. */
  readonly description: string;
  /** Wireshark's name of the type, which some of tshark's messages use: `FT_UINT8`. */
  readonly ftName: string;
  readonly rep: Representation;
}

function type(
  cls: TypeClass,
  size: number,
  description: string,
  ftName: string,
  rep: Representation,
): FilterType {
  return { cls, size, description, ftName, rep };
}

export const TYPES: Readonly<Record<WiresharkType, FilterType>> = {
  u8: type('uint', 1, 'Unsigned integer (1 byte)', 'FT_UINT8', 'num'),
  u16: type('uint', 2, 'Unsigned integer (2 bytes)', 'FT_UINT16', 'num'),
  u24: type('uint', 3, 'Unsigned integer (3 bytes)', 'FT_UINT24', 'num'),
  u32: type('uint', 4, 'Unsigned integer (4 bytes)', 'FT_UINT32', 'num'),
  i8: type('int', 1, 'Signed integer (1 byte)', 'FT_INT8', 'num'),
  i16: type('int', 2, 'Signed integer (2 bytes)', 'FT_INT16', 'num'),
  i32: type('int', 4, 'Signed integer (4 bytes)', 'FT_INT32', 'num'),
  i64: type('int', 8, 'Signed integer (8 bytes)', 'FT_INT64', 'num'),
  bool: type('bool', 1, 'Boolean', 'FT_BOOLEAN', 'num'),
  float: type('float', 8, 'Floating point (single-precision)', 'FT_FLOAT', 'num'),
  ipv4: type('ipv4', 4, 'IPv4 address', 'FT_IPv4', 'num'),
  ipv6: type('ipv6', 16, 'IPv6 address', 'FT_IPv6', 'bytes'),
  ether: type('ether', 6, 'Ethernet or other MAC address', 'FT_ETHER', 'num'),
  bytes: type('bytes', 0, 'Byte sequence', 'FT_BYTES', 'bytes'),
  string: type('string', 0, 'Character string', 'FT_STRING', 'str'),
  none: type('none', 0, 'Label', 'FT_NONE', 'none'),
  protocol: type('protocol', 0, 'Protocol', 'FT_PROTOCOL', 'bytes'),
};

/** A field or protocol as a filter names it. */
export interface FieldRef {
  readonly name: string;
  /** Every FieldDef of that name (none for a protocol). */
  readonly defs: readonly FieldDef[];
  /** A protocol name: present once per layer of that protocol, its bytes are the layer's. */
  readonly protocol: boolean;
  readonly type: FilterType;
  /** Value names (Wireshark's value_string), lowercased, to the number each names. */
  readonly names: ReadonlyMap<string, number> | undefined;
  /** One of tshark's `frame.*` fields, which the collector takes from the frame itself. */
  readonly frame?: FrameField;
}

/** The `frame.*` fields a filter can use: what the capture says of every frame. */
export type FrameField = 'number' | 'len' | 'cap_len' | 'protocols' | 'time_epoch';

const FRAME_FIELDS: readonly [FrameField, FilterType][] = [
  ['number', TYPES.u32],
  ['len', TYPES.u32],
  ['cap_len', TYPES.u32],
  ['protocols', TYPES.string],
  // FT_RELATIVE_TIME to Wireshark: seconds, compared as a number of seconds.
  ['time_epoch', { ...TYPES.float, description: 'Time offset', ftName: 'FT_RELATIVE_TIME' }],
];

/** Wireshark's fields that stand for either of two (hidden fields it adds beside each). */
const EITHER: readonly [string, readonly string[]][] = [
  ['eth.addr', ['eth.dst', 'eth.src']],
  ['ip.addr', ['ip.src', 'ip.dst']],
  ['ipv6.addr', ['ipv6.src', 'ipv6.dst']],
  ['udp.port', ['udp.srcport', 'udp.dstport']],
];

/** `frame`: tshark's first layer, present in every frame; its bytes are the frame's. */
export const FRAME_PROTOCOL = 'frame';

let index: Map<string, FieldRef> | undefined;

/** The field or protocol a name means, or undefined. */
export function lookupName(name: string): FieldRef | undefined {
  return (index ??= buildIndex()).get(name);
}

/** Every name a filter can use (for listings and tests). */
export function allNames(): ReadonlyMap<string, FieldRef> {
  return (index ??= buildIndex());
}

function buildIndex(): Map<string, FieldRef> {
  const defs = new Map<string, FieldDef[]>();
  const walk = (list: FieldList): void => {
    for (const f of list) {
      const def = 'group' in f ? f.group : f;
      const same = defs.get(def.abbrev);
      if (same === undefined) defs.set(def.abbrev, [def]);
      else if (!same.includes(def)) same.push(def);
      if ('group' in f) walk(f.members);
    }
  };
  const protocols = allProtocols();
  for (const p of protocols) walk(p.fields);
  const out = new Map<string, FieldRef>();
  for (const [name, list] of defs)
    out.set(name, {
      name,
      defs: list,
      protocol: false,
      type: typeOf(name, list[0]),
      names: valueNames(list),
    });
  // A protocol name wins over a field of the same name (there is none today).
  for (const name of [FRAME_PROTOCOL, ...protocols.map((p) => p.name)])
    out.set(name, { name, defs: [], protocol: true, type: TYPES.protocol, names: undefined });
  // Wireshark's "either" fields (`ip.addr == x` is `ip.src == x || ip.dst == x`, and `!=`
  // holds when neither is x): the occurrences of both, in the order they are decoded.
  for (const [name, parts] of EITHER) {
    const refs = parts.map((part) => out.get(part));
    if (refs.some((ref) => ref === undefined)) continue;
    const defs = refs.flatMap((ref) => (ref as FieldRef).defs);
    out.set(name, {
      name,
      defs,
      protocol: false,
      type: (refs[0] as FieldRef).type,
      names: undefined,
    });
  }
  for (const [frame, type] of FRAME_FIELDS) {
    const name = `${FRAME_PROTOCOL}.${frame}`;
    out.set(name, { name, defs: [], protocol: false, type, names: undefined, frame });
  }
  return out;
}

/** Wireshark's type where tshark knows the field, else what the FieldDef says. */
function typeOf(name: string, def: FieldDef): FilterType {
  const known = WIRESHARK_TYPES[name];
  if (known !== undefined) return TYPES[known];
  switch (def.kind) {
    case 'uint': {
      if (def.fractional) return TYPES.float;
      const bits =
        def.mask !== undefined && def.bitWidth !== undefined
          ? def.bitWidth
          : def.hexDigits !== undefined
            ? Math.ceil(def.hexDigits / 2) * 8
            : 32;
      return bits <= 8 ? TYPES.u8 : bits <= 16 ? TYPES.u16 : bits <= 24 ? TYPES.u24 : TYPES.u32;
    }
    case 'int':
      return TYPES.i32;
    case 'bool':
      return TYPES.bool;
    case 'ipv4':
      return TYPES.ipv4;
    case 'ipv6':
      return TYPES.ipv6;
    case 'mac':
      return TYPES.ether;
    case 'bytes':
      return TYPES.bytes;
    case 'string':
      // A status held as its name, which Wireshark holds as a number with value names.
      return def.codes !== undefined ? TYPES.u8 : TYPES.string;
    default:
      return TYPES.none;
  }
}

/**
 * Value names a filter may use for a number, matched without regard to case as tshark
 * matches them (`igmp.checksum.status == "bad"`): the FieldDef's value names, and for a
 * status held as a name, Wireshark's name for each code (`not_present` is "Not present").
 */
function valueNames(defs: readonly FieldDef[]): ReadonlyMap<string, number> | undefined {
  let out: Map<string, number> | undefined;
  for (const def of defs) {
    if (def.names !== undefined)
      for (const [value, name] of def.names) {
        out ??= new Map();
        if (!out.has(name.toLowerCase())) out.set(name.toLowerCase(), value);
      }
    if (def.codes !== undefined)
      for (const [name, value] of Object.entries(def.codes)) {
        out ??= new Map();
        out.set(name.replace(/_/g, ' ').toLowerCase(), value);
      }
  }
  return out;
}
