/**
 * `-T fields -e FIELD …` (tshark's field columns): one line per frame, the values of each
 * requested field rendered as tshark renders its type (field-text.ts), all occurrences joined
 * by the aggregator, with tshark's `-E` options (header, separator, quote, occurrence,
 * aggregator). The decoders hand their fields to it like to any writer; it keeps only the
 * requested ones.
 */
import type { Frame } from '../capture/frame.js';
import type { Dissection } from '../dissect.js';
import type { FieldOut } from '../field-out.js';
import type { FieldDef, FieldValue, Layer } from '../fields.js';
import { allProtocols, protocolChain, type FieldList } from '../layers/registry.js';
import type { ByteBuffer } from './bytes.js';
import { escapeTerminal } from './escape.js';
import { fieldText } from './field-text.js';
import { infoColumn, protocolColumn } from './info.js';
import type { RelativeClock } from './time.js';

/** tshark's `-E` options. */
export interface FieldsOptions {
  fields: readonly string[];
  header: boolean;
  separator: string;
  /** The quote put around each non-empty value, or ''. */
  quote: string;
  occurrence: 'f' | 'l' | 'a';
  aggregator: string;
}

/** The frame's own fields and the columns tshark can print with -e. */
const FRAME_FIELDS: ReadonlySet<string> = new Set([
  'frame.number',
  'frame.time',
  'frame.time_epoch',
  'frame.time_relative',
  'frame.len',
  'frame.cap_len',
  'frame.protocols',
  'frame.interface_id',
  '_ws.col.Protocol',
  '_ws.col.Info',
  '_ws.col.Source',
  '_ws.col.Destination',
  '_ws.col.No.',
]);

function collect(list: FieldList, into: Map<string, FieldDef[]>): void {
  for (const entry of list) {
    if ('group' in entry) {
      collect(entry.members, into);
      continue;
    }
    if (entry.kind === 'label' || entry.treeOnly) continue;
    const defs = into.get(entry.abbrev) ?? [];
    if (!defs.includes(entry)) defs.push(entry);
    into.set(entry.abbrev, defs);
  }
}

/** Every field -e can name: by name, its FieldDefs (a name may serve several layers). */
export function fieldsByName(): Map<string, FieldDef[]> {
  const byName = new Map<string, FieldDef[]>();
  for (const protocol of allProtocols()) collect(protocol.fields, byName);
  return byName;
}

/** The names of `fields` igmpscope cannot print, as tshark lists them. */
export function unknownFields(fields: readonly string[]): string[] {
  const known = fieldsByName();
  return fields.filter((f) => !known.has(f) && !FRAME_FIELDS.has(f));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A fraction of a second at the capture's precision, as tshark's 9 digits. */
function nineDigits(fraction: number, digits: number): string {
  if (digits <= 9) return String(fraction).padStart(digits, '0').padEnd(9, '0');
  return String(fraction).padStart(digits, '0').slice(0, 9);
}

/** `frame.time`: `Nov 14, 2023 22:13:20.000000000 UTC`, local time as tshark prints it. */
function frameTime(frame: Frame): string {
  const date = new Date(frame.tsSec * 1000);
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${MONTHS[date.getMonth()]} ${pad(date.getDate())}, ${date.getFullYear()} ${time}.${nineDigits(frame.tsFrac, frame.tsDigits)} ${zone}`;
}

export class FieldsOut implements FieldOut {
  readonly texts = false;
  /** By field id: the column its values go to, or -1. */
  private readonly columnOf: Int32Array;
  /** Per column, the values of the current frame. */
  private readonly values: string[][];
  private headerDone = false;

  constructor(
    private readonly bytes: ByteBuffer,
    private readonly options: FieldsOptions,
  ) {
    const byName = fieldsByName();
    let maxId = -1;
    for (const defs of byName.values()) for (const d of defs) maxId = Math.max(maxId, d.id);
    this.columnOf = new Int32Array(maxId + 1).fill(-1);
    options.fields.forEach((name, column) => {
      for (const def of byName.get(name) ?? []) this.columnOf[def.id] = column;
    });
    this.values = options.fields.map(() => []);
  }

  /** Starts a frame: call before decoding it. */
  reset(): void {
    for (const list of this.values) list.length = 0;
  }

  /** Writes the frame's line (and the header line before the first). */
  write(d: Dissection, clock: RelativeClock): void {
    const { options, bytes } = this;
    if (options.header && !this.headerDone) {
      bytes.utf8(options.fields.join(options.separator) + '\n');
      this.headerDone = true;
    }
    const cells = options.fields.map((name, column) => this.cell(name, column, d, clock));
    bytes.utf8(cells.join(options.separator) + '\n');
  }

  private cell(name: string, column: number, d: Dissection, clock: RelativeClock): string {
    let values = this.values[column];
    if (FRAME_FIELDS.has(name)) values = [frameField(name, d, clock)];
    if (values.length === 0) return '';
    const { occurrence, aggregator, quote } = this.options;
    const chosen =
      occurrence === 'f'
        ? values[0]
        : occurrence === 'l'
          ? values[values.length - 1]
          : values.join(aggregator);
    // No byte of a packet reaches the terminal as a control character.
    const text = escapeTerminal(chosen);
    return quote === '' ? text : `${quote}${text}${quote}`;
  }

  layer(layer: Layer): void {
    void layer;
  }

  add(def: FieldDef, value: FieldValue): undefined {
    const column = def.id < this.columnOf.length ? this.columnOf[def.id] : -1;
    if (column >= 0) this.values[column].push(fieldText(def, value));
    return undefined;
  }

  open(def: FieldDef, value: FieldValue): undefined {
    return this.add(def, value);
  }

  close(): void {
    // Fields are kept flat, in the order the decoders hand them over.
  }
}

function frameField(name: string, d: Dissection, clock: RelativeClock): string {
  const f = d.frame;
  switch (name) {
    case 'frame.number':
    case '_ws.col.No.':
      return String(f.number);
    case 'frame.time':
      return frameTime(f);
    case 'frame.time_epoch':
      return `${f.tsSec}.${nineDigits(f.tsFrac, f.tsDigits)}`;
    case 'frame.time_relative': {
      const [whole, fraction = ''] = clock.relative(f).split('.');
      return `${whole}.${fraction.padEnd(9, '0').slice(0, 9)}`;
    }
    case 'frame.len':
      return String(f.origLen);
    case 'frame.cap_len':
      return String(f.data.length);
    case 'frame.protocols':
      return protocolChain(d.layers);
    case 'frame.interface_id':
      return String(f.interfaceId);
    case '_ws.col.Protocol':
      return protocolColumn(d);
    case '_ws.col.Info':
      return infoColumn(d);
    case '_ws.col.Source':
      return d.src ?? '';
    default:
      return d.dst ?? '';
  }
}
