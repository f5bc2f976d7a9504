/**
 * The FieldOut that gathers what a display filter needs while a frame is decoded, and hands
 * every call on to the writer it wraps (the NDJSON or `-V` writer), so a frame is decoded
 * once whether it is then shown or not. It keeps only the fields the filter names: one array
 * lookup by the field's id per field, nothing kept otherwise, and no allocation per frame once
 * its lists have grown to the capture's needs.
 */
import type { Frame } from '../capture/frame.js';
import type { FieldOut } from '../field-out.js';
import type { FieldDef, FieldValue, Layer, ProblemTarget } from '../fields.js';
import type { CompiledFilter } from './compile.js';
import { FRAME_PROTOCOL } from './names.js';
import { FrameValues, parseIpv4, parseIpv6, parseMac } from './values.js';

/** How a FieldDef's values are held (by its kind and the type the filter gives its name). */
const enum Hold {
  Skip = 0,
  Number,
  Boolean,
  /** A status held as its name, filtered as Wireshark's number for it */
  Code,
  Ipv4,
  Mac,
  Ipv6,
  Bytes,
  /** A group filtered as bytes (an IPv6 extension header, a GENEVE option): the frame's bytes */
  FrameBytes,
  String,
  /** Presence only (a group, a label) */
  Presence,
}

function holdOf(def: FieldDef, rep: string): Hold {
  switch (def.kind) {
    case 'uint':
    case 'int':
      return Hold.Number;
    case 'bool':
      return Hold.Boolean;
    case 'string':
      return def.codes !== undefined && rep === 'num' ? Hold.Code : Hold.String;
    case 'ipv4':
      return Hold.Ipv4;
    case 'mac':
      return Hold.Mac;
    case 'ipv6':
      return Hold.Ipv6;
    case 'bytes':
      return Hold.Bytes;
    default:
      return rep === 'bytes' ? Hold.FrameBytes : Hold.Presence;
  }
}

export class FilterCollector implements FieldOut {
  /** As the wrapped writer wants them: decoders build shown texts only for a tree. */
  readonly texts: boolean;
  /** What was gathered of the current frame. */
  readonly values: FrameValues;
  /** By field id: the filter's slot for the field, or -1. */
  private readonly slotOf: Int32Array;
  /** By field id: further slots of a field two names stand for (`ip.src` and `ip.addr`). */
  private readonly moreSlotsOf: (number[] | undefined)[];
  /** By field id: how its values are held. */
  private readonly holdOf: Uint8Array;
  /** By field id: the codes of a status held as its name. */
  private readonly codesOf: (Readonly<Record<string, number>> | undefined)[];
  /** Protocol name → the filter's slot for it. */
  private readonly protocolSlots = new Map<string, number>();
  /** Index of the current layer in the frame (-1 before the first). */
  private layerIndex = -1;

  constructor(
    readonly filter: CompiledFilter,
    private readonly inner?: FieldOut,
  ) {
    this.texts = inner?.texts ?? false;
    this.values = filter.newValues();
    let maxId = -1;
    for (const def of filter.fields) maxId = Math.max(maxId, def.id);
    this.slotOf = new Int32Array(maxId + 1).fill(-1);
    this.holdOf = new Uint8Array(maxId + 1);
    this.codesOf = new Array(maxId + 1).fill(undefined);
    this.moreSlotsOf = new Array(maxId + 1).fill(undefined);
    filter.refs.forEach((ref, slot) => {
      if (ref.protocol && ref.name !== FRAME_PROTOCOL) this.protocolSlots.set(ref.name, slot);
      for (const def of ref.defs) {
        if (this.slotOf[def.id] >= 0) {
          (this.moreSlotsOf[def.id] ??= []).push(slot);
          continue;
        }
        this.slotOf[def.id] = slot;
        this.holdOf[def.id] = holdOf(def, ref.type.rep);
        this.codesOf[def.id] = def.codes;
      }
    });
    this.reset(undefined);
  }

  /**
   * Starts a frame: call before decoding it. The frame gives the protocols their bytes and
   * the `frame.*` fields their values; without it they have none.
   */
  reset(frame?: Frame): void {
    this.values.reset(frame);
    this.layerIndex = -1;
  }

  /** Whether the frame decoded since reset() passes the filter. */
  test(): boolean {
    return this.filter.test(this.values);
  }

  layer(layer: Layer): void {
    const values = this.values;
    // Kept for the layer operator (`ip.src#2`) and for protocols' bytes.
    this.layerIndex = values.addLayer(layer);
    if (this.protocolSlots.size > 0) {
      const slot = this.protocolSlots.get(layer.protocol);
      // The layer's length may still grow as it is decoded: FrameValues.prepare() reads it.
      if (slot !== undefined) values.slots[slot].pushBytes(values.data, 0, 0, this.layerIndex, 0);
    }
    this.inner?.layer(layer);
  }

  add(
    def: FieldDef,
    value: FieldValue,
    offset: number,
    length: number,
    raw?: number,
    text?: string,
  ): ProblemTarget | undefined {
    if (def.id < this.slotOf.length && this.slotOf[def.id] >= 0)
      this.recordAll(def, value, offset, length);
    const inner = this.inner;
    return inner === undefined ? undefined : inner.add(def, value, offset, length, raw, text);
  }

  open(
    def: FieldDef,
    value: FieldValue,
    offset: number,
    length: number,
    raw?: number,
    text?: string,
  ): ProblemTarget | undefined {
    if (def.id < this.slotOf.length && this.slotOf[def.id] >= 0)
      this.recordAll(def, value, offset, length);
    const inner = this.inner;
    return inner === undefined ? undefined : inner.open(def, value, offset, length, raw, text);
  }

  close(): void {
    this.inner?.close();
  }

  private recordAll(def: FieldDef, value: FieldValue, offset: number, length: number): void {
    this.record(this.slotOf[def.id], def, value, offset, length);
    const more = this.moreSlotsOf[def.id];
    if (more !== undefined) for (const slot of more) this.record(slot, def, value, offset, length);
  }

  private record(
    slot: number,
    def: FieldDef,
    value: FieldValue,
    offset: number,
    length: number,
  ): void {
    const values = this.values;
    const list = values.slots[slot];
    const layer = this.layerIndex;
    switch (this.holdOf[def.id] as Hold) {
      case Hold.Number:
        list.pushNum(typeof value === 'number' ? value : Number(value), layer, length);
        return;
      case Hold.Boolean:
        list.pushNum(value ? 1 : 0, layer, length);
        return;
      case Hold.Code: {
        const code = this.codesOf[def.id]?.[value as string];
        list.pushNum(code ?? NaN, layer, length);
        return;
      }
      case Hold.Ipv4: {
        // The address's own 4 bytes where the field covers them: faster than its text.
        const data = values.data;
        const v =
          length === 4 && offset + 4 <= data.length
            ? ((data[offset] << 24) |
                (data[offset + 1] << 16) |
                (data[offset + 2] << 8) |
                data[offset + 3]) >>>
              0
            : parseIpv4(value as string);
        list.pushNum(v, layer, length);
        list.strs[list.count - 1] = value as string;
        return;
      }
      case Hold.Mac: {
        const data = values.data;
        const v =
          length === 6 && offset + 6 <= data.length
            ? (data[offset] * 256 + data[offset + 1]) * 2 ** 32 +
              (((data[offset + 2] << 24) |
                (data[offset + 3] << 16) |
                (data[offset + 4] << 8) |
                data[offset + 5]) >>>
                0)
            : parseMac(value as string);
        list.pushNum(v, layer, length);
        list.strs[list.count - 1] = value as string;
        return;
      }
      case Hold.Ipv6: {
        const arena = values.addresses;
        const at = arena.take(16);
        parseIpv6(value as string, arena.buf, at);
        list.pushBytes(arena.buf, at, 16, layer, length);
        list.strs[list.count - 1] = value as string;
        return;
      }
      case Hold.Bytes: {
        const buf = value as Buffer;
        list.pushBytes(buf, 0, buf.length, layer, length);
        return;
      }
      case Hold.FrameBytes: {
        const data = values.data;
        const end = Math.min(offset + length, data.length);
        const start = Math.min(offset, end);
        list.pushBytes(data, start, end - start, layer, length);
        return;
      }
      case Hold.String:
        list.pushStr(String(value), layer, length);
        return;
      default:
        list.push(layer, length);
    }
  }
}
