import type { Frame } from '../capture/frame.js';
import { dissect, type Dissection } from '../dissect.js';
import type { ByteBuffer } from './bytes.js';
import { JsonOut } from './json.js';
import { makePalette, type Palette } from './palette.js';
import { writeSummaryLine } from './summary.js';
import type { RelativeClock } from './time.js';
import { TreeOut } from './tree-out.js';

export type OutputMode = 'summary' | 'tree' | 'json';

/** How frames are printed: the same in the main thread and in a worker thread. */
export interface FormatOptions {
  mode: OutputMode;
  /** Print non-IGMP frames too (--all). */
  all: boolean;
  /** chalk level for the text modes (JSON never has colour). */
  colorLevel: 0 | 1 | 2 | 3;
  /** `--decode-as` requests, for worker threads to apply as this thread did. */
  decodeAs: readonly string[];
}

/** Dissects frames and appends their output (summary line, tree or NDJSON) to a byte buffer. */
export class FrameFormatter {
  private readonly palette: Palette;
  private readonly json: JsonOut | undefined;
  private readonly tree: TreeOut | undefined;
  private readonly wanted: (d: Dissection) => boolean;

  constructor(
    options: FormatOptions,
    private readonly bytes: ByteBuffer,
  ) {
    this.palette = makePalette(options.mode === 'json' ? 0 : options.colorLevel);
    this.json = options.mode === 'json' ? new JsonOut(bytes) : undefined;
    this.tree = options.mode === 'tree' ? new TreeOut(bytes, this.palette) : undefined;
    this.wanted = options.all ? () => true : (d) => d.isIgmp;
  }

  /** Appends one frame's output; returns whether the frame was printed. */
  frame(frame: Frame, clock: RelativeClock, file?: string): boolean {
    if (this.json) return this.wanted(this.json.frame(frame, clock, file, this.wanted));
    if (this.tree) {
      if (!this.wanted(this.tree.frame(frame, clock, file, this.wanted))) return false;
      this.bytes.byte(10);
      return true;
    }
    const d = dissect(frame, { detail: false });
    if (!this.wanted(d)) return false;
    writeSummaryLine(this.bytes, d, clock, this.palette, file);
    return true;
  }
}
