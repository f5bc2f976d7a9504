/**
 * An append-only byte buffer for the NDJSON hot path: JSON is written straight into bytes, with
 * no intermediate strings to concatenate, flatten and transcode. Slices handed out by take()
 * are never written again (a stream may still hold them), so a full slab is replaced, not reused.
 */
const SLAB = 1024 * 1024;

export class ByteBuffer {
  private buf: Buffer;
  private start = 0;
  private pos = 0;

  /** `slab`: bytes per allocation; small for one-off formatting, large for streams. */
  constructor(private readonly slab = SLAB) {
    this.buf = Buffer.allocUnsafe(slab);
  }

  get length(): number {
    return this.pos - this.start;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const pending = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(this.slab, 2 * (pending + n)));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = pending;
  }

  /** Appends a string whose chars are all below 256 (ASCII or a byte string). */
  ascii(text: string): void {
    const len = text.length;
    this.ensure(len);
    if (len > NATIVE_FROM) {
      // Long strings are mostly ropes (built by concatenation): one native copy flattens and
      // writes them; read char by char from JavaScript, a rope takes V8's slow path per char.
      this.pos += this.buf.write(text, this.pos, len, 'latin1');
      return;
    }
    const buf = this.buf;
    let pos = this.pos;
    // A plain loop beats a native call for the short pieces JSON and columns are made of.
    for (let i = 0; i < len; i++) buf[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }

  /** Appends bytes prepared in advance (JSON keys). */
  raw(bytes: Uint8Array): void {
    const len = bytes.length;
    this.ensure(len);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < len; i++) buf[pos++] = bytes[i];
    this.pos = pos;
  }

  /** Appends text as UTF-8. */
  utf8(text: string): void {
    this.ensure(Buffer.byteLength(text, 'utf8'));
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** Appends a non-negative integer in decimal. */
  uint(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      this.ascii(String(value));
      return;
    }
    // Digits straight into the buffer: number-to-string conversion was a hot spot.
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.ensure(digits);
    let pos = this.pos + digits;
    this.pos = pos;
    let rest = value;
    do {
      this.buf[--pos] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  /** Appends `count` spaces (column padding). */
  spaces(count: number): void {
    if (count <= 0) return;
    this.ensure(count);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < count; i++) buf[pos++] = 32;
    this.pos = pos;
  }

  /** Appends a non-negative integer right-aligned to `width` (a numeric column). */
  uintPadStart(value: number, width: number): void {
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.spaces(width - digits);
    this.uint(value);
  }

  /** Appends text padded with spaces on the left to `width` (right-aligned column). */
  padStart(text: string, width: number): void {
    this.spaces(width - text.length);
    this.ascii(text);
  }

  /** Appends text padded with spaces on the right to `width` (left-aligned column). */
  padEnd(text: string, width: number): void {
    this.ascii(text);
    this.spaces(width - text.length);
  }

  /** Appends a non-negative integer with leading zeros to `digits` digits. */
  zeroPadded(value: number, digits: number): void {
    this.ensure(digits);
    let pos = this.pos + digits;
    this.pos = pos;
    let rest = value;
    for (let i = 0; i < digits; i++) {
      this.buf[--pos] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
  }

  /** Appends bytes as lowercase hex pairs separated by ':' (tshark's FT_BYTES form). */
  hexBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length * 3);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < bytes.length; i++) {
      if (i > 0) buf[pos++] = 58;
      const b = bytes[i];
      buf[pos++] = HEX[b >>> 4];
      buf[pos++] = HEX[b & 15];
    }
    this.pos = pos;
  }

  /** Hands out what was appended since the last take(). */
  take(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }
}

const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Above this length a native copy is cheaper than a JavaScript loop (measured). */
const NATIVE_FROM = 40;
