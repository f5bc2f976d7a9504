import type { Frame } from '../capture/frame.js';
import { dissect, type Dissection } from '../dissect.js';
import type { FieldOut } from '../field-out.js';
import type { FieldDef, FieldKind, FieldValue, Layer, Problem } from '../fields.js';
import { asciiJsonString } from './bytestring.js';
import { ByteBuffer, prepared, type Prepared } from './bytes.js';
import type { RelativeClock } from './time.js';
import { protocolChain } from '../layers/registry.js';

function writeValue(out: ByteBuffer, kind: FieldKind, v: FieldValue): void {
  switch (kind) {
    case 'uint':
      out.uint(v as number);
      return;
    case 'int':
      out.ascii(String(v));
      return;
    case 'bool':
      out.ascii(v ? 'true' : 'false');
      return;
    case 'bytes':
      out.byte(34);
      out.hexBytes(v as Buffer);
      out.byte(34);
      return;
    case 'ipv4':
    case 'ipv6':
    case 'mac':
      // Built from digits and hex only: nothing to escape.
      out.byte(34);
      out.ascii(v as string);
      out.byte(34);
      return;
    default:
      out.ascii(stringLiteral(String(v)));
  }
}

/**
 * String values are few and repeat (checksum status, query kind): their JSON literals are kept
 * rather than rebuilt and checked for escapes on every frame. Bounded, so odd values can't grow it.
 */
const literals = new Map<string, string>();

function stringLiteral(text: string): string {
  let literal = literals.get(text);
  if (literal === undefined) {
    literal = asciiJsonString(text);
    if (literals.size > 4096) literals.clear();
    literals.set(text, literal);
  }
  return literal;
}

const EMPTY = Buffer.alloc(0);

/**
 * A field's NDJSON bytes, made once: `,"abbrev":` (a group's array key for groups), copied for
 * every field of every frame (an object's first comma becomes its `{`), and for booleans
 * `,"abbrev":true` / `false`, so one copy writes key and value. Kept by field id.
 */
interface FieldKeys {
  key: Prepared;
  yes: Prepared | undefined;
  no: Prepared | undefined;
}

const FIELD_KEYS: (FieldKeys | undefined)[] = [];

function keysOf(def: FieldDef): FieldKeys {
  const name = def.kind === 'group' ? (def.groupKey ?? def.abbrev) : def.abbrev;
  const keys: FieldKeys = {
    key: prepared(`,"${name}":`),
    yes: def.kind === 'bool' ? prepared(`,"${name}":true`) : undefined,
    no: def.kind === 'bool' ? prepared(`,"${name}":false`) : undefined,
  };
  FIELD_KEYS[def.id] = keys;
  return keys;
}

function jsonKey(def: FieldDef): Prepared {
  return (FIELD_KEYS[def.id] ?? keysOf(def)).key;
}

/** `,"protocol":` for each layer name, made once. */
const layerKeys = new Map<string, Prepared>();

function layerKey(protocol: string): Prepared {
  let key = layerKeys.get(protocol);
  if (key === undefined) {
    key = prepared(`,${asciiJsonString(protocol)}:`);
    layerKeys.set(protocol, key);
  }
  return key;
}

function writeProblem(out: ByteBuffer, p: Problem): void {
  out.ascii(
    `{"id":"${p.id}","severity":"${p.severity}","layer":"${p.layer}","offset":${p.offset},"message":`,
  );
  out.ascii(asciiJsonString(p.message));
  out.byte(125);
}

/**
 * The NDJSON writer: the decoders hand it each field as they read it and it appends the JSON
 * at once, so `--json` builds no field tree. One line a frame, pure ASCII: `frame.*` keys, then
 * an object per protocol keyed by Wireshark's display-filter names with typed values, then
 * `problems` (see schema/dissect-frame.schema.json). Within an object, a group (a record, an
 * option) joins the array of its run of siblings; a field that can repeat becomes one array of
 * all its values, written when its object closes, since the occurrences need not be adjacent.
 */
export class JsonOut implements FieldOut {
  readonly texts = false;
  /** Protocol of the open layer object, undefined before the first layer of a frame. */
  private protocol: string | undefined;
  /** Per layer of the frame: its protocol and where its `,"protocol":` key starts. */
  private readonly layerProtocols: string[] = [];
  private readonly layerStarts: number[] = [];
  private layerCount = 0;
  /** A protocol occurs twice in the frame: its layers are gathered into one array. */
  private repeated = false;
  /**
   * Where `frame.protocols` is: the last frame's is written ahead of the layers and replaced
   * once they are known, which most frames of a capture need not do.
   */
  private protocolsAt = 0;
  private protocols: Prepared = prepared('');
  /** Where a frame's layers wait while those of a repeated protocol are gathered. */
  private scratch: Buffer = Buffer.allocUnsafe(4096);
  private chain = '';
  /** Open objects: 0 is the layer object, deeper ones are group objects. */
  private depth = 0;
  /**
   * Per open object, where it starts in the output. Every member is written with a leading
   * comma; when the object closes, the first of those commas becomes its `{`, so no member
   * has to ask whether it is the first.
   */
  private readonly starts: number[] = [];
  /** Per open object, the group whose array of objects is open in it. */
  private readonly openArray: (FieldDef | undefined)[] = [];
  /**
   * Per open(): whether it opened a JSON object (a group) to close; `openCount` deep. (A count,
   * not the array's length: setting an array's length is a runtime call, once per layer.)
   */
  private readonly opened: boolean[] = [];
  private openCount = 0;
  /** Repeating fields held back until their object closes. */
  private readonly heldDefs: FieldDef[] = [];
  private readonly heldValues: FieldValue[] = [];
  private readonly heldDepths: number[] = [];
  private held = 0;
  /** The frame being written. */
  private data: Buffer = EMPTY;

  constructor(private readonly out: ByteBuffer) {}

  /**
   * Dissects a frame into one NDJSON line. `wanted` decides, once the frame is decoded, whether
   * the line stays (a non-IGMP frame without --all is taken back). `through`: a writer that
   * sees every field on its way here (a display filter's collector).
   */
  frame(
    frame: Frame,
    clock: RelativeClock,
    file?: string,
    wanted?: (d: Dissection) => boolean,
    through?: FieldOut,
  ): Dissection {
    const out = this.out;
    const mark = out.mark();
    this.protocol = undefined;
    this.layerCount = 0;
    this.repeated = false;
    this.depth = 0;
    this.openCount = 0;
    this.held = 0;
    this.data = frame.data;
    writeFrameKeys(out, frame, clock);
    this.protocolsAt = out.mark();
    const guess = this.protocols;
    out.put(guess);
    if (file !== undefined) {
      out.ascii(',"file":');
      out.ascii(asciiJsonString(file));
    }
    const d = dissect(frame, { out: through ?? this });
    this.data = EMPTY;
    if (wanted && !wanted(d)) {
      out.rewind(mark);
      return d;
    }
    this.closeLayer();
    if (this.repeated) this.gatherRepeated();
    const chain = protocolChain(d.layers);
    const protocols = chain === this.chain ? guess : protocolsKey(chain);
    this.chain = chain;
    if (protocols !== guess) {
      out.replace(this.protocolsAt, guess.length, protocols.bytes);
      this.protocols = protocols;
    }
    out.put(PROBLEMS_KEY);
    for (let i = 0; i < d.problems.length; i++) {
      if (i > 0) out.byte(44);
      writeProblem(out, d.problems[i]);
    }
    out.byte(93);
    out.byte(125);
    out.byte(10);
    return d;
  }

  layer(layer: Layer): void {
    const out = this.out;
    const protocol = layer.protocol;
    this.closeLayer();
    const i = this.layerCount++;
    for (let j = 0; j < i; j++) if (this.layerProtocols[j] === protocol) this.repeated = true;
    this.layerProtocols[i] = protocol;
    this.layerStarts[i] = out.mark();
    out.put(layerKey(protocol));
    this.protocol = protocol;
    this.depth = 0;
    this.starts[0] = out.mark();
    this.openArray[0] = undefined;
    this.openCount = 0;
  }

  add(def: FieldDef, value: FieldValue, offset: number, length: number): undefined {
    if (def.treeOnly || def.kind === 'label' || this.protocol === undefined) return;
    if (def.repeats) {
      const i = this.held++;
      this.heldDefs[i] = def;
      this.heldValues[i] = value;
      this.heldDepths[i] = this.depth;
      return;
    }
    const out = this.out;
    if (this.openArray[this.depth] !== undefined) this.endArray();
    const kind = def.kind;
    const keys = FIELD_KEYS[def.id] ?? keysOf(def);
    if (kind === 'uint') {
      out.putUint(keys.key, value as number);
    } else if (kind === 'bool') {
      out.put((value ? keys.yes : keys.no) as Prepared);
    } else if (kind === 'ipv4' && length === 4 && offset + 4 <= this.data.length) {
      // Addresses read at their place in the frame are written from the bytes, not the string.
      out.put(keys.key);
      out.byte(34);
      out.dottedQuad(this.data, offset);
      out.byte(34);
    } else if (kind === 'mac' && length === 6 && offset + 6 <= this.data.length) {
      out.put(keys.key);
      out.byte(34);
      out.hexBytes(this.data, offset, offset + 6);
      out.byte(34);
    } else {
      out.put(keys.key);
      writeValue(out, kind, value);
    }
  }

  open(def: FieldDef, value: FieldValue, offset: number, length: number): undefined {
    if (def.kind !== 'group' || this.protocol === undefined) {
      this.opened[this.openCount++] = false;
      this.add(def, value, offset, length);
      return;
    }
    this.opened[this.openCount++] = true;
    const out = this.out;
    const d = this.depth;
    if (def.groupObject) {
      // A group that occurs once in its layer (an IPv6 extension header): one object.
      if (this.openArray[d] !== undefined) this.endArray();
      out.put(jsonKey(def));
    } else if (this.openArray[d] === def) {
      out.byte(44);
    } else {
      if (this.openArray[d] !== undefined) this.endArray();
      out.put(jsonKey(def));
      out.byte(91);
      this.openArray[d] = def;
    }
    const inner = ++this.depth;
    this.starts[inner] = out.mark();
    this.openArray[inner] = undefined;
  }

  close(): void {
    if (this.openCount > 0 && this.opened[--this.openCount]) this.closeObject();
  }

  /** Ends the run of group objects open in the innermost object. */
  private endArray(): void {
    this.out.byte(93);
    this.openArray[this.depth] = undefined;
  }

  private closeObject(): void {
    const out = this.out;
    const d = this.depth;
    this.writeHeld(d);
    if (this.openArray[d] !== undefined) this.endArray();
    const start = this.starts[d];
    if (out.mark() === start) {
      out.byte(123);
    } else {
      out.patch(start, 123);
    }
    out.byte(125);
    if (d > 0) this.depth--;
  }

  /** Ends the open layer object. */
  private closeLayer(): void {
    if (this.protocol === undefined) return;
    while (this.depth > 0) this.closeObject();
    this.closeObject();
  }

  /**
   * A protocol that occurs more than once (an outer and an inner IPv4, stacked 802.1Q tags)
   * becomes one key whose value is the array of its layers, outermost first, where its first
   * layer was: as `tshark -T json --no-duplicate-keys` writes it. Only such frames pay for it.
   */
  private gatherRepeated(): void {
    const out = this.out;
    const count = this.layerCount;
    const from = this.layerStarts[0];
    const written = (this.scratch = out.copyOut(from, out.mark(), this.scratch));
    const starts = this.layerStarts;
    starts[count] = out.mark();
    const protocols = this.layerProtocols;
    out.rewind(from);
    for (let i = 0; i < count; i++) {
      const protocol = protocols[i];
      let first = true;
      for (let j = 0; j < i && first; j++) first = protocols[j] !== protocol;
      if (!first) continue;
      const key = layerKey(protocol);
      let others = 0;
      for (let j = i + 1; j < count; j++) if (protocols[j] === protocol) others++;
      out.put(key);
      if (others > 0) out.byte(91);
      for (let j = i; j < count; j++) {
        if (protocols[j] !== protocol) continue;
        if (j > i) out.byte(44);
        out.copyFrom(written, starts[j] + key.length - from, starts[j + 1] - from);
      }
      if (others > 0) out.byte(93);
    }
  }

  /** The held-back repeating fields of the object at `depth`: one array per field. */
  private writeHeld(depth: number): void {
    let from = this.held;
    while (from > 0 && this.heldDepths[from - 1] === depth) from--;
    if (from === this.held) return;
    const out = this.out;
    if (this.openArray[depth] !== undefined) this.endArray();
    const defs = this.heldDefs;
    for (let i = from; i < this.held; i++) {
      const def = defs[i];
      let seen = false;
      for (let j = from; j < i && !seen; j++) seen = defs[j] === def;
      if (seen) continue;
      out.put(jsonKey(def));
      out.byte(91);
      writeValue(out, def.kind, this.heldValues[i]);
      for (let j = i + 1; j < this.held; j++) {
        if (defs[j] !== def) continue;
        out.byte(44);
        writeValue(out, def.kind, this.heldValues[j]);
      }
      out.byte(93);
    }
    this.held = from;
  }
}

const PROBLEMS_KEY = prepared(',"problems":[');

const FRAME_KEYS = {
  number: prepared('{"frame.number":'),
  epoch: prepared(',"frame.time_epoch":"'),
  relative: prepared('","frame.time_relative":'),
  len: prepared(',"frame.len":'),
  capLen: prepared(',"frame.cap_len":'),
  interfaceId: prepared(',"frame.interface_id":'),
  encap: prepared(',"frame.encap":'),
};

/** `,"frame.protocols":"eth:ethertype:ip:igmp:igmp"`, made once per chain of layers. */
const protocolsKeys = new Map<string, Prepared>();

function protocolsKey(chain: string): Prepared {
  let key = protocolsKeys.get(chain);
  if (key === undefined) {
    key = prepared(`,"frame.protocols":${asciiJsonString(chain)}`);
    if (protocolsKeys.size < 4096) protocolsKeys.set(chain, key);
  }
  return key;
}

function writeFrameKeys(out: ByteBuffer, f: Frame, clock: RelativeClock): void {
  out.put(FRAME_KEYS.number);
  out.uint(f.number);
  out.put(FRAME_KEYS.epoch);
  // The epoch with the capture's own fraction digits, as a string: no float can hold it.
  out.uint(f.tsSec);
  if (f.tsDigits > 0) {
    out.byte(46);
    out.zeroPadded(f.tsFrac, f.tsDigits);
  }
  out.put(FRAME_KEYS.relative);
  clock.writeRelative(out, f, 0);
  out.put(FRAME_KEYS.len);
  out.uint(f.origLen);
  out.put(FRAME_KEYS.capLen);
  out.uint(f.data.length);
  out.put(FRAME_KEYS.interfaceId);
  out.uint(f.interfaceId);
  out.put(FRAME_KEYS.encap);
  out.uint(f.linkType);
}

/**
 * The NDJSON line of a frame as a string (without the newline), for the library and tests:
 * the frame is dissected again, straight into JSON.
 */
export function frameJson(d: Dissection, clock: RelativeClock, file?: string): string {
  const bytes = new ByteBuffer(4096);
  new JsonOut(bytes).frame(d.frame, clock, file);
  const line = bytes.take();
  return line.toString('latin1', 0, line.length - 1);
}
