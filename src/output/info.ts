import type { Dissection } from '../dissect.js';
import { protocolNamed } from '../layers/registry.js';

/**
 * The Protocol column: what Wireshark would show for the frame, from its innermost layer that
 * names one (IGMPv3, or the protocol an IPv4 datagram carries undecoded).
 */
export function protocolColumn(d: Dissection): string {
  const layers = d.layers;
  for (let i = lastColumnLayer(d); i >= 0; i--) {
    const column = protocolNamed(layers[i].protocol)?.column?.(d, layers[i]);
    if (column) return column;
  }
  const top = layers[layers.length - 1];
  return top ? top.protocol.toUpperCase() : 'FRAME';
}

/** Where the columns are looked for, from the inside out: the innermost layer or d.columns. */
function lastColumnLayer(d: Dissection): number {
  return d.columns === undefined ? d.layers.length - 1 : d.layers.indexOf(d.columns);
}

/** The Info column, worded as tshark words it, from the innermost layer that has one. */
export function infoColumn(d: Dissection): string {
  const layers = d.layers;
  for (let i = lastColumnLayer(d); i >= 0; i--) {
    const info = protocolNamed(layers[i].protocol)?.info?.(d, layers[i]);
    if (info) return info;
  }
  return layers.length === 0 ? `Link type ${d.frame.linkType}` : '';
}
