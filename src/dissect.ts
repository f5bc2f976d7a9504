import type { Frame } from './capture/frame.js';
import { NodeOut, type FieldOut } from './field-out.js';
import type { Layer, Problem } from './fields.js';
import { decodeIgmp, type IgmpMessage } from './layers/igmp/decode.js';
import { IP_PROTO_IGMP, decodeIpv4, type Ipv4Result } from './layers/ip/ipv4.js';
import { ETHERTYPE_IPV4 } from './layers/link/ethertypes.js';
import { LINK_DECODERS, LINKTYPE_NAMES } from './layers/link/linktypes.js';
import { report } from './problems.js';

export interface Dissection {
  readonly frame: Frame;
  /** Whether the field tree was built (the layers' nodes). */
  readonly detail: boolean;
  /** Where the decoders put fields (see ProblemSink.out). */
  readonly out: FieldOut | undefined;
  readonly layers: Layer[];
  /** Every problem of the frame, in the order found. */
  readonly problems: Problem[];
  ip?: Ipv4Result;
  igmp?: IgmpMessage;
  /** IPv4 protocol 2: the IGMP family, what igmpscope shows by default. */
  isIgmp: boolean;
}

export interface DissectOptions {
  /** Build the field tree (for -V and the library). Default true; summaries and analyses skip it. */
  detail?: boolean;
  /** Hand the fields to this writer instead of building a tree (the NDJSON writer). */
  out?: FieldOut;
}

/** Walks one frame down the dispatch tables: link type → ethertype → IPv4 → IP protocol 2. */
export function dissect(frame: Frame, options: DissectOptions = {}): Dissection {
  const detail = options.out === undefined && options.detail !== false;
  const result: Dissection = {
    frame,
    detail,
    out: options.out ?? (detail ? new NodeOut() : undefined),
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

export function linkTypeName(linkType: number): string {
  return LINKTYPE_NAMES.get(linkType) ?? `Unknown (${linkType})`;
}
