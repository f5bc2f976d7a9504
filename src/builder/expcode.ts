/**
 * The IGMPv3 8-bit floating-point code used by Max Resp Code and QQIC (RFC 3376 §4.1.1,
 * §4.1.7): codes below 128 are the value itself; a code 1eeemmmm is (mmmm | 0x10) << (eee + 3).
 * Units are the caller's (tenths of a second for Max Resp Code, seconds for QQIC).
 */

/** Largest value the code can carry: 0xff → 0x1f << 10 = 31744. */
export const EXP_CODE_MAX = 31744;

/** Value carried by an 8-bit code (0x91 → 272, 0xff → 31744). */
export function decodeExpCode(code: number): number {
  if (!Number.isInteger(code) || code < 0 || code > 0xff) {
    throw new RangeError(`expcode must be a byte, got ${code}`);
  }
  if (code < 0x80) return code;
  const exp = (code >> 4) & 0x07;
  const mant = code & 0x0f;
  return (mant | 0x10) << (exp + 3);
}

/**
 * Code for a value: exact when representable, otherwise the smallest representable value
 * above it, so that a sender never advertises less time than it means (RFC 3376 §4.1.1
 * leaves the rounding to the sender; rounding up keeps hosts from answering too early).
 */
export function encodeExpCode(value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > EXP_CODE_MAX) {
    throw new RangeError(`expcode value must be in 0..${EXP_CODE_MAX}, got ${value}`);
  }
  const wanted = Math.ceil(value);
  if (wanted < 0x80) return wanted;
  for (let exp = 0; exp < 8; exp++) {
    // Mantissas 0..15 with the implied 0x10 bit cover [16, 31] << (exp + 3), ranges that do
    // not overlap, so the first fit found is the smallest.
    const mant = Math.ceil(wanted / (1 << (exp + 3))) - 0x10;
    if (mant <= 0x0f) return 0x80 | (exp << 4) | mant;
  }
  throw new RangeError(`expcode value out of range: ${value}`); // unreachable: bounded above
}
