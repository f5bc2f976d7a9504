/**
 * The compiled form of a filter: a tree of value nodes (fields, constants, slices, arithmetic,
 * functions) and predicates (comparisons, sets, logic). Each node owns the list it writes its
 * values into and reuses it frame after frame, so testing a frame allocates nothing in the
 * steady state (except where a value must become text: `matches` on bytes, `string()`,
 * `lower()`).
 *
 * The semantics are tshark 4.0's: a field that occurs several times makes several values,
 * `==` holds if any pair of values is equal, `!=` only if no pair is (all-not-equal, since
 * Wireshark 3.6), `~=`/`!==` if any pair differs, `===` if every pair is equal; the order
 * operators, `contains`, `matches` and `in` hold if any value satisfies them. An absent field
 * makes every comparison false.
 */
import type { FilterType } from './names.js';
import type { CompareOp, RangeSpec } from './parser.js';
import { ByteArena, ValueList, type FrameValues } from './values.js';

export interface ValueNode {
  readonly type: FilterType;
  /** Holds no field: the same values in every frame. */
  readonly constant: boolean;
  eval(fv: FrameValues): ValueList;
}

export interface Predicate {
  test(fv: FrameValues): boolean;
}

/** A value's bytes, where a node can read them without copying (one per thread of work). */
interface ByteView {
  buf: Uint8Array;
  off: number;
  len: number;
}

/**
 * The bytes of value `i` of a list of `type`: byte values as they are; numbers (IPv4
 * addresses, MACs) and strings written into `arena`.
 */
function viewBytes(
  list: ValueList,
  i: number,
  type: FilterType,
  arena: ByteArena,
  view: ByteView,
): void {
  switch (type.rep) {
    case 'bytes':
      view.buf = list.bufs[i];
      view.off = list.offs[i];
      view.len = list.lens[i];
      return;
    case 'num': {
      const n = type.cls === 'ether' ? 6 : type.cls === 'ipv4' ? 4 : type.size;
      const at = arena.take(n);
      let v = list.nums[i];
      for (let k = n - 1; k >= 0; k--) {
        arena.buf[at + k] = v % 256;
        v = Math.floor(v / 256);
      }
      view.buf = arena.buf;
      view.off = at;
      view.len = n;
      return;
    }
    case 'str': {
      const s = list.strs[i];
      const n = Buffer.byteLength(s, 'utf8');
      const at = arena.take(n);
      Buffer.from(arena.buf.buffer, arena.buf.byteOffset, arena.buf.length).write(s, at, 'utf8');
      view.buf = arena.buf;
      view.off = at;
      view.len = n;
      return;
    }
    default:
      view.buf = arena.buf;
      view.off = 0;
      view.len = 0;
  }
}

export class ConstNode implements ValueNode {
  readonly constant = true;
  constructor(
    readonly type: FilterType,
    readonly list: ValueList,
  ) {}

  eval(): ValueList {
    return this.list;
  }
}

/** A field's or protocol's occurrences, optionally only those of some layers (`ip.src#2`). */
export class FieldNode implements ValueNode {
  readonly constant = false;
  private readonly out = new ValueList();

  constructor(
    readonly type: FilterType,
    readonly slot: number,
    private readonly layers: readonly RangeSpec[] | undefined,
  ) {}

  eval(fv: FrameValues): ValueList {
    const all = fv.slots[this.slot];
    const layers = this.layers;
    if (layers === undefined) return all;
    const out = this.out;
    out.count = 0;
    for (let i = 0; i < all.count; i++) {
      const n = fv.layerNumber(all.layers[i]);
      for (const r of layers) {
        const last = r.end ?? (r.length === undefined ? Infinity : r.start + r.length - 1);
        if (n >= r.start && n <= last) {
          out.copy(all, i);
          break;
        }
      }
    }
    return out;
  }
}

/** Bytes of each value (`eth.dst[0:3]`, `ip.src[0]`), dropping values the ranges overrun. */
export class SliceNode implements ValueNode {
  readonly constant = false;
  private readonly out = new ValueList();
  private readonly arena = new ByteArena();
  private readonly view: ByteView = { buf: new Uint8Array(0), off: 0, len: 0 };

  constructor(
    readonly type: FilterType,
    private readonly child: ValueNode,
    private readonly ranges: readonly RangeSpec[],
  ) {}

  eval(fv: FrameValues): ValueList {
    const src = this.child.eval(fv);
    const out = this.out;
    const arena = this.arena;
    const view = this.view;
    const ranges = this.ranges;
    out.count = 0;
    arena.pos = 0;
    next: for (let i = 0; i < src.count; i++) {
      viewBytes(src, i, this.child.type, arena, view);
      const { buf, off, len } = view;
      let total = 0;
      for (const r of ranges) {
        const n = rangeLength(r, len);
        if (n < 0) continue next;
        total += n;
      }
      if (ranges.length === 1) {
        out.pushBytes(buf, off + rangeStart(ranges[0], len), total, src.layers[i], total);
        continue;
      }
      const at = arena.take(total);
      let to = at;
      for (const r of ranges) {
        const from = off + rangeStart(r, len);
        const n = rangeLength(r, len);
        arena.buf.set(buf.subarray(from, from + n), to);
        to += n;
      }
      out.pushBytes(arena.buf, at, total, src.layers[i], total);
    }
    return out;
  }
}

function rangeStart(r: RangeSpec, len: number): number {
  return r.start < 0 ? len + r.start : r.start;
}

/** How many bytes a range takes of a value of `len` bytes; -1 when it does not fit. */
function rangeLength(r: RangeSpec, len: number): number {
  const start = rangeStart(r, len);
  let n: number;
  if (r.end !== undefined) n = (r.end < 0 ? len + r.end : r.end) - start + 1;
  else n = r.length ?? len - start;
  return start < 0 || n <= 0 || start + n > len ? -1 : n;
}

/** Values converted to bytes, to be compared with a slice or byte string. */
export class ToBytesNode implements ValueNode {
  readonly constant: boolean;
  private readonly out = new ValueList();
  private readonly arena = new ByteArena();
  private readonly view: ByteView = { buf: new Uint8Array(0), off: 0, len: 0 };

  constructor(
    readonly type: FilterType,
    private readonly child: ValueNode,
  ) {
    this.constant = child.constant;
  }

  eval(fv: FrameValues): ValueList {
    const src = this.child.eval(fv);
    const out = this.out;
    out.count = 0;
    this.arena.pos = 0;
    for (let i = 0; i < src.count; i++) {
      viewBytes(src, i, this.child.type, this.arena, this.view);
      out.pushBytes(this.view.buf, this.view.off, this.view.len, src.layers[i], this.view.len);
      out.masks[out.count - 1] = src.masks[i];
    }
    return out;
  }
}

export type NumberOp = '+' | '-' | '*' | '/' | '%' | '&';

const TWO_32 = 2 ** 32;

function applyNumber(op: NumberOp, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      // Division by zero gives no value (tshark drops it).
      return y === 0 ? NaN : Math.trunc(x / y);
    case '%':
      return y === 0 ? NaN : x % y;
    case '&':
      if (x < TWO_32 && y < TWO_32 && x >= 0 && y >= 0) return (x & y) >>> 0;
      // MACs: 48 bits, in two halves.
      return (
        ((Math.floor(x / TWO_32) & Math.floor(y / TWO_32)) >>> 0) * TWO_32 +
        (((x % TWO_32) & (y % TWO_32)) >>> 0)
      );
  }
}

/** Arithmetic on every pair of values (`ip.ttl + ip.ttl` of a tunnel makes four values). */
export class NumberArithNode implements ValueNode {
  readonly constant: boolean;
  private readonly out = new ValueList();

  constructor(
    readonly type: FilterType,
    private readonly op: NumberOp,
    private readonly a: ValueNode,
    private readonly b: ValueNode,
  ) {
    this.constant = a.constant && b.constant;
  }

  eval(fv: FrameValues): ValueList {
    const A = this.a.eval(fv);
    const B = this.b.eval(fv);
    const out = this.out;
    out.count = 0;
    for (let i = 0; i < A.count; i++)
      for (let j = 0; j < B.count; j++) {
        const r = applyNumber(this.op, A.nums[i], B.nums[j]);
        if (!Number.isNaN(r)) out.pushNum(r, A.layers[i], A.sizes[i]);
      }
    return out;
  }
}

/** `&` of byte values (byte strings, IPv6 addresses), as long as the shorter. */
export class BytesAndNode implements ValueNode {
  readonly constant: boolean;
  private readonly out = new ValueList();
  private readonly arena = new ByteArena();

  constructor(
    readonly type: FilterType,
    private readonly a: ValueNode,
    private readonly b: ValueNode,
  ) {
    this.constant = a.constant && b.constant;
  }

  eval(fv: FrameValues): ValueList {
    const A = this.a.eval(fv);
    const B = this.b.eval(fv);
    const out = this.out;
    out.count = 0;
    this.arena.pos = 0;
    for (let i = 0; i < A.count; i++)
      for (let j = 0; j < B.count; j++) {
        const n = Math.min(A.lens[i], B.lens[j]);
        const at = this.arena.take(n);
        const buf = this.arena.buf;
        for (let k = 0; k < n; k++)
          buf[at + k] = A.bufs[i][A.offs[i] + k] & B.bufs[j][B.offs[j] + k];
        out.pushBytes(buf, at, n, A.layers[i], n);
      }
    return out;
  }
}

export class NegateNode implements ValueNode {
  readonly constant: boolean;
  private readonly out = new ValueList();

  constructor(
    readonly type: FilterType,
    private readonly child: ValueNode,
  ) {
    this.constant = child.constant;
  }

  eval(fv: FrameValues): ValueList {
    const src = this.child.eval(fv);
    const out = this.out;
    out.count = 0;
    for (let i = 0; i < src.count; i++) out.pushNum(-src.nums[i], src.layers[i], src.sizes[i]);
    return out;
  }
}

/** Signed values read as 64-bit unsigned ones (-1 is 2^64 - 1), to compare with an unsigned. */
export class UnsignedNode implements ValueNode {
  readonly constant: boolean;
  private readonly out = new ValueList();

  constructor(
    readonly type: FilterType,
    private readonly child: ValueNode,
  ) {
    this.constant = child.constant;
  }

  eval(fv: FrameValues): ValueList {
    const src = this.child.eval(fv);
    const out = this.out;
    out.count = 0;
    for (let i = 0; i < src.count; i++) {
      const v = src.nums[i];
      out.pushNum(v < 0 ? 2 ** 64 + v : v, src.layers[i], src.sizes[i]);
    }
    return out;
  }
}

/** `count(f)`: how many times the field occurs; no value when it does not (as tshark). */
export class CountNode implements ValueNode {
  readonly constant = false;
  private readonly out = new ValueList();

  constructor(
    readonly type: FilterType,
    private readonly child: ValueNode,
  ) {}

  eval(fv: FrameValues): ValueList {
    const n = this.child.eval(fv).count;
    this.out.count = 0;
    if (n > 0) this.out.pushNum(n, -1, 4);
    return this.out;
  }
}

/**
 * `len(f)`: the length of each value, in bytes: a byte string's, a protocol's, an address's;
 * for a number, the bytes it covers in the packet; 0 for a boolean (as tshark 4.0 says).
 */
export class LengthNode implements ValueNode {
  readonly constant = false;
  private readonly out = new ValueList();

  constructor(
    readonly type: FilterType,
    private readonly child: ValueNode,
  ) {}

  eval(fv: FrameValues): ValueList {
    const src = this.child.eval(fv);
    const rep = this.child.type.rep;
    const bool = this.child.type.cls === 'bool';
    const out = this.out;
    out.count = 0;
    for (let i = 0; i < src.count; i++) {
      const n =
        rep === 'bytes'
          ? src.lens[i]
          : rep === 'str'
            ? Buffer.byteLength(src.strs[i], 'utf8')
            : bool
              ? 0
              : src.sizes[i];
      out.pushNum(n, src.layers[i], 4);
    }
    return out;
  }
}

/** A function of one string (or one value made a string): `lower()`, `upper()`, `string()`. */
export class StringFunctionNode implements ValueNode {
  readonly constant = false;
  private readonly out = new ValueList();

  constructor(
    readonly type: FilterType,
    private readonly child: ValueNode,
    private readonly fn: (list: ValueList, i: number) => string,
  ) {}

  eval(fv: FrameValues): ValueList {
    const src = this.child.eval(fv);
    const out = this.out;
    out.count = 0;
    for (let i = 0; i < src.count; i++) out.pushStr(this.fn(src, i), src.layers[i], src.sizes[i]);
    return out;
  }
}

/** `max(…)`, `min(…)`: the largest or smallest of all values of all arguments. */
export class ExtremeNode implements ValueNode {
  readonly constant = false;
  private readonly out = new ValueList();

  constructor(
    readonly type: FilterType,
    private readonly args: readonly ValueNode[],
    private readonly largest: boolean,
  ) {}

  eval(fv: FrameValues): ValueList {
    let best = NaN;
    for (const arg of this.args) {
      const list = arg.eval(fv);
      for (let i = 0; i < list.count; i++) {
        const v = list.nums[i];
        if (Number.isNaN(best) || (this.largest ? v > best : v < best)) best = v;
      }
    }
    this.out.count = 0;
    if (!Number.isNaN(best)) this.out.pushNum(best, -1, this.type.size);
    return this.out;
  }
}

export class AbsNode implements ValueNode {
  readonly constant = false;
  private readonly out = new ValueList();

  constructor(
    readonly type: FilterType,
    private readonly child: ValueNode,
  ) {}

  eval(fv: FrameValues): ValueList {
    const src = this.child.eval(fv);
    const out = this.out;
    out.count = 0;
    for (let i = 0; i < src.count; i++)
      out.pushNum(Math.abs(src.nums[i]), src.layers[i], src.sizes[i]);
    return out;
  }
}

/** How two values compare: as numbers, byte strings or strings. */
export type CompareKind = 'num' | 'bytes' | 'str';

/**
 * -1, 0 or 1 as A[i] sorts before, with or after B[j]; NaN when they cannot be ordered. A
 * prefix length on B (a CIDR constant) compares only the network part of both.
 */
function compareAt(kind: CompareKind, A: ValueList, i: number, B: ValueList, j: number): number {
  if (kind === 'num') {
    let x = A.nums[i];
    let y = B.nums[j];
    const m = B.masks[j];
    if (m >= 0) {
      const d = 2 ** (32 - m);
      x = Math.floor(x / d);
      y = Math.floor(y / d);
    }
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (kind === 'str') {
    const x = A.strs[i];
    const y = B.strs[j];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const xb = A.bufs[i];
  const yb = B.bufs[j];
  const xo = A.offs[i];
  const yo = B.offs[j];
  let xl = A.lens[i];
  let yl = B.lens[j];
  const m = B.masks[j];
  if (m >= 0) {
    const whole = m >>> 3;
    for (let k = 0; k < whole; k++) {
      const d = xb[xo + k] - yb[yo + k];
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    const bits = m & 7;
    if (bits === 0) return 0;
    const mask = (0xff << (8 - bits)) & 0xff;
    const d = (xb[xo + whole] & mask) - (yb[yo + whole] & mask);
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  }
  const n = Math.min(xl, yl);
  for (let k = 0; k < n; k++) {
    const d = xb[xo + k] - yb[yo + k];
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  xl -= n;
  yl -= n;
  return xl < yl ? -1 : xl > yl ? 1 : 0;
}

function holds(op: CompareOp, c: number): boolean {
  switch (op) {
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    default:
      return c === 0;
  }
}

export class ComparePredicate implements Predicate {
  constructor(
    private readonly op: CompareOp,
    private readonly kind: CompareKind,
    private readonly a: ValueNode,
    private readonly b: ValueNode,
  ) {}

  test(fv: FrameValues): boolean {
    const A = this.a.eval(fv);
    if (A.count === 0) return false;
    const B = this.b.eval(fv);
    if (B.count === 0) return false;
    const kind = this.kind;
    switch (this.op) {
      case '!=':
        // all_ne: no pair is equal.
        for (let i = 0; i < A.count; i++)
          for (let j = 0; j < B.count; j++) if (compareAt(kind, A, i, B, j) === 0) return false;
        return true;
      case '===':
        for (let i = 0; i < A.count; i++)
          for (let j = 0; j < B.count; j++) if (compareAt(kind, A, i, B, j) !== 0) return false;
        return true;
      case '!==':
        for (let i = 0; i < A.count; i++)
          for (let j = 0; j < B.count; j++) if (compareAt(kind, A, i, B, j) !== 0) return true;
        return false;
      default:
        for (let i = 0; i < A.count; i++)
          for (let j = 0; j < B.count; j++)
            if (holds(this.op, compareAt(kind, A, i, B, j))) return true;
        return false;
    }
  }
}

/**
 * A number field against one number, the commonest filter (`igmp.version == 3`, `ip.src ==
 * 10.0.0.0/16`): a loop over the field's values, no call per pair.
 */
export class NumberConstantPredicate implements Predicate {
  private readonly value: number;
  private readonly divisor: number;

  constructor(
    private readonly op: CompareOp,
    private readonly a: ValueNode,
    constant: ValueList,
  ) {
    const m = constant.masks[0];
    this.divisor = m >= 0 ? 2 ** (32 - m) : 1;
    this.value = m >= 0 ? Math.floor(constant.nums[0] / this.divisor) : constant.nums[0];
  }

  test(fv: FrameValues): boolean {
    const A = this.a.eval(fv);
    const n = A.count;
    if (n === 0) return false;
    const nums = A.nums;
    const d = this.divisor;
    const y = this.value;
    switch (this.op) {
      case '==':
        for (let i = 0; i < n; i++)
          if ((d === 1 ? nums[i] : Math.floor(nums[i] / d)) === y) return true;
        return false;
      case '!=':
        for (let i = 0; i < n; i++)
          if ((d === 1 ? nums[i] : Math.floor(nums[i] / d)) === y) return false;
        return true;
      case '===':
        for (let i = 0; i < n; i++)
          if ((d === 1 ? nums[i] : Math.floor(nums[i] / d)) !== y) return false;
        return true;
      case '!==':
        for (let i = 0; i < n; i++)
          if ((d === 1 ? nums[i] : Math.floor(nums[i] / d)) !== y) return true;
        return false;
      default:
        for (let i = 0; i < n; i++) {
          const x = d === 1 ? nums[i] : Math.floor(nums[i] / d);
          if (holds(this.op, x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN)) return true;
        }
        return false;
    }
  }
}

/** `x in {a, b, c..d}`: any value equal to a member or within a range. */
export class InPredicate implements Predicate {
  constructor(
    private readonly kind: CompareKind,
    private readonly a: ValueNode,
    private readonly members: readonly { low: ValueNode; high: ValueNode | undefined }[],
  ) {}

  test(fv: FrameValues): boolean {
    const A = this.a.eval(fv);
    if (A.count === 0) return false;
    const kind = this.kind;
    for (const m of this.members) {
      const L = m.low.eval(fv);
      if (m.high === undefined) {
        for (let i = 0; i < A.count; i++)
          for (let j = 0; j < L.count; j++) if (compareAt(kind, A, i, L, j) === 0) return true;
        continue;
      }
      const H = m.high.eval(fv);
      for (let i = 0; i < A.count; i++)
        for (let j = 0; j < L.count; j++) {
          if (!(compareAt(kind, A, i, L, j) >= 0)) continue;
          for (let k = 0; k < H.count; k++) if (compareAt(kind, A, i, H, k) <= 0) return true;
        }
    }
    return false;
  }
}

/** `contains`: any value holding any of the other side's as a run of bytes (or substring). */
export class ContainsPredicate implements Predicate {
  constructor(
    private readonly strings: boolean,
    private readonly a: ValueNode,
    private readonly b: ValueNode,
  ) {}

  test(fv: FrameValues): boolean {
    const A = this.a.eval(fv);
    if (A.count === 0) return false;
    const B = this.b.eval(fv);
    for (let i = 0; i < A.count; i++)
      for (let j = 0; j < B.count; j++) {
        if (this.strings) {
          if (A.strs[i].includes(B.strs[j])) return true;
        } else if (containsBytes(A.bufs[i], A.offs[i], A.lens[i], B.bufs[j], B.offs[j], B.lens[j]))
          return true;
      }
    return false;
  }
}

function containsBytes(
  h: Uint8Array,
  ho: number,
  hl: number,
  n: Uint8Array,
  no: number,
  nl: number,
): boolean {
  outer: for (let i = 0; i + nl <= hl; i++) {
    for (let k = 0; k < nl; k++) if (h[ho + i + k] !== n[no + k]) continue outer;
    return true;
  }
  return false;
}

/** `matches`: any value the regular expression finds a match in. */
export class MatchesPredicate implements Predicate {
  constructor(
    private readonly strings: boolean,
    private readonly a: ValueNode,
    private readonly regex: RegExp,
  ) {}

  test(fv: FrameValues): boolean {
    const A = this.a.eval(fv);
    for (let i = 0; i < A.count; i++) {
      // Bytes are matched one char per byte, as PCRE matches them without UTF mode.
      const text = this.strings
        ? A.strs[i]
        : Buffer.from(A.bufs[i].buffer, A.bufs[i].byteOffset + A.offs[i], A.lens[i]).toString(
            'latin1',
          );
      if (this.regex.test(text)) return true;
    }
    return false;
  }
}

/** A field, protocol or slice on its own: it is there. */
export class ExistsPredicate implements Predicate {
  constructor(private readonly a: ValueNode) {}

  test(fv: FrameValues): boolean {
    return this.a.eval(fv).count > 0;
  }
}

/** Arithmetic on its own (`igmp.type & 0x10`): some value is not zero. */
export class NonZeroPredicate implements Predicate {
  constructor(private readonly a: ValueNode) {}

  test(fv: FrameValues): boolean {
    const A = this.a.eval(fv);
    if (this.a.type.rep !== 'num') return A.count > 0;
    for (let i = 0; i < A.count; i++) if (A.nums[i] !== 0) return true;
    return false;
  }
}

export class AndPredicate implements Predicate {
  constructor(
    private readonly a: Predicate,
    private readonly b: Predicate,
  ) {}

  test(fv: FrameValues): boolean {
    return this.a.test(fv) && this.b.test(fv);
  }
}

export class OrPredicate implements Predicate {
  constructor(
    private readonly a: Predicate,
    private readonly b: Predicate,
  ) {}

  test(fv: FrameValues): boolean {
    return this.a.test(fv) || this.b.test(fv);
  }
}

export class NotPredicate implements Predicate {
  constructor(private readonly a: Predicate) {}

  test(fv: FrameValues): boolean {
    return !this.a.test(fv);
  }
}

export const TRUE_PREDICATE: Predicate = { test: () => true };
