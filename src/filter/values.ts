/**
 * The values a filter tests, held so that filtering a frame allocates nothing once the
 * buffers have grown to the capture's needs: lists of numbers, byte ranges and strings in
 * arrays that are reused frame after frame.
 */
import type { Frame } from '../capture/frame.js';
import type { Layer } from '../fields.js';
import { protocolChain, protocolNamed } from '../layers/registry.js';
import { FRAME_PROTOCOL, type FieldRef } from './names.js';

const EMPTY = new Uint8Array(0);

/**
 * A list of values of one type: a field's occurrences in a frame, or what an expression made
 * of them. Only the arrays of the list's representation are filled.
 */
export class ValueList {
  count = 0;
  /** Numbers: integers, booleans 0/1, IPv4 addresses as uint32, MACs as 48-bit integers. */
  nums = new Float64Array(4);
  /** Byte values: a buffer and the range of it that is the value. */
  bufs: Uint8Array[] = [EMPTY, EMPTY, EMPTY, EMPTY];
  offs = new Int32Array(4);
  lens = new Int32Array(4);
  strs: string[] = ['', '', '', ''];
  /** A constant's prefix length (`10.0.0.0/8`, `2001:db8::/32`); -1 for a whole address. */
  masks = new Int16Array(4).fill(-1);
  /** The index of the frame's layer the value was found in (-1: the frame itself). */
  layers = new Int32Array(4);
  /** How many bytes of the packet the field covers (what `len()` says of a number). */
  sizes = new Int32Array(4);

  private grow(): void {
    const n = this.nums.length * 2;
    const nums = new Float64Array(n);
    nums.set(this.nums);
    this.nums = nums;
    for (let i = this.bufs.length; i < n; i++) {
      this.bufs.push(EMPTY);
      this.strs.push('');
    }
    const offs = new Int32Array(n);
    offs.set(this.offs);
    this.offs = offs;
    const lens = new Int32Array(n);
    lens.set(this.lens);
    this.lens = lens;
    const masks = new Int16Array(n).fill(-1);
    masks.set(this.masks);
    this.masks = masks;
    const layers = new Int32Array(n);
    layers.set(this.layers);
    this.layers = layers;
    const sizes = new Int32Array(n);
    sizes.set(this.sizes);
    this.sizes = sizes;
  }

  /** Makes room for one more value; returns its index. */
  push(layer: number, size: number): number {
    const i = this.count;
    if (i === this.nums.length) this.grow();
    this.layers[i] = layer;
    this.sizes[i] = size;
    this.count = i + 1;
    return i;
  }

  pushNum(value: number, layer: number, size: number): void {
    // push() first: it may replace the arrays (`this.nums[this.push()]` would write the old).
    const i = this.push(layer, size);
    this.nums[i] = value;
  }

  pushBytes(buf: Uint8Array, off: number, len: number, layer: number, size: number): void {
    const i = this.push(layer, size);
    this.bufs[i] = buf;
    this.offs[i] = off;
    this.lens[i] = len;
  }

  pushStr(value: string, layer: number, size: number): void {
    const i = this.push(layer, size);
    this.strs[i] = value;
  }

  /** Copies value `i` of `from` (of the same representation). */
  copy(from: ValueList, i: number): void {
    const j = this.push(from.layers[i], from.sizes[i]);
    this.nums[j] = from.nums[i];
    this.bufs[j] = from.bufs[i];
    this.offs[j] = from.offs[i];
    this.lens[j] = from.lens[i];
    this.strs[j] = from.strs[i];
    this.masks[j] = from.masks[i];
  }
}

/**
 * Room for bytes an expression makes (slices, addresses as bytes): reused every frame. When
 * it has to grow, the values already in it keep the old buffer, which stays valid.
 */
export class ByteArena {
  buf = new Uint8Array(256);
  pos = 0;

  /** Room for `n` bytes: their offset in `this.buf` (read `buf` after calling). */
  take(n: number): number {
    if (this.pos + n > this.buf.length) {
      this.buf = new Uint8Array(Math.max(this.buf.length * 2, n * 2));
      this.pos = 0;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }
}

/**
 * What a FilterCollector gathered of one frame: the occurrences of each field and protocol
 * the filter names (one ValueList per name, in the filter's slot order), the frame's layers
 * and its bytes.
 */
export class FrameValues {
  readonly slots: ValueList[];
  /**
   * The frame's layers, outermost first (the Layer objects the decoders made): the first
   * `layerCount` of the array, which is kept from frame to frame (emptying it each frame
   * would give its storage back, and take new storage the next).
   */
  readonly layers: Layer[] = [];
  layerCount = 0;
  /** The frame's bytes: protocols' and groups' values are ranges of them. */
  data: Uint8Array = EMPTY;
  /** IPv6 addresses, 16 bytes each, parsed from the decoders' text. */
  readonly addresses = new ByteArena();
  private layerNumbers = new Int32Array(8);
  private layerNumbersValid = false;

  /** The slots of protocols: their values are the layers' bytes. */
  private readonly protocolSlots: number[] = [];
  private readonly frameSlot: number;
  private readonly numberSlot: number;
  private readonly lenSlot: number;
  private readonly capLenSlot: number;
  private readonly timeSlot: number;
  private readonly chainSlot: number;

  constructor(refs: readonly FieldRef[]) {
    this.slots = refs.map(() => new ValueList());
    const slotOf = (test: (ref: FieldRef) => boolean): number => refs.findIndex(test);
    refs.forEach((ref, slot) => {
      if (ref.protocol && ref.name !== FRAME_PROTOCOL) this.protocolSlots.push(slot);
    });
    this.frameSlot = slotOf((r) => r.protocol && r.name === FRAME_PROTOCOL);
    this.numberSlot = slotOf((r) => r.frame === 'number');
    this.lenSlot = slotOf((r) => r.frame === 'len');
    this.capLenSlot = slotOf((r) => r.frame === 'cap_len');
    this.timeSlot = slotOf((r) => r.frame === 'time_epoch');
    this.chainSlot = slotOf((r) => r.frame === 'protocols');
  }

  /** Forgets the last frame and takes what the capture says of the next (before decoding it). */
  reset(frame: Frame | undefined): void {
    for (const slot of this.slots) slot.count = 0;
    this.layerCount = 0;
    const data = frame?.data ?? EMPTY;
    this.data = data;
    this.addresses.pos = 0;
    this.layerNumbersValid = false;
    if (frame === undefined) return;
    const slots = this.slots;
    if (this.frameSlot >= 0) slots[this.frameSlot].pushBytes(data, 0, data.length, -1, data.length);
    if (this.numberSlot >= 0) slots[this.numberSlot].pushNum(frame.number, -1, 4);
    if (this.lenSlot >= 0) slots[this.lenSlot].pushNum(frame.origLen, -1, 4);
    if (this.capLenSlot >= 0) slots[this.capLenSlot].pushNum(data.length, -1, 4);
    if (this.timeSlot >= 0)
      slots[this.timeSlot].pushNum(frame.tsSec + frame.tsFrac / 10 ** frame.tsDigits, -1, 0);
  }

  /** A layer starts: returns its index in the frame. */
  addLayer(layer: Layer): number {
    const i = this.layerCount++;
    this.layers[i] = layer;
    return i;
  }

  /** Reads the layers' final extents into the protocols' values: before testing a frame. */
  prepare(): void {
    const data = this.data;
    for (const slot of this.protocolSlots) {
      const list = this.slots[slot];
      for (let i = 0; i < list.count; i++) {
        const li = list.layers[i];
        if (li < 0) continue;
        const layer = this.layers[li];
        const start = Math.min(layer.offset, data.length);
        const end = Math.min(layer.offset + layer.length, data.length);
        list.bufs[i] = data;
        list.offs[i] = start;
        list.lens[i] = end - start;
        list.sizes[i] = end - start;
      }
    }
    if (this.chainSlot >= 0 && this.slots[this.chainSlot].count === 0)
      this.slots[this.chainSlot].pushStr(
        protocolChain(this.layers.slice(0, this.layerCount)),
        -1,
        0,
      );
  }

  /**
   * The layer number tshark's `#` operator gives the fields of layer `i`: how many times the
   * layer's protocol has appeared in `frame.protocols` up to and with the layer's own entries.
   * So the inner `ip` of a tunnel is `ip#2`, every label of one MPLS stack is `mpls#1` (tshark
   * lists the stack once), and IGMP's fields are `igmp#2` (tshark lists `igmp:igmp`: its IGMP
   * dissector calls itself, and the fields belong to the second call).
   */
  layerNumber(i: number): number {
    if (i < 0) return 1;
    if (!this.layerNumbersValid) this.numberLayers();
    return this.layerNumbers[i];
  }

  private numberLayers(): void {
    const layers = this.layers;
    const count = this.layerCount;
    if (this.layerNumbers.length < count) this.layerNumbers = new Int32Array(count * 2);
    for (let i = 0; i < count; i++) {
      const name = layers[i].protocol;
      let n = 0;
      for (let j = 0; j <= i; j++) {
        const layer = layers[j];
        const protocol = protocolNamed(layer.protocol);
        const repeat = j > 0 && layers[j - 1].protocol === layer.protocol;
        if (!(repeat && protocol?.chainOnce))
          n += countEntries(protocol?.chainName ?? layer.protocol, name);
        if (layer.step !== undefined) n += countEntries(layer.step, name);
      }
      this.layerNumbers[i] = Math.max(n, 1);
    }
    this.layerNumbersValid = true;
  }
}

/** How many of the colon-separated entries of `chain` are `name` (without splitting it). */
function countEntries(chain: string, name: string): number {
  let n = 0;
  let from = 0;
  while (from <= chain.length) {
    let to = chain.indexOf(':', from);
    if (to < 0) to = chain.length;
    if (to - from === name.length && chain.startsWith(name, from)) n++;
    from = to + 1;
  }
  return n;
}

/** A dotted-quad IPv4 address as a uint32, or -1 (no leading zeros, as inet_pton). */
export function parseIpv4(s: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 255) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return -1;
      part = part * 10 + (c - 48);
      digits++;
      if (digits > 3) return -1;
    } else return -1;
  }
  return parts === 4 ? value : -1;
}

/** A MAC in the decoders' form (`01:00:5e:01:01:01`) as a 48-bit integer, or -1. */
export function parseMac(s: string): number {
  if (s.length !== 17) return -1;
  let value = 0;
  for (let i = 0; i < 17; i += 3) {
    const hi = hexDigit(s.charCodeAt(i));
    const lo = hexDigit(s.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return -1;
    value = value * 256 + hi * 16 + lo;
  }
  return value;
}

export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const IPV6_GROUPS = new Uint16Array(8);

/**
 * An IPv6 address in text (with `::` and an IPv4 tail) into 16 bytes at `out[at]`; false when
 * it is not one.
 */
export function parseIpv6(s: string, out: Uint8Array, at: number): boolean {
  // Groups before and after the `::`, written into place at the end.
  let tail = -1;
  let i = 0;
  if (s.startsWith('::')) {
    tail = 0;
    i = 2;
    if (s.length === 2) {
      out.fill(0, at, at + 16);
      return true;
    }
  }
  const groups = IPV6_GROUPS;
  let count = 0;
  for (;;) {
    if (count === 8) return false;
    // An IPv4 tail takes the last two groups.
    const rest = s.indexOf(':', i) < 0 && s.indexOf('.', i) >= 0;
    if (rest) {
      const v4 = parseIpv4(s.slice(i));
      if (v4 < 0 || count > 6) return false;
      groups[count++] = Math.floor(v4 / 65536);
      groups[count++] = v4 % 65536;
      i = s.length;
    } else {
      let v = 0;
      let digits = 0;
      while (i < s.length && hexDigit(s.charCodeAt(i)) >= 0) {
        v = v * 16 + hexDigit(s.charCodeAt(i));
        i++;
        if (++digits > 4) return false;
      }
      if (digits === 0) return false;
      groups[count++] = v;
    }
    if (i === s.length) break;
    if (s[i] !== ':') return false;
    i++;
    if (s[i] === ':') {
      if (tail >= 0) return false;
      tail = count;
      i++;
      if (i === s.length) break;
    }
  }
  if (tail < 0 ? count !== 8 : count > 7) return false;
  const head = tail < 0 ? 8 : tail;
  out.fill(0, at, at + 16);
  for (let g = 0; g < head; g++) {
    out[at + g * 2] = groups[g] >>> 8;
    out[at + g * 2 + 1] = groups[g] & 0xff;
  }
  const after = count - head;
  for (let g = 0; g < after; g++) {
    const to = 8 - after + g;
    out[at + to * 2] = groups[head + g] >>> 8;
    out[at + to * 2 + 1] = groups[head + g] & 0xff;
  }
  return true;
}
