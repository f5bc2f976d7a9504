import type { Frame } from '../capture/frame.js';
import { dissect, type Dissection } from '../dissect.js';
import type { FieldOut, PutField } from '../field-out.js';
import {
  node,
  type FieldDef,
  type FieldNode,
  type FieldValue,
  type Layer,
  type Problem,
  type ProblemTarget,
} from '../fields.js';
import { ByteBuffer } from './bytes.js';
import type { Palette } from './palette.js';
import type { RelativeClock } from './time.js';
import { layerTitle, titleFields, writeFieldLine, writeFrameHead, writeProblem } from './tree.js';

/**
 * Where a field's line ended, handed to the decoder in place of a node: a problem the decoder
 * finds later is attached here and printed after that line, where the tree would show it.
 */
interface LineMark extends ProblemTarget {
  problems: Problem[] | undefined;
  /** Offset in the frame's lines just after the field's line. */
  at: number;
  depth: number;
}

const NO_TITLE_FIELDS: readonly FieldDef[] = [];

/** Heading lines kept per TreeOut, at most (past it, headings are rendered each time). */
const MAX_HEADINGS = 4096;

/** One step of the heading cache: the next steps by key, or the line once the key is whole. */
interface HeadingStep {
  next: Map<unknown, HeadingStep> | undefined;
  line: Uint8Array | undefined;
}

/**
 * Layers' heading lines (palette and newline applied), by protocol, layer length and each
 * field the heading names with its value: headings name the same few hosts frame after
 * frame, and building, joining and encoding their text was a tenth of -V's time.
 */
class HeadingLines {
  private readonly root: HeadingStep = { next: undefined, line: undefined };
  private size = 0;

  constructor(private readonly palette: Palette) {}

  line(layer: Layer, nodes: readonly FieldNode[]): Uint8Array {
    let step = this.step(this.step(this.root, layer.protocol), layer.length);
    for (const n of nodes) step = this.step(this.step(step, n.field), n.value);
    if (step.line !== undefined) return step.line;
    const line = Buffer.from(`${this.palette.heading(layerTitle(layer, nodes))}\n`);
    if (this.size < MAX_HEADINGS) {
      step.line = line;
      this.size++;
    }
    return line;
  }

  private step(from: HeadingStep, key: unknown): HeadingStep {
    const next = (from.next ??= new Map());
    let step = next.get(key);
    if (step === undefined) {
      step = { next: undefined, line: undefined };
      if (this.size < MAX_HEADINGS) next.set(key, step);
    }
    return step;
  }
}

/**
 * The `-V` writer: the decoders hand it each field as they read it and it writes the field's
 * line at once (from the field's cache of rendered lines, see writeFieldLine), so `-V` builds
 * no node tree. A frame's lines wait in a scratch buffer until it is decoded, because a layer's
 * heading names fields that come later in it, and a problem can be found after the line it
 * belongs under; then heading, lines and problems go out in the tree's order, byte for byte
 * what writeFrameTree prints from the tree.
 */
export class TreeOut implements FieldOut {
  readonly texts = true;
  private readonly lines = new ByteBuffer(64 * 1024);
  private depth = 1;
  private layerIndex = -1;
  /** Where each layer's lines start in `lines`. */
  private readonly layerStarts: number[] = [];
  /** Per layer, nodes of the fields its heading names. */
  private readonly titleNodes: FieldNode[][] = [];
  /** The fields the open layer's heading names. */
  private titleFields: readonly FieldDef[] = NO_TITLE_FIELDS;
  /** Marks handed out for this frame (reused from frame to frame). */
  private readonly marks: LineMark[] = [];
  private used = 0;

  private readonly headings: HeadingLines;

  constructor(
    private readonly bytes: ByteBuffer,
    private readonly palette: Palette,
  ) {
    this.headings = new HeadingLines(palette);
  }

  /**
   * Dissects a frame and appends its `-V` text; `wanted` may turn the frame down unprinted.
   * `through`: a writer that sees every field on its way here (a display filter's collector).
   */
  frame(
    frame: Frame,
    clock: RelativeClock,
    file?: string,
    wanted?: (d: Dissection) => boolean,
    through?: FieldOut,
  ): Dissection {
    this.begin();
    const d = dissect(frame, { out: through ?? this });
    if (wanted && !wanted(d)) return d;
    this.finish(d, clock, file);
    return d;
  }

  /**
   * The `-V` text of a frame already dissected into its node tree (the library's frameTree):
   * the nodes are handed over as the decoders would hand them, so the text is this writer's.
   */
  dissection(d: Dissection, clock: RelativeClock, file?: string): void {
    this.begin();
    for (const layer of d.layers) {
      this.layer(layer);
      this.replay(layer.nodes);
    }
    this.finish(d, clock, file);
  }

  private replay(nodes: readonly FieldNode[]): void {
    for (const n of nodes) {
      const put = n.children ? this.open : this.add;
      const mark = put.call(this, n.field, n.value, n.offset, n.length, n.raw, n.text);
      if (mark !== undefined && n.problems) mark.problems = [...n.problems];
      if (n.children) {
        this.replay(n.children);
        this.close();
      }
    }
  }

  private begin(): void {
    this.lines.rewind(0);
    this.used = 0;
    this.layerIndex = -1;
    this.depth = 1;
  }

  /** Heading, lines and problems of the frame, in the tree's order. */
  private finish(d: Dissection, clock: RelativeClock, file: string | undefined): void {
    const { bytes, palette, lines, marks } = this;
    writeFrameHead(bytes, d, clock, palette, file);
    const count = Math.min(d.layers.length, this.layerIndex + 1);
    let m = 0;
    for (let i = 0; i < count; i++) {
      const layer = d.layers[i];
      bytes.raw(this.headings.line(layer, this.titleNodes[i]));
      const end = i + 1 < count ? this.layerStarts[i + 1] : lines.mark();
      let from = this.layerStarts[i];
      for (; m < this.used && marks[m].at <= end; m++) {
        const mark = marks[m];
        if (mark.problems === undefined) continue;
        bytes.raw(lines.view(from, mark.at));
        from = mark.at;
        for (const p of mark.problems) writeProblem(bytes, p, mark.depth + 1, palette);
      }
      bytes.raw(lines.view(from, end));
      if (layer.problems) for (const p of layer.problems) writeProblem(bytes, p, 1, palette);
    }
  }

  layer(layer: Layer): void {
    const i = ++this.layerIndex;
    this.layerStarts[i] = this.lines.mark();
    const titles = (this.titleNodes[i] ??= []);
    titles.length = 0;
    this.titleFields = titleFields(layer.protocol);
    this.depth = 1;
  }

  add(
    def: FieldDef,
    value: FieldValue,
    offset: number,
    length: number,
    raw?: number,
    text?: string,
  ): LineMark | undefined {
    if (this.layerIndex < 0) return undefined;
    const titleFields = this.titleFields;
    for (let i = 0; i < titleFields.length; i++) {
      if (titleFields[i] === def) {
        this.titleNodes[this.layerIndex].push(node(def, value, offset, length, raw, text));
        break;
      }
    }
    writeFieldLine(this.lines, def, value, raw, text, this.depth);
    let mark = this.marks[this.used];
    if (mark === undefined) {
      mark = { problems: undefined, at: 0, depth: 0 };
      this.marks[this.used] = mark;
    }
    this.used++;
    mark.problems = undefined;
    mark.at = this.lines.mark();
    mark.depth = this.depth;
    return mark;
  }

  open(...field: Parameters<PutField>): LineMark | undefined {
    const mark = this.add(...field);
    if (mark !== undefined) this.depth++;
    return mark;
  }

  close(): void {
    if (this.depth > 1) this.depth--;
  }
}

/**
 * The `-V` view of a frame dissected into its node tree, as a string (for the library; the CLI
 * streams the decoders' fields into a TreeOut): the same writer, fed from the nodes.
 */
export function frameTree(
  d: Dissection,
  clock: RelativeClock,
  palette: Palette,
  fileLabel?: string,
): string {
  const bytes = new ByteBuffer(8 * 1024);
  new TreeOut(bytes, palette).dissection(d, clock, fileLabel);
  return bytes.take().toString('utf8');
}
