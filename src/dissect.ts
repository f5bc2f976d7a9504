import { multicastMacAt } from './addr.js';
import type { Frame } from './capture/frame.js';
import { findNode, node, type Layer, type Problem } from './fields.js';
import { decodeIgmp, type IgmpMessage } from './igmp/decode.js';
import { IP_PROTO_IGMP, decodeIpv4, type Ipv4Result } from './ip/ipv4.js';
import { ethFields } from './link/ethernet.js';
import { ETHERTYPE_IPV4 } from './link/ethertypes.js';
import { LINK_DECODERS, LINKTYPE_NAMES } from './link/linktypes.js';
import { report } from './problems.js';

export interface Dissection {
  readonly frame: Frame;
  /** Whether the field tree was built (see ProblemSink.detail). */
  readonly detail: boolean;
  readonly layers: Layer[];
  /** Every problem of the frame, in the order found. */
  readonly problems: Problem[];
  ip?: Ipv4Result;
  igmp?: IgmpMessage;
  /** IPv4 protocol 2: the IGMP family, what igmpscope shows by default. */
  isIgmp: boolean;
}

/** Ethernet frames shorter than this are padded by the sender (802.3 minimum without FCS). */
const ETH_MIN_FRAME = 60;

export interface DissectOptions {
  /** Build the field tree (for -V and --json). Default true; summaries and analyses skip it. */
  detail?: boolean;
}

/** Walks one frame down the dispatch tables: link type → ethertype → IPv4 → IP protocol 2. */
export function dissect(frame: Frame, options: DissectOptions = {}): Dissection {
  const result: Dissection = {
    frame,
    detail: options.detail ?? true,
    layers: [],
    problems: [],
    isIgmp: false,
  };
  const data = frame.data;
  if (frame.snapLen > 0 && data.length > frame.snapLen) {
    report(
      result,
      'frame.snaplen_exceeded',
      0,
      `captured length ${data.length} is above the snaplen ${frame.snapLen}`,
    );
  }
  const decodeLink = LINK_DECODERS.get(frame.linkType);
  if (!decodeLink) {
    report(result, 'link.unsupported', 0, `link type ${frame.linkType} is not decoded`);
    return result;
  }
  const link = decodeLink(data, result, result.layers);
  if (!link || link.etherType !== ETHERTYPE_IPV4) return result;
  const ip = decodeIpv4(data, link.offset, frame.origLen, result, result.layers);
  if (!ip) return result;
  result.ip = ip;
  const eth = result.layers[0]?.protocol === 'eth' ? result.layers[0] : undefined;
  if (eth && result.detail) annotateEthernet(eth, data, ip);
  if (ip.protocol !== IP_PROTO_IGMP) return result;
  result.isIgmp = true;
  if (ip.fragment === 'later' || !ip.payloadValid) return result;
  if (ip.fragment === 'first') {
    report(
      result,
      'ip.fragment',
      ip.layer.offset + 6,
      'IGMP in an IP fragment: decoded from the first fragment only, incomplete',
      ip.layer,
    );
  }
  result.igmp = decodeIgmp(
    {
      data,
      start: ip.payloadStart,
      capturedEnd: ip.payloadEnd,
      length: ip.payloadLength,
      dst: ip.dst,
      fragmented: ip.fragment === 'first',
    },
    result,
    result.layers,
  );
  return result;
}

/**
 * Bytes after the IP datagram are padding (up to the 60-byte minimum) or trailer, never IGMP;
 * and a multicast destination's MAC is checked against the RFC 1112 §6.4 mapping.
 */
function annotateEthernet(eth: Layer, data: Buffer, ip: Ipv4Result): void {
  const end = ip.datagramEnd;
  if (end < data.length) {
    const padEnd = Math.max(end, Math.min(data.length, ETH_MIN_FRAME));
    if (padEnd > end)
      eth.nodes.push(node(ethFields.padding, data.subarray(end, padEnd), end, padEnd - end));
    if (data.length > padEnd)
      eth.nodes.push(node(ethFields.trailer, data.subarray(padEnd), padEnd, data.length - padEnd));
  }
  const dstAt = ip.layer.offset + 16;
  const firstOctet = data[dstAt];
  if (firstOctet >= 224 && firstOctet <= 239) {
    const expected = multicastMacAt(data, dstAt);
    const dst = findNode(eth.nodes, ethFields.dst);
    if (dst) {
      eth.nodes.push(
        node(ethFields.ipMcastMac, expected, 0, 0),
        node(ethFields.ipMcastMatch, dst.value === expected, 0, 0),
      );
    }
  }
}

export function linkTypeName(linkType: number): string {
  return LINKTYPE_NAMES.get(linkType) ?? `Unknown (${linkType})`;
}
