import { macAt } from '../addr.js';
import type { Dissection } from '../dissect.js';
import { protocolNamed } from '../layers/registry.js';
import { ARROW_BYTES, utf8ByteString } from './bytestring.js';
import { escapeTerminal } from './escape.js';
import { infoColumn, protocolColumn } from './info.js';
import type { Palette } from './palette.js';
import { ByteBuffer } from './bytes.js';
import type { RelativeClock, TimeFormat } from './time.js';

/**
 * Source and destination: those of the innermost network layer (a tunnel's inner IPv4, as
 * tshark shows it), or the outermost MAC layer's when there is none.
 */
function source(d: Dissection): string {
  if (d.src !== undefined) return d.src;
  const first = d.layers[0];
  const at = first && protocolNamed(first.protocol)?.sourceMac?.(d.frame.data, first);
  return at === undefined ? '' : macAt(d.frame.data, at);
}

function destination(d: Dissection): string {
  if (d.dst !== undefined) return d.dst;
  const first = d.layers[0];
  const at = first && protocolNamed(first.protocol)?.destinationMac?.(d.frame.data, first);
  return at === undefined ? '' : macAt(d.frame.data, at);
}

/**
 * One line per frame in the manner of tshark's summary: number, relative time, source →
 * destination, protocol, frame length, info; problems marked at the end by their ids. Written
 * straight into the output bytes, column by column: this runs once per frame of big captures.
 */
export function writeSummaryLine(
  out: ByteBuffer,
  d: Dissection,
  clock: RelativeClock,
  palette: Palette,
  fileLabel?: string,
  timeFormat: TimeFormat = 'r',
): void {
  if (fileLabel !== undefined) {
    out.ascii(palette.dim(utf8ByteString(escapeTerminal(fileLabel)) + ':'));
    out.byte(32);
  }
  out.uintPadStart(d.frame.number, 5);
  out.byte(32);
  clock.writeTime(out, d.frame, timeFormat, 11);
  out.byte(32);
  out.padStart(source(d), 15);
  out.ascii(ARROW_BETWEEN);
  out.padEnd(destination(d), 15);
  out.byte(32);
  const protocol = protocolColumn(d);
  out.ascii(palette.protocol(protocol));
  out.spaces(6 - protocol.length);
  out.byte(32);
  out.uintPadStart(d.frame.origLen, 4);
  out.byte(32);
  out.utf8(infoColumn(d));
  if (d.problems.length > 0) {
    out.byte(32);
    out.ascii(problemMarks(d, palette));
  }
  out.byte(10);
}

/** The summary line as a string (without the newline), for the library and tests. */
export function summaryLine(
  d: Dissection,
  clock: RelativeClock,
  palette: Palette,
  fileLabel?: string,
): string {
  const out = new ByteBuffer(256);
  writeSummaryLine(out, d, clock, palette, fileLabel);
  const bytes = out.take();
  return bytes.toString('utf8', 0, bytes.length - 1);
}

const ARROW_BETWEEN = ' ' + ARROW_BYTES + ' ';

function problemMarks(d: Dissection, palette: Palette): string {
  let worst: 'error' | 'warning' | 'note' = 'note';
  const ids: string[] = [];
  for (const p of d.problems) {
    if (!ids.includes(p.id)) ids.push(p.id);
    if (p.severity === 'error' || (p.severity === 'warning' && worst === 'note'))
      worst = p.severity;
  }
  return palette.severity(worst, `[${ids.join(', ')}]`);
}
