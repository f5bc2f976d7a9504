/**
 * The recursive-descent parser of tshark 4.0's display-filter grammar. Precedence, lowest
 * first, as tshark 4.0 binds it (checked by hand: `a || b && c` is `a || (b && c)`,
 * `x & 1 + 1` is `x & (1 + 1)`, `x == 1 & 1` is `x == (1 & 1)`):
 *
 *   or (`||`, `or`)  →  and (`&&`, `and`)  →  not (`!`, `not`)  →  comparison (chained:
 *   `a <= b <= c` is `a <= b && b <= c`), `in {…}`, `not in {…}`, `contains`, `matches`  →
 *   `&`  →  `+ -`  →  `* / %`  →  unary `-`  →  field, protocol, literal, function call,
 *   `{ arithmetic }`, each with an optional `#layer` and `[slice]`.
 *
 * Parentheses group logical expressions only (`(a) == 1` is an error to tshark too).
 */
import { FilterSyntaxError } from './errors.js';
import { Lexer, type Token } from './lexer.js';

export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * A byte range of a slice, or a range of layer numbers: from `start`, `length` items, or to
 * `end` inclusive. Negative offsets count from the end (slices only).
 */
export interface RangeSpec {
  readonly start: number;
  /** Undefined with `end` undefined: to the end. */
  readonly length: number | undefined;
  readonly end: number | undefined;
}

export type CompareOp =
  '==' | '!=' | '===' | '!==' | '>' | '>=' | '<' | '<=' | 'contains' | 'matches';
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&';

export type Expr =
  | { readonly t: 'or' | 'and'; readonly a: Expr; readonly b: Expr; readonly span: Span }
  | { readonly t: 'not'; readonly a: Expr; readonly span: Span }
  | {
      readonly t: 'compare';
      readonly op: CompareOp;
      /** The operator as written (`eq`, `==`, `~`), for messages. */
      readonly written: string;
      readonly a: Value;
      readonly b: Value;
      readonly span: Span;
    }
  | {
      readonly t: 'in';
      readonly a: Value;
      readonly members: readonly SetMember[];
      readonly negated: boolean;
      readonly span: Span;
    }
  | { readonly t: 'test'; readonly v: Value; readonly span: Span };

export interface SetMember {
  readonly low: Value;
  /** The upper end of a range `low..high`. */
  readonly high: Value | undefined;
}

export type Value =
  /** A bare word: a field or protocol when the registry knows it, else a literal. */
  | {
      readonly t: 'word';
      readonly text: string;
      readonly span: Span;
      readonly layers: readonly RangeSpec[] | undefined;
    }
  | {
      readonly t: 'string';
      readonly text: string;
      readonly bytes: string;
      readonly raw: boolean;
      readonly span: Span;
    }
  | { readonly t: 'char'; readonly text: string; readonly code: number; readonly span: Span }
  | {
      readonly t: 'slice';
      readonly v: Value;
      readonly ranges: readonly RangeSpec[];
      readonly span: Span;
      readonly rangeSpan: Span;
    }
  | {
      readonly t: 'call';
      readonly name: string;
      readonly args: readonly Value[];
      readonly span: Span;
      readonly nameSpan: Span;
    }
  | {
      readonly t: 'arith';
      readonly op: ArithOp;
      readonly a: Value;
      readonly b: Value;
      readonly span: Span;
    }
  | { readonly t: 'neg'; readonly v: Value; readonly span: Span }
  | { readonly t: 'group'; readonly v: Value; readonly span: Span };

const COMPARE_OPS = new Set([
  '==',
  '!=',
  '===',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  'contains',
  'matches',
]);

/** Parses a filter; undefined for an empty one (tshark then shows every frame). */
export function parseFilter(text: string): Expr | undefined {
  const p = new Parser(new Lexer(text));
  if (p.lexer.peek().kind === 'eof') return undefined;
  const e = p.or();
  p.expectEnd();
  return e;
}

function span(a: Span, b: Span): Span {
  return { start: a.start, end: b.end };
}

class Parser {
  constructor(readonly lexer: Lexer) {}

  private unexpected(t: Token): never {
    if (t.kind === 'eof')
      throw new FilterSyntaxError('Unexpected end of filter expression.', t.start, 0);
    throw new FilterSyntaxError(
      `"${t.text}" was unexpected in this context.`,
      t.start,
      t.end - t.start,
    );
  }

  private isOp(t: Token, ...ops: string[]): boolean {
    return t.kind === 'op' && ops.includes(t.value);
  }

  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.value === p;
  }

  private expectPunct(p: string): Token {
    const t = this.lexer.next();
    if (!this.isPunct(t, p)) this.unexpected(t);
    return t;
  }

  expectEnd(): void {
    const t = this.lexer.peek();
    if (t.kind !== 'eof') this.unexpected(t);
  }

  or(): Expr {
    let a = this.and();
    while (this.isOp(this.lexer.peek(), '||')) {
      this.lexer.next();
      const b = this.and();
      a = { t: 'or', a, b, span: span(a.span, b.span) };
    }
    return a;
  }

  private and(): Expr {
    let a = this.unary();
    while (this.isOp(this.lexer.peek(), '&&')) {
      this.lexer.next();
      const b = this.unary();
      a = { t: 'and', a, b, span: span(a.span, b.span) };
    }
    return a;
  }

  private unary(): Expr {
    const t = this.lexer.peek();
    if (this.isOp(t, '!')) {
      this.lexer.next();
      const a = this.unary();
      return { t: 'not', a, span: span(t, a.span) };
    }
    if (this.isPunct(t, '(')) {
      this.lexer.next();
      const e = this.or();
      this.expectPunct(')');
      return e;
    }
    return this.relation();
  }

  private relation(): Expr {
    const first = this.arith();
    let left = first;
    let chain: Expr | undefined;
    for (;;) {
      const t = this.lexer.peek();
      if (t.kind !== 'op' || !COMPARE_OPS.has(t.value)) break;
      this.lexer.next();
      const right = this.arith();
      const cmp: Expr = {
        t: 'compare',
        op: t.value as CompareOp,
        written: t.text,
        a: left,
        b: right,
        span: span(left.span, right.span),
      };
      chain =
        chain === undefined
          ? cmp
          : { t: 'and', a: chain, b: cmp, span: span(chain.span, cmp.span) };
      left = right;
    }
    if (chain !== undefined) return chain;
    const t = this.lexer.peek();
    if (this.isOp(t, 'in')) {
      this.lexer.next();
      return this.set(first, false);
    }
    if (this.isOp(t, '!')) {
      // `not in`: the only place a `not` may follow a value.
      this.lexer.next();
      const inToken = this.lexer.next();
      if (!this.isOp(inToken, 'in')) this.unexpected(inToken);
      return this.set(first, true);
    }
    return { t: 'test', v: first, span: first.span };
  }

  private set(a: Value, negated: boolean): Expr {
    this.expectPunct('{');
    const members: SetMember[] = [];
    for (;;) {
      const low = this.arith();
      let high: Value | undefined;
      if (this.isPunct(this.lexer.peek(), '..')) {
        this.lexer.next();
        high = this.arith();
      }
      members.push({ low, high });
      const t = this.lexer.next();
      if (this.isPunct(t, '}')) return { t: 'in', a, members, negated, span: span(a.span, t) };
      // Members are separated by commas in 4.0 (`{5 6}` is refused).
      if (!this.isPunct(t, ',')) this.unexpected(t);
    }
  }

  private arith(): Value {
    let a = this.additive();
    while (this.isOp(this.lexer.peek(), '&')) {
      this.lexer.next();
      const b = this.additive();
      a = { t: 'arith', op: '&', a, b, span: span(a.span, b.span) };
    }
    return a;
  }

  private additive(): Value {
    let a = this.multiplicative();
    for (;;) {
      const t = this.lexer.peek();
      if (!this.isOp(t, '+', '-')) return a;
      this.lexer.next();
      const b = this.multiplicative();
      a = { t: 'arith', op: t.value as ArithOp, a, b, span: span(a.span, b.span) };
    }
  }

  private multiplicative(): Value {
    let a = this.negation();
    for (;;) {
      const t = this.lexer.peek();
      if (!this.isOp(t, '*', '/', '%')) return a;
      this.lexer.next();
      const b = this.negation();
      a = { t: 'arith', op: t.value as ArithOp, a, b, span: span(a.span, b.span) };
    }
  }

  private negation(): Value {
    const t = this.lexer.peek();
    if (this.isOp(t, '-')) {
      this.lexer.next();
      const v = this.negation();
      return { t: 'neg', v, span: span(t, v.span) };
    }
    return this.primary();
  }

  private primary(): Value {
    const t = this.lexer.next();
    let v: Value;
    if (this.isPunct(t, '{')) {
      const inner = this.arith();
      const close = this.expectPunct('}');
      return { t: 'group', v: inner, span: span(t, close) };
    } else if (t.kind === 'word') {
      if (this.isPunct(this.lexer.peek(), '(')) {
        v = this.call(t);
      } else {
        let layers: RangeSpec[] | undefined;
        let end: Span = t;
        if (this.isPunct(this.lexer.peek(), '#')) {
          this.lexer.next();
          const n = this.lexer.next();
          if (n.kind === 'word') {
            layers = [{ start: Number(n.text), length: 1, end: undefined }];
            end = n;
          } else if (this.isPunct(n, '[')) {
            const [ranges, close] = this.ranges(false);
            layers = ranges;
            end = close;
          } else this.unexpected(n);
        }
        v = { t: 'word', text: t.text, span: span(t, end), layers };
      }
    } else if (t.kind === 'string') {
      v = { t: 'string', text: t.text, bytes: t.value, raw: t.raw, span: t };
    } else if (t.kind === 'char') {
      v = { t: 'char', text: t.text, code: t.number, span: t };
    } else this.unexpected(t);
    while (this.isPunct(this.lexer.peek(), '[')) {
      const open = this.lexer.next();
      const [ranges, close] = this.ranges(true);
      v = {
        t: 'slice',
        v,
        ranges,
        span: span(v.span, close),
        rangeSpan: { start: open.end, end: close.start },
      };
    }
    return v;
  }

  private call(name: Token): Value {
    this.lexer.next(); // (
    const args: Value[] = [];
    if (this.isPunct(this.lexer.peek(), ')')) {
      const close = this.lexer.next();
      return { t: 'call', name: name.text, args, span: span(name, close), nameSpan: name };
    }
    for (;;) {
      args.push(this.arith());
      const t = this.lexer.next();
      if (this.isPunct(t, ')'))
        return { t: 'call', name: name.text, args, span: span(name, t), nameSpan: name };
      if (!this.isPunct(t, ',')) this.unexpected(t);
    }
  }

  /** The elements of `[ … ]` (the `[` read already), up to and with the `]`. */
  private ranges(slice: boolean): [RangeSpec[], Token] {
    const ranges: RangeSpec[] = [];
    for (;;) {
      const t = this.lexer.next();
      if (t.kind !== 'range') this.unexpected(t);
      ranges.push(parseRange(t, slice));
      const sep = this.lexer.next();
      if (this.isPunct(sep, ']')) return [ranges, sep];
      if (!this.isPunct(sep, ',')) this.unexpected(sep);
    }
  }
}

const INTEGER = /^-?[0-9]+$/;

/**
 * One slice element, as tshark reads them: `i:j` (from i, j bytes), `i-j` (i to j inclusive),
 * `i` (one byte), `:j` (the first j), `i:` (from i to the end); negative offsets count from
 * the end.
 */
function parseRange(t: Token, slice: boolean): RangeSpec {
  const text = t.text;
  const fail = (what: string, message = `"${what}" is not a valid number.`): never => {
    throw new FilterSyntaxError(message, t.start, t.end - t.start);
  };
  const int = (s: string): number => (INTEGER.test(s) ? Number(s) : fail(s));
  const colon = text.indexOf(':');
  if (colon >= 0) {
    if (text.indexOf(':', colon + 1) >= 0) fail(text, `"${text}" is not a valid range.`);
    const from = colon === 0 ? 0 : int(text.slice(0, colon));
    if (colon === text.length - 1) return { start: from, length: undefined, end: undefined };
    const length = int(text.slice(colon + 1));
    if (length <= 0)
      fail(text, `Range ${text} isn't valid because length ${length} isn't positive`);
    return { start: from, length, end: undefined };
  }
  // `i-j`: the dash after the first character (a leading one is a sign).
  const dash = text.indexOf('-', 1);
  if (dash > 0) {
    const from = int(text.slice(0, dash));
    const to = int(text.slice(dash + 1));
    const length = to - from + 1;
    if (length <= 0 && from >= 0 === to >= 0)
      fail(text, `Range ${text} isn't valid because length ${length} isn't positive`);
    return { start: from, length: undefined, end: to };
  }
  const at = int(text);
  if (!slice && at < 0) fail(text);
  return { start: at, length: 1, end: undefined };
}
