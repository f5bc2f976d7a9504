/**
 * Wireshark's display-filter language (as tshark 4.0 means it), compiled into a predicate
 * over what a FilterCollector gathered of a frame. Names are resolved against the field
 * registry; each literal is read as the type it is compared with; mistakes are reported as
 * tshark reports them, with the place they are at.
 */
import type { FieldDef } from '../fields.js';
import { FilterSyntaxError, type FilterError } from './errors.js';
import {
  AbsNode,
  AndPredicate,
  BytesAndNode,
  ComparePredicate,
  ConstNode,
  ContainsPredicate,
  CountNode,
  ExistsPredicate,
  ExtremeNode,
  FieldNode,
  InPredicate,
  LengthNode,
  MatchesPredicate,
  NegateNode,
  NonZeroPredicate,
  NotPredicate,
  NumberArithNode,
  NumberConstantPredicate,
  OrPredicate,
  SliceNode,
  StringFunctionNode,
  ToBytesNode,
  TRUE_PREDICATE,
  UnsignedNode,
  type CompareKind,
  type NumberOp,
  type Predicate,
  type ValueNode,
} from './eval.js';
import { addLiteral, bytesLiteral, type Literal, type Target } from './literals.js';
import { lookupName, TYPES, type FieldRef, type FilterType, type TypeClass } from './names.js';
import { parseFilter, type Expr, type Span, type Value } from './parser.js';
import { translateRegex } from './regex.js';
import { FrameValues, ValueList } from './values.js';

export interface CompiledFilter {
  /** The filter as written. */
  readonly text: string;
  /** The names the filter uses, in slot order: FrameValues holds one list per name. */
  readonly refs: readonly FieldRef[];
  /** Every FieldDef whose values the filter needs (a collector records only these). */
  readonly fields: ReadonlySet<FieldDef>;
  /** The protocols the filter names (`igmp`, `vxlan`, `frame`). */
  readonly protocols: ReadonlySet<string>;
  /** Whether a frame, as its collector gathered it, passes. */
  test(values: FrameValues): boolean;
  /** Empty storage for one frame's values, laid out as this filter needs. */
  newValues(): FrameValues;
}

/** Compiles a filter; what is wrong with it when it is not one. */
export function compileFilter(text: string): CompiledFilter | FilterError {
  try {
    const expr = parseFilter(text);
    const compiler = new Compiler(text);
    const predicate = expr === undefined ? TRUE_PREDICATE : compiler.predicate(expr);
    return compiler.finish(predicate);
  } catch (e) {
    if (e instanceof FilterSyntaxError)
      return { message: e.message, start: e.start, length: e.length };
    throw e;
  }
}

/** A compiled filter, or throws an Error with tshark's message (for library use and tests). */
export function compileFilterOrThrow(text: string): CompiledFilter {
  const result = compileFilter(text);
  if ('test' in result) return result;
  throw new Error(result.message);
}

/** The functions of tshark 4.0's filter language and how many arguments each takes. */
const FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = {
  count: [1, 1],
  len: [1, 1],
  lower: [1, 1],
  upper: [1, 1],
  string: [1, 1],
  max: [1, Infinity],
  min: [1, Infinity],
  abs: [1, 1],
};

function fail(message: string, span: Span): never {
  throw new FilterSyntaxError(message, span.start, span.end - span.start);
}

function isNumeric(cls: TypeClass): boolean {
  return cls === 'uint' || cls === 'int' || cls === 'float';
}

function isByteString(cls: TypeClass): boolean {
  return cls === 'bytes' || cls === 'protocol';
}

/** What can be compared with what: the same kind, numbers with numbers, anything as bytes. */
function compatible(x: FilterType, y: FilterType): boolean {
  if (x.cls === y.cls) return true;
  if (isNumeric(x.cls) && isNumeric(y.cls)) return true;
  const asBytes = (c: TypeClass): boolean =>
    isByteString(c) || c === 'ether' || c === 'ipv4' || c === 'ipv6' || c === 'string';
  return (isByteString(x.cls) && asBytes(y.cls)) || (isByteString(y.cls) && asBytes(x.cls));
}

/** Refuses a function tshark does not have, or too few or too many arguments. */
function checkArity(v: Extract<Value, { t: 'call' }>): void {
  const arity = FUNCTIONS[v.name];
  if (arity === undefined) fail(`Function '${v.name}' does not exist`, v.nameSpan);
  const [min, max] = arity;
  if (v.args.length < min) fail(`Function ${v.name} needs at least ${min} arguments.`, v.nameSpan);
  if (v.args.length > max) fail(`Function ${v.name} can only accept ${max} arguments.`, v.nameSpan);
}

/** A value that is a literal: a word the registry does not know, a string, a character. */
function literalOf(v: Value): Literal | undefined {
  if (v.t === 'word') return lookupName(v.text) === undefined ? v : undefined;
  if (v.t === 'string' || v.t === 'char') return v;
  return undefined;
}

/** Holds no field, protocol or function: the same in every frame. */
function isConstant(v: Value): boolean {
  switch (v.t) {
    case 'word':
    case 'string':
    case 'char':
      return literalOf(v) !== undefined;
    case 'arith':
      return isConstant(v.a) && isConstant(v.b);
    case 'neg':
    case 'group':
      return isConstant(v.v);
    case 'slice':
      return isConstant(v.v);
    case 'call':
      return false;
  }
}

/** A compiled value and what a literal compared with it is read as. */
interface Typed {
  readonly node: ValueNode;
  readonly target: Target;
}

class Compiler {
  private readonly refs: FieldRef[] = [];
  private readonly slots = new Map<FieldRef, number>();

  constructor(private readonly text: string) {}

  finish(predicate: Predicate): CompiledFilter {
    const refs = this.refs;
    const fields = new Set<FieldDef>();
    const protocols = new Set<string>();
    for (const ref of refs) {
      if (ref.protocol) protocols.add(ref.name);
      for (const def of ref.defs) fields.add(def);
    }
    return {
      text: this.text,
      refs,
      fields,
      protocols,
      test: (values) => {
        values.prepare();
        return predicate.test(values);
      },
      newValues: () => new FrameValues(refs),
    };
  }

  private source(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  private slot(ref: FieldRef): number {
    let slot = this.slots.get(ref);
    if (slot === undefined) {
      slot = this.refs.length;
      this.refs.push(ref);
      this.slots.set(ref, slot);
    }
    return slot;
  }

  predicate(e: Expr): Predicate {
    switch (e.t) {
      case 'and':
        return new AndPredicate(this.predicate(e.a), this.predicate(e.b));
      case 'or':
        return new OrPredicate(this.predicate(e.a), this.predicate(e.b));
      case 'not':
        return new NotPredicate(this.predicate(e.a));
      case 'test':
        return this.test(e.v);
      case 'compare':
        return this.compare(e);
      case 'in':
        return this.membership(e);
    }
  }

  /** A value on its own: a field or protocol that is there, arithmetic that is not zero. */
  private test(v: Value): Predicate {
    const lit = literalOf(v);
    if (lit !== undefined) fail(`${lit.text} is neither a field nor a protocol name.`, v.span);
    if (v.t === 'call') {
      // The function and its arity are checked first, its arguments after (as tshark).
      checkArity(v);
      fail('You cannot test whether a function is present.', v.nameSpan);
    }
    if (isConstant(v)) fail('Constant arithmetic expression on the LHS is invalid.', v.span);
    const typed = this.value(v, undefined);
    if (v.t === 'word' || v.t === 'slice') return new ExistsPredicate(typed.node);
    return new NonZeroPredicate(typed.node);
  }

  /** The left side of a comparison or set: a field, protocol, slice, function or arithmetic. */
  private left(v: Value, written: string): Typed {
    const lit = literalOf(v);
    if (lit !== undefined)
      fail(
        `Left side of "${written}" expression must be a field or function, not ${lit.text}.`,
        v.span,
      );
    if (isConstant(v)) fail('Constant arithmetic expression on the LHS is invalid.', v.span);
    if (v.t === 'arith' && isConstant(v.a))
      fail('Constant arithmetic expression on the LHS is invalid.', v.a.span);
    return this.value(v, undefined);
  }

  private compare(e: Extract<Expr, { t: 'compare' }>): Predicate {
    const a = this.left(e.a, e.written);
    const type = a.node.type;
    const participate = (): never =>
      fail(
        `${this.source(e.a.span)} (type=${type.description}) cannot participate in ${e.written} comparison.`,
        e.a.span,
      );
    if (type.cls === 'none') participate();
    if (e.op === 'matches') {
      if (!this.searchable(type)) participate();
      if (e.b.t !== 'string')
        fail('Matches requires a double quoted string on the right side.', e.b.span);
      const strings = type.rep === 'str';
      const regex = translateRegex(e.b.bytes, strings);
      if (typeof regex === 'string')
        fail(`Regex compilation error: ${regex}.`, { start: e.b.span.start, end: e.b.span.start });
      return new MatchesPredicate(strings, strings ? a.node : this.asBytes(a.node), regex);
    }
    if (e.op === 'contains') {
      if (!this.searchable(type)) participate();
      const strings = type.rep === 'str';
      const lit = literalOf(e.b);
      let b: ValueNode;
      if (lit !== undefined) {
        if (strings) b = this.value(e.b, a.target).node;
        else {
          const bytes = bytesLiteral(lit, type, type.cls === 'ether');
          const list = new ValueList();
          list.pushBytes(bytes, 0, bytes.length, -1, bytes.length);
          b = new ConstNode(TYPES.bytes, list);
        }
      } else {
        b = this.right(e.a, a, e.b).node;
        if (strings && b.type.rep !== 'str') b = this.asBytes(b);
      }
      if (strings && b.type.rep === 'str') return new ContainsPredicate(true, a.node, b);
      return new ContainsPredicate(false, this.asBytes(a.node), this.asBytes(b));
    }
    const b = this.right(e.a, a, e.b);
    const [kind, x, y] = this.comparable(a.node, b.node);
    if (kind === 'num' && y instanceof ConstNode && y.list.count === 1 && !(x instanceof ConstNode))
      return new NumberConstantPredicate(e.op, x, y.list);
    return new ComparePredicate(e.op, kind, x, y);
  }

  /** Whether `contains` and `matches` apply: byte strings, protocols, MACs and strings. */
  private searchable(type: FilterType): boolean {
    return isByteString(type.cls) || type.cls === 'ether' || type.cls === 'string';
  }

  /** The right side of a comparison: a literal read as the left side's type, or a value. */
  private right(leftSpan: Value, left: Typed, v: Value): Typed {
    if (isConstant(v)) return this.value(v, left.target);
    const b = this.value(v, left.target);
    if (!compatible(left.node.type, b.node.type))
      fail(
        `${this.source(leftSpan.span)} and ${this.source(v.span)} are not of compatible types.`,
        v.span,
      );
    return b;
  }

  /** How two values compare, converting them to bytes where one is a byte string. */
  private comparable(a: ValueNode, b: ValueNode): [CompareKind, ValueNode, ValueNode] {
    const ta = a.type;
    const tb = b.type;
    if (ta.rep === 'num' && tb.rep === 'num' && !isByteString(ta.cls) && !isByteString(tb.cls))
      // A signed value compared with an unsigned field is read as unsigned, as Wireshark
      // compares in the left side's type: `igmp.version > -1` holds for no frame.
      return ['num', a, ta.cls === 'uint' && tb.cls === 'int' ? new UnsignedNode(ta, b) : b];
    if (ta.rep === 'str' && tb.rep === 'str') return ['str', a, b];
    return ['bytes', this.asBytes(a), this.asBytes(b)];
  }

  private asBytes(node: ValueNode): ValueNode {
    return node.type.rep === 'bytes' ? node : new ToBytesNode(TYPES.bytes, node);
  }

  private membership(e: Extract<Expr, { t: 'in' }>): Predicate {
    const v = e.a;
    // A field or protocol, not a slice of one (tshark 4.0 refuses `eth.dst[0:3] in {…}`).
    const field = v.t === 'word' && lookupName(v.text) !== undefined;
    if (!field)
      fail(
        'Only a field may be tested for membership in a set.',
        // tshark points at a function's name, and nowhere for a slice.
        v.t === 'call'
          ? v.nameSpan
          : v.t === 'slice'
            ? { start: v.span.start, end: v.span.start }
            : v.span,
      );
    const a = this.value(v, undefined);
    if (a.node.type.cls === 'none')
      fail(
        `${this.source(v.span)} (type=${a.node.type.description}) cannot participate in in comparison.`,
        v.span,
      );
    const members = e.members.map((m) => ({
      low: this.right(v, a, m.low).node,
      high: m.high === undefined ? undefined : this.right(v, a, m.high).node,
    }));
    const bytes = members.some(
      (m) =>
        this.comparable(a.node, m.low)[0] === 'bytes' ||
        (m.high !== undefined && this.comparable(a.node, m.high)[0] === 'bytes'),
    );
    const kind: CompareKind = bytes ? 'bytes' : a.node.type.rep === 'str' ? 'str' : 'num';
    // Each member as comparable() makes it (bytes, or read as unsigned beside an unsigned).
    const conv = (n: ValueNode): ValueNode =>
      kind === 'bytes' ? this.asBytes(n) : this.comparable(a.node, n)[2];
    const p = new InPredicate(
      kind,
      kind === 'bytes' ? this.asBytes(a.node) : a.node,
      members.map((m) => ({
        low: conv(m.low),
        high: m.high === undefined ? undefined : conv(m.high),
      })),
    );
    return e.negated ? new NotPredicate(p) : p;
  }

  /**
   * Compiles a value. `expected` is the type a literal in it is read as (the other side of a
   * comparison); undefined where the value must name a field itself.
   */
  private value(v: Value, expected: Target | undefined): Typed {
    switch (v.t) {
      case 'word': {
        const ref = lookupName(v.text);
        if (ref !== undefined) {
          const node = new FieldNode(ref.type, this.slot(ref), v.layers);
          return { node, target: { type: ref.type, names: ref.names, name: ref.name } };
        }
        return this.literal(v, expected);
      }
      case 'string':
      case 'char':
        return this.literal(v, expected);
      case 'group':
        return this.value(v.v, expected);
      case 'slice': {
        if (literalOf(v.v) !== undefined)
          fail(`${this.source(v.v.span)} is neither a field nor a protocol name.`, v.v.span);
        const child = this.value(v.v, undefined).node;
        const t = child.type;
        if (t.rep === 'none' || isNumeric(t.cls) || t.cls === 'bool')
          fail(
            `"${this.source(v.v.span)}" is a ${t.description} and cannot be sliced into a sequence of bytes.`,
            v.v.span,
          );
        const node = new SliceNode(TYPES.bytes, child, v.ranges);
        return { node, target: { type: TYPES.bytes, names: undefined, name: this.source(v.span) } };
      }
      case 'neg': {
        const inner = this.value(v.v, expected);
        const t = inner.node.type;
        if (!isNumeric(t.cls)) fail(`${t.ftName} cannot -.`, v.v.span);
        // Negating an unsigned value makes a signed one (tshark 4.0: `-igmp.version == -3`
        // holds); compared with an unsigned field it wraps around (see comparable()).
        const type = t.cls === 'uint' ? TYPES.i64 : t;
        const node = new NegateNode(type, inner.node);
        const target = { type, names: undefined, name: inner.target.name };
        return this.fold({ node, target });
      }
      case 'arith':
        return this.arithmetic(v, expected);
      case 'call':
        return this.call(v);
    }
  }

  private literal(lit: Literal, expected: Target | undefined): Typed {
    // A literal where a field must be: tshark names the word as neither.
    if (expected === undefined)
      fail(`${lit.text} is neither a field nor a protocol name.`, lit.span);
    const list = new ValueList();
    addLiteral(lit, expected, list);
    return { node: new ConstNode(expected.type, list), target: expected };
  }

  private arithmetic(v: Extract<Value, { t: 'arith' }>, expected: Target | undefined): Typed {
    // The side that names a field decides what a literal on the other side is; the operator
    // is checked against it before the other side is read (tshark: `FT_IPv4 cannot +.`).
    const op = v.op as NumberOp;
    const check = (side: Typed, span: Span): void => {
      const t = side.node.type;
      if (op === '&') {
        if (!(isNumeric(t.cls) || t.cls === 'ipv4' || t.cls === 'ether' || t.rep === 'bytes'))
          fail(`${t.ftName} cannot &.`, span);
      } else if (!isNumeric(t.cls)) fail(`${t.ftName} cannot ${op}.`, span);
    };
    let a: Typed;
    let b: Typed;
    if (!isConstant(v.a) || isConstant(v.b)) {
      a = this.value(v.a, expected);
      check(a, v.a.span);
      b = this.value(v.b, a.target);
    } else {
      b = this.value(v.b, expected);
      check(b, v.b.span);
      a = this.value(v.a, b.target);
    }
    const t = a.node.type;
    if (!compatible(t, b.node.type))
      fail(
        `${this.source(v.a.span)} and ${this.source(v.b.span)} are not of compatible types.`,
        v.b.span,
      );
    // Integer arithmetic is signed (tshark 4.0: `ip.ttl - 2 == -1` holds for a TTL of 1);
    // `&` keeps the type.
    const type = op !== '&' && (t.cls === 'uint' || t.cls === 'int') ? TYPES.i64 : t;
    const node =
      t.rep === 'bytes'
        ? new BytesAndNode(t, a.node, this.asBytes(b.node))
        : new NumberArithNode(type, op, a.node, b.node);
    return this.fold({ node, target: { type, names: undefined, name: a.target.name } });
  }

  /** Works out a value without fields once, at compile time. */
  private fold(typed: Typed): Typed {
    if (!typed.node.constant) return typed;
    const computed = typed.node.eval(new FrameValues([]));
    const list = new ValueList();
    for (let i = 0; i < computed.count; i++) list.copy(computed, i);
    return { node: new ConstNode(typed.node.type, list), target: typed.target };
  }

  private call(v: Extract<Value, { t: 'call' }>): Typed {
    const arity = FUNCTIONS[v.name];
    if (arity === undefined) fail(`Function '${v.name}' does not exist`, v.nameSpan);
    const [min, max] = arity;
    if (v.args.length < min)
      fail(`Function ${v.name} needs at least ${min} arguments.`, v.nameSpan);
    if (v.args.length > max)
      fail(`Function ${v.name} can only accept ${max} arguments.`, v.nameSpan);
    const u32 = TYPES.u32;
    const typed = (node: ValueNode): Typed => ({
      node,
      target: { type: node.type, names: undefined, name: this.source(v.span) },
    });
    const fieldArg = (): ValueNode => {
      const arg = v.args[0];
      if (arg.t !== 'word' || lookupName(arg.text) === undefined)
        // tshark shows no place for a slice here.
        fail(
          `Only fields can be used as parameter for ${v.name}()`,
          arg.t === 'slice' ? { start: arg.span.start, end: arg.span.start } : arg.span,
        );
      return this.value(arg, undefined).node;
    };
    switch (v.name) {
      case 'count':
        return typed(new CountNode(u32, fieldArg()));
      case 'len':
        return typed(new LengthNode(u32, fieldArg()));
      case 'lower':
      case 'upper': {
        const arg = this.value(v.args[0], undefined).node;
        if (arg.type.cls !== 'string')
          fail(`Only string type fields can be used as parameter for ${v.name}()`, v.args[0].span);
        const lower = v.name === 'lower';
        return typed(
          new StringFunctionNode(TYPES.string, arg, (list, i) =>
            lower ? list.strs[i].toLowerCase() : list.strs[i].toUpperCase(),
          ),
        );
      }
      case 'string': {
        const arg = fieldArg();
        const cls = arg.type.cls;
        const convertible =
          isNumeric(cls) || cls === 'ipv4' || cls === 'ipv6' || cls === 'ether' || cls === 'string';
        if (!convertible)
          fail(
            `String conversion for field "${this.source(v.args[0].span)}" is not supported`,
            v.args[0].span,
          );
        // Addresses keep the decoders' text beside their number or bytes.
        const asText = isNumeric(cls)
          ? (list: ValueList, i: number) => String(list.nums[i])
          : (list: ValueList, i: number) => list.strs[i];
        return typed(new StringFunctionNode(TYPES.string, arg, asText));
      }
      case 'max':
      case 'min': {
        const args = v.args.map((a) => this.value(a, undefined).node);
        const first = args[0].type;
        args.forEach((a, i) => {
          if (a.type.ftName !== first.ftName)
            fail(
              `Arguments to '${v.name}' must have the same type (expected ${first.ftName}, got ${a.type.ftName})`,
              v.args[i].span,
            );
        });
        if (first.rep !== 'num' || first.cls === 'bool')
          fail(`Argument to '${v.name}' cannot be a ${first.ftName}`, v.args[0].span);
        return typed(new ExtremeNode(first, args, v.name === 'max'));
      }
      default: {
        const arg = this.value(v.args[0], undefined).node;
        if (!isNumeric(arg.type.cls))
          fail(`Argument to 'abs' cannot be a ${arg.type.ftName}`, v.args[0].span);
        return typed(new AbsNode(arg.type, arg));
      }
    }
  }
}
