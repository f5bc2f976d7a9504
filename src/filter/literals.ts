/**
 * Literals as tshark 4.0 reads them: a bare word, a quoted string or a character constant
 * means what the type it is compared with makes of it (`10.0.0.0/8` is a network to an IPv4
 * field, `01:00:5e` three bytes to a slice, `Bad` a value name to a checksum status). The
 * messages are tshark's for the same mistakes.
 */
import { FilterSyntaxError } from './errors.js';
import type { FilterType } from './names.js';
import type { Span } from './parser.js';
import { hexDigit, parseIpv4, parseIpv6, ValueList } from './values.js';

/** A literal of the filter: what the parser read. */
export type Literal =
  | { readonly t: 'word'; readonly text: string; readonly span: Span }
  | { readonly t: 'string'; readonly text: string; readonly bytes: string; readonly span: Span }
  | { readonly t: 'char'; readonly text: string; readonly code: number; readonly span: Span };

/** What a literal is compared with: its type, value names and name (for messages). */
export interface Target {
  readonly type: FilterType;
  readonly names: ReadonlyMap<string, number> | undefined;
  /** The field's name where the other side is a field (`… possible values for igmp.s`). */
  readonly name: string;
}

function fail(message: string, span: Span): never {
  throw new FilterSyntaxError(message, span.start, span.end - span.start);
}

/** A number as tshark reads one: decimal, 0x hex, 0b binary, 0 octal. */
export function parseInteger(text: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^0[bB][01]+$/.test(text)) return parseInt(text.slice(2), 2);
  if (/^0[0-7]*$/.test(text)) return parseInt(text, 8);
  if (/^[1-9][0-9]*$/.test(text)) return Number(text);
  return undefined;
}

/** The text a message quotes: a string's content, a word as written. */
function shown(lit: Literal): string {
  return lit.t === 'string' ? Buffer.from(lit.bytes, 'latin1').toString('utf8') : lit.text;
}

/** Adds the literal, converted to the target's type, to `out` (a constant list). */
export function addLiteral(lit: Literal, target: Target, out: ValueList): void {
  const type = target.type;
  switch (type.cls) {
    case 'uint':
    case 'int':
      out.pushNum(integerLiteral(lit, target), -1, 0);
      return;
    case 'float': {
      if (lit.t === 'char') return out.pushNum(lit.code, -1, 0);
      const v = lit.t === 'word' ? (parseInteger(lit.text) ?? Number(lit.text)) : NaN;
      if (lit.t === 'string')
        fail(`${type.description} cannot be converted from a string (${lit.text}).`, lit.span);
      if (!Number.isFinite(v) || lit.text.trim() === '')
        fail(`"${lit.text}" is not a valid number.`, lit.span);
      return out.pushNum(v, -1, 0);
    }
    case 'bool':
      out.pushNum(booleanLiteral(lit, target), -1, 0);
      return;
    case 'ipv4':
      return ipv4Literal(lit, type, out);
    case 'ipv6':
      return ipv6Literal(lit, type, out);
    case 'ether': {
      const bytes = bytesLiteral(lit, type, true);
      if (bytes.length < 6)
        fail(`"${lit.text}" contains too few bytes to be a valid Ethernet address.`, lit.span);
      if (bytes.length > 6)
        fail(`"${lit.text}" contains too many bytes to be a valid Ethernet address.`, lit.span);
      let v = 0;
      for (const b of bytes) v = v * 256 + b;
      out.pushNum(v, -1, 6);
      return;
    }
    case 'bytes':
    case 'protocol': {
      const bytes = bytesLiteral(lit, type, false);
      out.pushBytes(bytes, 0, bytes.length, -1, bytes.length);
      return;
    }
    case 'string': {
      const s =
        lit.t === 'string'
          ? Buffer.from(lit.bytes, 'latin1').toString('utf8')
          : lit.t === 'char'
            ? String.fromCharCode(lit.code)
            : lit.text;
      out.pushStr(s, -1, 0);
      return;
    }
    case 'none':
      // Types that take no value are refused before a literal reaches here.
      fail(`"${shown(lit)}" cannot be compared with a ${type.description}.`, lit.span);
  }
}

function integerLiteral(lit: Literal, target: Target): number {
  const type = target.type;
  let v: number | undefined;
  if (lit.t === 'char') v = lit.code;
  else if (lit.t === 'word') v = parseInteger(lit.text);
  if (v === undefined) {
    const named = target.names?.get(shown(lit).toLowerCase());
    if (named !== undefined) return named;
    if (target.names !== undefined)
      fail(
        `"${shown(lit)}" cannot be found among the possible values for ${target.name}.`,
        lit.span,
      );
    if (lit.t === 'string')
      fail(`${type.description} cannot be converted from a string (${lit.text}).`, lit.span);
    fail(`"${lit.text}" is not a valid number.`, lit.span);
  }
  const bits = type.size * 8;
  const max = type.cls === 'uint' ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
  if (v > max) fail(`"${lit.text}" too big for this field, maximum ${max}.`, lit.span);
  return v;
}

/** tshark 4.0 takes True/False (either capitalised or in capitals) and any number. */
function booleanLiteral(lit: Literal, target: Target): number {
  if (lit.t === 'char') return lit.code !== 0 ? 1 : 0;
  if (lit.t === 'word') {
    if (lit.text === 'True' || lit.text === 'TRUE') return 1;
    if (lit.text === 'False' || lit.text === 'FALSE') return 0;
    const v = parseInteger(lit.text);
    if (v !== undefined) return v !== 0 ? 1 : 0;
  }
  fail(`"${shown(lit)}" cannot be found among the possible values for ${target.name}.`, lit.span);
}

function ipv4Literal(lit: Literal, type: FilterType, out: ValueList): void {
  if (lit.t === 'string')
    fail(`${type.description} cannot be converted from a string (${lit.text}).`, lit.span);
  if (lit.t === 'char') fail(`"${lit.text}" is not a valid hostname or IPv4 address.`, lit.span);
  const slash = lit.text.indexOf('/');
  const address = slash < 0 ? lit.text : lit.text.slice(0, slash);
  const v = parseIpv4(address);
  if (v < 0) fail(`"${address}" is not a valid hostname or IPv4 address.`, lit.span);
  out.pushNum(v, -1, 4);
  if (slash >= 0) {
    const bits = Number(lit.text.slice(slash + 1));
    if (bits > 32)
      fail(`Netmask bits in a CIDR IPv4 address should be <= 32, not ${bits}`, lit.span);
    out.masks[out.count - 1] = bits;
  }
}

function ipv6Literal(lit: Literal, type: FilterType, out: ValueList): void {
  if (lit.t === 'string')
    fail(`${type.description} cannot be converted from a string (${lit.text}).`, lit.span);
  if (lit.t === 'char') fail(`"${lit.text}" is not a valid hostname or IPv6 address.`, lit.span);
  const slash = lit.text.indexOf('/');
  const address = slash < 0 ? lit.text : lit.text.slice(0, slash);
  const bytes = new Uint8Array(16);
  if (!parseIpv6(address, bytes, 0))
    fail(`"${address}" is not a valid hostname or IPv6 address.`, lit.span);
  out.pushBytes(bytes, 0, 16, -1, 16);
  if (slash >= 0) {
    const bits = Number(lit.text.slice(slash + 1));
    if (bits > 128) fail(`Prefix in a IPv6 address should be <= 128, not ${bits}`, lit.span);
    out.masks[out.count - 1] = bits;
  }
}

/**
 * Bytes as tshark 4.0 reads them: hex bytes separated by `:`, `.` or `-` (`01:00:5e`), or run
 * together (`c0a8`; an odd digit at the end is a byte of its own: tshark reads `192` as
 * 19:02, not as a number), a MAC in Cisco's dotted groups (`0100.5e01.0101`), a number with a
 * base prefix up to 255 (`0xc0`, `0b11000000`), a string's bytes, a character constant's byte.
 */
export function bytesLiteral(lit: Literal, type: FilterType, ether: boolean): Uint8Array {
  if (lit.t === 'char') return Uint8Array.of(lit.code & 0xff);
  if (lit.t === 'string') {
    if (ether)
      fail(`${type.description} cannot be converted from a string (${lit.text}).`, lit.span);
    return Uint8Array.from(Buffer.from(lit.bytes, 'latin1'));
  }
  const text = lit.text;
  // A number with a base prefix is one byte (`0xc0`, `0b11000000`): `0b10` is not hex bytes.
  if (/^0[xXbB]/.test(text)) {
    const v = parseInteger(text);
    if (v !== undefined && v <= 0xff) return Uint8Array.of(v);
    fail(`"${v === undefined ? text.slice(2) : text}" is not a valid byte string.`, lit.span);
  }
  const separated = /^[0-9a-fA-F]{1,2}(?:([:.-])[0-9a-fA-F]{1,2}(?:\1[0-9a-fA-F]{1,2})*)?$/.test(
    text,
  );
  if (separated) {
    const parts = text.split(/[:.-]/);
    return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
  }
  if (/^[0-9a-fA-F]+$/.test(text)) {
    const out = new Uint8Array(Math.ceil(text.length / 2));
    for (let i = 0; i < text.length; i += 2)
      out[i / 2] =
        i + 1 < text.length
          ? hexDigit(text.charCodeAt(i)) * 16 + hexDigit(text.charCodeAt(i + 1))
          : hexDigit(text.charCodeAt(i));
    return out;
  }
  if (/^[0-9a-fA-F]{4}(?:\.[0-9a-fA-F]{4})+$/.test(text)) {
    const hex = text.replace(/\./g, '');
    return Uint8Array.from(Buffer.from(hex, 'hex'));
  }
  fail(`"${text}" is not a valid byte string.`, lit.span);
}
