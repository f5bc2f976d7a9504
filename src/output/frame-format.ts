import type { Frame } from '../capture/frame.js';
import { dissect, type Dissection } from '../dissect.js';
import type { ByteBuffer } from './bytes.js';
import { JsonOut } from './json.js';
import { makePalette, type Palette } from './palette.js';
import { writeSummaryLine } from './summary.js';
import { compileFilter, FilterCollector } from '../filter/index.js';
import { FieldsOut, type FieldsOptions } from './fields-out.js';
import { writeHexDump } from './hexdump.js';
import type { RelativeClock, TimeFormat } from './time.js';
import { TreeOut } from './tree-out.js';

/** `none`: tshark's `-q`, frames are read and counted (and written with -w) but not printed. */
export type OutputMode = 'summary' | 'tree' | 'json' | 'fields' | 'none';

/** How frames are printed: the same in the main thread and in a worker thread. */
export interface FormatOptions {
  mode: OutputMode;
  /** Print non-IGMP frames too (--all). */
  all: boolean;
  /** chalk level for the text modes (JSON never has colour). */
  colorLevel: 0 | 1 | 2 | 3;
  /** `--decode-as` requests, for worker threads to apply as this thread did. */
  decodeAs: readonly string[];
  /** The summary's time column (`-t`). */
  timeFormat: TimeFormat;
  /**
   * `-x`: a hex and ASCII dump of each frame, after its tree (-V) or summary line (-P), or in
   * place of the summary line, as tshark prints it.
   */
  hexDump: 'none' | 'after' | 'only';
  /**
   * A display filter (`-Y`), compiled in every thread that formats: with one, the filter alone
   * decides which frames are shown, as tshark's does.
   */
  filter?: string;
  /** `-T fields`: the fields and tshark's `-E` options. */
  fields?: FieldsOptions;
}

/** Dissects frames and appends their output (summary line, tree or NDJSON) to a byte buffer. */
export class FrameFormatter {
  private readonly palette: Palette;
  private readonly json: JsonOut | undefined;
  private readonly tree: TreeOut | undefined;
  private readonly wanted: (d: Dissection) => boolean;

  private readonly mode: OutputMode;
  private readonly timeFormat: TimeFormat;
  private readonly hexDump: FormatOptions['hexDump'];

  constructor(
    options: FormatOptions,
    private readonly bytes: ByteBuffer,
  ) {
    this.mode = options.mode;
    this.timeFormat = options.timeFormat;
    this.hexDump = options.hexDump;
    this.palette = makePalette(options.mode === 'json' ? 0 : options.colorLevel);
    this.json = options.mode === 'json' ? new JsonOut(bytes) : undefined;
    this.tree = options.mode === 'tree' ? new TreeOut(bytes, this.palette) : undefined;
    this.fieldsOut =
      options.mode === 'fields' && options.fields
        ? new FieldsOut(bytes, options.fields)
        : undefined;
    if (options.filter !== undefined) {
      const compiled = compileFilter(options.filter);
      if (!('test' in compiled)) throw new Error(`display filter: ${compiled.message}`);
      const inner = this.json ?? this.tree ?? this.fieldsOut;
      const collector = new FilterCollector(compiled, inner);
      this.collector = collector;
      this.wanted = () => collector.test();
    } else {
      this.wanted = options.all ? () => true : (d) => d.isIgmp;
    }
  }

  /** The display filter's collector, which sees every field on its way to the writer. */
  private readonly collector: FilterCollector | undefined;
  private readonly fieldsOut: FieldsOut | undefined;

  /** Whether a display filter chooses the frames. */
  get filtered(): boolean {
    return this.collector !== undefined;
  }

  /** The dissection of the frame formatted last (for statistics beside the output). */
  last: Dissection | undefined;

  /** Appends one frame's output; returns whether the frame was wanted (printed, or -q). */
  frame(frame: Frame, clock: RelativeClock, file?: string): boolean {
    const wanted = this.format(frame, clock, file);
    clock.read(frame);
    return wanted;
  }

  private format(frame: Frame, clock: RelativeClock, file: string | undefined): boolean {
    const collector = this.collector;
    collector?.reset(frame);
    if (this.json) {
      this.last = this.json.frame(frame, clock, file, this.wanted, collector);
      return this.wanted(this.last);
    }
    const bytes = this.bytes;
    const fieldsOut = this.fieldsOut;
    if (fieldsOut) {
      fieldsOut.reset();
      const d = dissect(frame, { out: collector ?? fieldsOut });
      this.last = d;
      if (!this.wanted(d)) return false;
      fieldsOut.write(d, clock);
      return true;
    }
    if (this.tree) {
      this.last = this.tree.frame(frame, clock, file, this.wanted, collector);
      if (!this.wanted(this.last)) return false;
      bytes.byte(10);
      if (this.hexDump !== 'none') writeHexDump(bytes, frame.data);
      return true;
    }
    const d = collector ? dissect(frame, { out: collector }) : dissect(frame, { detail: false });
    this.last = d;
    if (!this.wanted(d)) return false;
    if (this.mode === 'none') return true;
    if (this.hexDump !== 'only') {
      writeSummaryLine(bytes, d, clock, this.palette, file, this.timeFormat);
      if (this.hexDump === 'after') bytes.byte(10);
    }
    if (this.hexDump !== 'none') writeHexDump(bytes, frame.data);
    return true;
  }
}
