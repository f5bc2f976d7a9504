/**
 * An append-only byte buffer for the NDJSON hot path: JSON is written straight into bytes, with
 * no intermediate strings to concatenate, flatten and transcode. Slices handed out by take()
 * are never written again (a stream may still hold them), so a full slab is replaced, not reused.
 */
const SLAB = 1024 * 1024;
/** Above this length TypedArray.set copies prepared bytes faster than word stores do. */
const PUT_WORDS_UP_TO = 32;

/**
 * Bytes that are copied into the output over and over (NDJSON keys): kept as 32-bit words as
 * well, so that a copy is a few word stores. For keys of 12–25 bytes that took 9–11 ns against
 * 15–19 ns for TypedArray.set, whose native call costs more than the copy; some 40 keys a frame.
 */
export class Prepared {
  readonly length: number;
  /**
   * The bytes, little-endian, four to a word, the last word padded with zeros; empty above
   * PUT_WORDS_UP_TO bytes, which put() copies with TypedArray.set.
   */
  readonly words: Uint32Array;

  constructor(readonly bytes: Uint8Array) {
    this.length = bytes.length;
    const copied = bytes.length <= PUT_WORDS_UP_TO ? bytes.length : 0;
    this.words = new Uint32Array((copied + 3) >>> 2);
    for (let i = 0; i < copied; i++) this.words[i >>> 2] |= bytes[i] << ((i & 3) * 8);
  }
}

/** Text whose chars are all below 256, prepared (see Prepared). */
export function prepared(text: string): Prepared {
  return new Prepared(Buffer.from(text, 'latin1'));
}

export class ByteBuffer {
  private buf: Buffer;
  /** A view of `buf` for word stores. */
  private words: DataView;
  private start = 0;
  private pos = 0;

  /** `slab`: bytes per allocation; small for one-off formatting, large for streams. */
  constructor(private readonly slab = SLAB) {
    this.buf = Buffer.allocUnsafe(slab);
    this.words = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
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
    this.words = new DataView(next.buffer, next.byteOffset, next.byteLength);
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

  /** Appends the 4 bytes at `offset` of `data` as a dotted quad. */
  dottedQuad(data: Uint8Array, offset: number): void {
    this.ensure(15);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < 4; i++) {
      if (i > 0) buf[pos++] = 46;
      const v = data[offset + i];
      if (v >= 100) buf[pos++] = 48 + ((v / 100) | 0);
      if (v >= 10) buf[pos++] = 48 + (((v / 10) | 0) % 10);
      buf[pos++] = 48 + (v % 10);
    }
    this.pos = pos;
  }

  /** Appends `src[start, end)`, without making a view of it. */
  copyFrom(src: Buffer, start: number, end: number): void {
    this.ensure(end - start);
    this.pos += src.copy(this.buf, this.pos, start, end);
  }

  /** Copies the bytes appended between two marks into `target` (grown when too small). */
  copyOut(from: number, to: number, target: Buffer): Buffer {
    const length = to - from;
    const into = target.length >= length ? target : Buffer.allocUnsafe(2 * length);
    this.buf.copy(into, 0, this.start + from, this.start + to);
    return into;
  }

  /** Appends bytes prepared in advance (JSON keys). */
  raw(bytes: Uint8Array): void {
    const len = bytes.length;
    this.ensure(len);
    // TypedArray.set is a memcpy: keys are most of the bytes of NDJSON, and a loop copying
    // them byte by byte was the largest cost of --json.
    this.buf.set(bytes, this.pos);
    this.pos += len;
  }

  /**
   * Appends prepared bytes. Whole words are stored, so up to 3 bytes past the end are written
   * too; they are free space, written over by what comes next.
   */
  put(bytes: Prepared): void {
    if (bytes.length > PUT_WORDS_UP_TO) {
      this.raw(bytes.bytes);
      return;
    }
    this.ensure(bytes.length + 3);
    const view = this.words;
    const words = bytes.words;
    let pos = this.pos;
    for (let i = 0; i < words.length; i++, pos += 4) view.setUint32(pos, words[i], true);
    this.pos += bytes.length;
  }

  /** Appends text as UTF-8. */
  utf8(text: string): void {
    const len = text.length;
    if (len <= NATIVE_FROM * 4) {
      // Short text is mostly ASCII (headings, lines): copied in a loop, as ascii() does, it
      // skips the two native calls (length, then write) that cost more than the copy.
      this.ensure(len);
      const buf = this.buf;
      let pos = this.pos;
      let i = 0;
      for (; i < len; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        buf[pos++] = c;
      }
      if (i === len) {
        this.pos = pos;
        return;
      }
    }
    this.ensure(Buffer.byteLength(text, 'utf8'));
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** Appends a non-negative integer in decimal. */
  uint(value: number): void {
    if (value >= 0 && value <= 0x7fffffff && (value | 0) === value) {
      this.ensure(10);
      this.pos = writeSmallUint(this.buf, this.pos, value);
      return;
    }
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      this.ascii(String(value));
      return;
    }
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

  /** A prepared key followed by an integer value: the commonest NDJSON member, in one call. */
  putUint(key: Prepared, value: number): void {
    this.put(key);
    if (value >= 0 && value <= 0x7fffffff && (value | 0) === value) {
      this.ensure(10);
      this.pos = writeSmallUint(this.buf, this.pos, value);
    } else {
      this.uint(value);
    }
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
  hexBytes(bytes: Uint8Array, start = 0, end = bytes.length): void {
    this.ensure((end - start) * 3);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = start; i < end; i++) {
      if (i > start) buf[pos++] = 58;
      const b = bytes[i];
      buf[pos++] = HEX[b >>> 4];
      buf[pos++] = HEX[b & 15];
    }
    this.pos = pos;
  }

  /** Appends bytes as lowercase hex, without separators. */
  hex(bytes: Uint8Array, start: number, end: number): void {
    this.ensure((end - start) * 2);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      buf[pos++] = HEX[b >>> 4];
      buf[pos++] = HEX[b & 15];
    }
    this.pos = pos;
  }

  /** The bytes appended between two marks (a view: valid until the buffer is written again). */
  view(from: number, to: number): Buffer {
    return this.buf.subarray(this.start + from, this.start + to);
  }

  /** A point to come back to with rewind(): what is appended after it can be taken back. */
  mark(): number {
    return this.pos - this.start;
  }

  /**
   * Replaces the `length` bytes at a mark with `bytes`, moving what was appended after them
   * along.
   */
  replace(mark: number, length: number, bytes: Uint8Array): void {
    const grow = bytes.length - length;
    if (grow > 0) this.ensure(grow);
    const at = this.start + mark;
    if (grow !== 0) this.buf.copyWithin(at + bytes.length, at + length, this.pos);
    this.buf.set(bytes, at);
    this.pos += grow;
  }

  /** Overwrites one byte appended since the last take(), at a mark. */
  patch(mark: number, value: number): void {
    this.buf[this.start + mark] = value;
  }

  /** Drops what was appended since mark() (never what take() has handed out). */
  rewind(mark: number): void {
    this.pos = this.start + mark;
  }

  /**
   * Copies what was appended since the last take() into `target` from byte `at` on, and starts
   * again at the beginning of the same slab: for a buffer whose bytes are only ever copied out,
   * so no slab is ever thrown away. When `target` is missing or too small, the bytes go to a new
   * array of twice the length needed (at least 256 KiB) that starts with `target`'s first `at`
   * bytes. Returns the array written to.
   */
  drainTo(target: Uint8Array | undefined, at: number): Uint8Array {
    const end = at + this.pos - this.start;
    let output = target;
    if (output === undefined || output.length < end) {
      output = new Uint8Array(Math.max(2 * end, 256 * 1024));
      if (target !== undefined && at > 0) output.set(target.subarray(0, at));
    }
    output.set(this.buf.subarray(this.start, this.pos), at);
    this.start = 0;
    this.pos = 0;
    return output;
  }

  /**
   * Starts again at the beginning of the slab, moving what was appended but not yet taken
   * there: only for a caller that knows no slice handed out by take() is still in use. Output
   * then cycles through the first few dozen KiB of one slab, which stay in the CPU's cache,
   * instead of streaming through fresh memory.
   */
  recycle(): void {
    if (this.start === 0) return;
    if (this.pos > this.start) this.buf.copyWithin(0, this.start, this.pos);
    this.pos -= this.start;
    this.start = 0;
  }

  /** Hands out what was appended since the last take(). */
  take(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }
}

/** Writes a 31-bit non-negative integer's digits at `pos`; returns the position after them. */
function writeSmallUint(buf: Buffer, pos: number, value: number): number {
  if (value < 10) {
    buf[pos] = 48 + value;
    return pos + 1;
  }
  let digits = 2;
  for (let rest = (value / 100) | 0; rest > 0; rest = (rest / 10) | 0) digits++;
  let at = pos + digits;
  let rest = value;
  do {
    buf[--at] = 48 + (rest % 10);
    rest = (rest / 10) | 0;
  } while (rest > 0);
  return pos + digits;
}

const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Above this length a native copy is cheaper than a JavaScript loop (measured). */
const NATIVE_FROM = 40;
