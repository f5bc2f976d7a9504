import { macAt } from '../addr.js';
import type { Dissection } from '../dissect.js';
import { ARROW_BYTES, utf8ByteString } from './bytestring.js';
import { escapeTerminal } from './escape.js';
import { infoColumn, protocolColumn } from './info.js';
import type { Palette } from './palette.js';
import type { RelativeClock } from './time.js';

function addresses(d: Dissection): [string, string] {
  if (d.ip) return [d.ip.src, d.ip.dst];
  const eth = d.layers[0];
  if (eth?.protocol === 'eth' && d.frame.data.length >= 12)
    return [macAt(d.frame.data, 6), macAt(d.frame.data, 0)];
  return ['', ''];
}

/**
 * One line per frame in the manner of tshark's summary: number, relative time, source →
 * destination, protocol, frame length, info; problems marked at the end by their ids.
 * Returns a byte string (see bytestring.ts): write it with the 'latin1' encoding.
 */
export function summaryLine(
  d: Dissection,
  clock: RelativeClock,
  palette: Palette,
  fileLabel?: string,
): string {
  const [src, dst] = addresses(d);
  let line =
    String(d.frame.number).padStart(5) +
    ' ' +
    clock.relative(d.frame).padStart(11) +
    ' ' +
    src.padStart(15) +
    ' ' +
    ARROW_BYTES +
    ' ' +
    dst.padEnd(15) +
    ' ' +
    palette.protocol(protocolColumn(d).padEnd(6)) +
    ' ' +
    String(d.frame.origLen).padStart(4) +
    ' ' +
    infoColumn(d);
  if (d.problems.length > 0) line += ' ' + problemMarks(d, palette);
  if (fileLabel !== undefined)
    line = palette.dim(utf8ByteString(escapeTerminal(fileLabel)) + ':') + ' ' + line;
  return line;
}

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
