import { startLayer } from '../../field-out.js';
import type { Layer } from '../../fields.js';
import { report, type ProblemSink } from '../../problems.js';

/** What a link-layer decoder hands on: the ethertype of its payload and where it starts. */
export type LinkResult = { etherType: number; offset: number } | undefined;

/**
 * Opens a link layer of a fixed header length at the start of the frame: the layer is added
 * either way, and a frame too short for the header is reported as `<protocol>.truncated`
 * (then undefined is returned and the decoder stops).
 */
export function openLinkLayer(
  protocol: string,
  headerLength: number,
  header: string,
  data: Buffer,
  sink: ProblemSink,
  layers: Layer[],
): Layer | undefined {
  const layer = startLayer(sink.out, layers, protocol, 0, Math.min(headerLength, data.length));
  if (data.length >= headerLength) return layer;
  const message = `${header} needs ${headerLength} bytes, frame has ${data.length}`;
  report(sink, `${protocol}.truncated`, 0, message, layer);
  return undefined;
}
