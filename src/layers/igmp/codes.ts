/**
 * The floating-point code of RFC 3376 §4.1.1 (Max Resp Code, tenths of a second) and §4.1.7
 * (QQIC, seconds): below 128 the code is the value; otherwise 1|exp(3)|mant(4) means
 * (mant | 0x10) << (exp + 3).
 */
export function decodeFloatCode(code: number): number {
  if (code < 128) return code;
  const exp = (code >>> 4) & 0x07;
  const mant = code & 0x0f;
  return (mant | 0x10) << (exp + 3);
}

/** Tenths of a second shown as seconds with one decimal, as Wireshark shows Max Resp Time. */
export function tenthsToSeconds(tenths: number): string {
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}
