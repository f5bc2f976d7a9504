/**
 * The display-filter scanner, as tshark 4.0 splits a filter into tokens. It runs on demand
 * (the parser pulls one token at a time), so a syntax error before a bad string is reported
 * first, as tshark reports it.
 */
import { FilterSyntaxError } from './errors.js';

export type TokenKind =
  /** A bare word: a field or protocol name, or a value whose type its field decides. */
  | 'word'
  /** A double-quoted string; `value` holds its bytes, one char per byte (latin1). */
  | 'string'
  /** A character constant 'a', '\x03': `number` is its code. */
  | 'char'
  /** An operator; `value` is its canonical spelling (`==` for `eq`, `&&` for `and`). */
  | 'op'
  /** ( ) { } , .. # [ ] */
  | 'punct'
  /** One element of a slice or layer range, between `[` and `]`. */
  | 'range'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token. */
  readonly text: string;
  /** Canonical operator, or a string's bytes. */
  readonly value: string;
  readonly number: number;
  readonly start: number;
  readonly end: number;
  /** A raw string (r"…"): its backslashes are the regex's own. */
  readonly raw: boolean;
}

/** Word operators and the symbol each means. */
const KEYWORDS: Readonly<Record<string, string>> = {
  and: '&&',
  or: '||',
  not: '!',
  in: 'in',
  eq: '==',
  any_eq: '==',
  ne: '!=',
  all_ne: '!=',
  all_eq: '===',
  any_ne: '!==',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
  contains: 'contains',
  matches: 'matches',
  bitwise_and: '&',
};

/** Symbol operators, longest first so that `===` is not read as `==` `=`. */
const SYMBOLS: readonly [string, string][] = [
  ['===', '==='],
  ['!==', '!=='],
  ['==', '=='],
  ['!=', '!='],
  ['~=', '!=='],
  ['>=', '>='],
  ['<=', '<='],
  ['&&', '&&'],
  ['||', '||'],
  ['>', '>'],
  ['<', '<'],
  ['~', 'matches'],
  ['!', '!'],
  ['&', '&'],
  ['+', '+'],
  ['-', '-'],
  ['*', '*'],
  ['/', '/'],
  ['%', '%'],
];

function isWordChar(c: string): boolean {
  return (
    (c >= 'a' && c <= 'z') ||
    (c >= 'A' && c <= 'Z') ||
    (c >= '0' && c <= '9') ||
    c === '_' ||
    c === '.' ||
    c === ':' ||
    c === '-'
  );
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

const IPV4_WORD = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;

export class Lexer {
  private pos = 0;
  /** Inside `[ … ]`: elements are ranges, not words. */
  private inBrackets = false;
  /** Just after `#`: a layer number or `[` must follow. */
  private afterHash = false;
  private peeked: Token | undefined;

  constructor(readonly text: string) {}

  peek(): Token {
    return (this.peeked ??= this.scan());
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  private token(
    kind: TokenKind,
    start: number,
    end: number,
    value = '',
    number = 0,
    raw = false,
  ): Token {
    return { kind, text: this.text.slice(start, end), value, number, start, end, raw };
  }

  private scan(): Token {
    const s = this.text;
    if (this.afterHash) {
      this.afterHash = false;
      const c = s[this.pos];
      if (c === undefined) return this.token('eof', s.length, s.length);
      if (c === '[') {
        this.pos++;
        this.inBrackets = true;
        return this.token('punct', this.pos - 1, this.pos, '[');
      }
      if (!isDigit(c))
        throw new FilterSyntaxError(`Expected digit or "[", not "${c}"`, this.pos, 1);
      const start = this.pos;
      while (this.pos < s.length && isDigit(s[this.pos])) this.pos++;
      return this.token('word', start, this.pos);
    }
    while (this.pos < s.length && isSpace(s[this.pos])) this.pos++;
    if (this.pos >= s.length) {
      if (this.inBrackets)
        throw new FilterSyntaxError('The right bracket was missing from a slice.', s.length, 1);
      return this.token('eof', s.length, s.length);
    }
    const start = this.pos;
    const c = s[start];
    if (this.inBrackets) {
      if (c === ']') {
        this.pos++;
        this.inBrackets = false;
        return this.token('punct', start, this.pos, ']');
      }
      if (c === ',') {
        this.pos++;
        return this.token('punct', start, this.pos, ',');
      }
      while (this.pos < s.length && !isSpace(s[this.pos]) && !',]'.includes(s[this.pos]))
        this.pos++;
      return this.token('range', start, this.pos);
    }
    if (c === '"') return this.string(start, start + 1, false);
    if (c === 'r' && s[start + 1] === '"') return this.string(start, start + 2, true);
    if (c === "'") return this.charConstant(start);
    if (c === '.' && s[start + 1] === '.') {
      this.pos += 2;
      return this.token('punct', start, this.pos, '..');
    }
    if ('(){},'.includes(c)) {
      this.pos++;
      return this.token('punct', start, this.pos, c);
    }
    if (c === '[') {
      this.pos++;
      this.inBrackets = true;
      return this.token('punct', start, this.pos, '[');
    }
    if (c === '#') {
      this.pos++;
      this.afterHash = true;
      return this.token('punct', start, this.pos, '#');
    }
    // A leading '-' is the minus operator (`-ip.ttl`, `- 1`); inside a word it is a word
    // character (`2-1` is one token to tshark, and not a number).
    if (isWordChar(c) && c !== '-') return this.word(start);
    for (const [symbol, op] of SYMBOLS) {
      if (s.startsWith(symbol, start)) {
        this.pos += symbol.length;
        return this.token('op', start, this.pos, op);
      }
    }
    throw new FilterSyntaxError(`"${c}" was unexpected in this context.`, start, 1);
  }

  private word(start: number): Token {
    const s = this.text;
    let i = start;
    // `1..3` is a range in a set: a word never holds `..`.
    while (i < s.length && isWordChar(s[i]) && !(s[i] === '.' && s[i + 1] === '.')) i++;
    const word = s.slice(start, i);
    // An address with a prefix length (`10.0.0.0/8`, `2001:db8::/32`) is one token; any other
    // '/' divides (`igmp.max_resp/10`).
    if (s[i] === '/' && isDigit(s[i + 1] ?? '') && (IPV4_WORD.test(word) || word.includes(':'))) {
      i++;
      while (i < s.length && isDigit(s[i])) i++;
    }
    this.pos = i;
    const keyword = KEYWORDS[s.slice(start, i)];
    if (keyword !== undefined) return this.token('op', start, i, keyword);
    return this.token('word', start, i);
  }

  /** A quoted string; its value is its bytes, one char per byte, as tshark holds it. */
  private string(start: number, bodyStart: number, raw: boolean): Token {
    const s = this.text;
    let bytes = '';
    let i = bodyStart;
    for (;;) {
      if (i >= s.length)
        throw new FilterSyntaxError(
          'The final quote was missing from a quoted string.',
          s.length,
          1,
        );
      const c = s[i];
      if (c === '"') break;
      if (c !== '\\') {
        const cp = s.codePointAt(i) as number;
        bytes += utf8Bytes(cp);
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      if (raw) {
        // A raw string keeps its backslashes; one still protects a quote from ending it.
        bytes += '\\';
        if (s[i + 1] === '"' || s[i + 1] === '\\') {
          bytes += s[i + 1];
          i += 2;
        } else i++;
        continue;
      }
      const [value, length] = escape(s, i);
      bytes += value;
      i += length;
    }
    this.pos = i + 1;
    return this.token('string', start, this.pos, bytes, 0, raw);
  }

  private charConstant(start: number): Token {
    const s = this.text;
    let i = start + 1;
    let bytes = '';
    while (i < s.length && s[i] !== "'") {
      if (s[i] === '\\') {
        const [value, length] = escape(s, i);
        bytes += value;
        i += length;
      } else {
        const cp = s.codePointAt(i) as number;
        bytes += String.fromCodePoint(cp);
        i += cp > 0xffff ? 2 : 1;
      }
    }
    if (i >= s.length)
      throw new FilterSyntaxError(
        'The final quote was missing from a character constant.',
        s.length,
        1,
      );
    this.pos = i + 1;
    const text = s.slice(start, this.pos);
    if (bytes.length === 0) throw new FilterSyntaxError('Empty character constant.', start, 2);
    if (bytes.length > 1 || bytes.charCodeAt(0) > 0xff)
      throw new FilterSyntaxError(
        `${text} is too long to be a valid character constant.`,
        start,
        text.length,
      );
    return this.token('char', start, this.pos, '', bytes.charCodeAt(0));
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** A backslash escape at `i`: its byte(s) and how many source characters it takes. */
function escape(s: string, i: number): [string, number] {
  const c = s[i + 1] ?? '';
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return [simple, 2];
  if (c === 'x') {
    let j = i + 2;
    while (j < i + 4 && /[0-9a-fA-F]/.test(s[j] ?? '')) j++;
    if (j > i + 2) return [String.fromCharCode(parseInt(s.slice(i + 2, j), 16)), j - i];
  } else if (c >= '0' && c <= '7') {
    let j = i + 1;
    while (j < i + 4 && /[0-7]/.test(s[j] ?? '')) j++;
    const v = parseInt(s.slice(i + 1, j), 8);
    if (v <= 0xff) return [String.fromCharCode(v), j - i];
  } else if (c === 'u' || c === 'U') {
    const digits = c === 'u' ? 4 : 8;
    const hex = s.slice(i + 2, i + 2 + digits);
    if (hex.length === digits && /^[0-9a-fA-F]+$/.test(hex)) {
      const cp = parseInt(hex, 16);
      if (cp <= 0x10ffff) return [utf8Bytes(cp), 2 + digits];
    }
  }
  throw new FilterSyntaxError(
    `${s.slice(i, i + 2)} is not a valid character escape sequence`,
    i,
    Math.min(2, s.length - i),
  );
}

/** A code point as UTF-8 bytes, one char per byte. */
function utf8Bytes(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  return Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
}
