import type { Layer } from '../../fields.js';
import type { ProblemSink } from '../../problems.js';
import { ETHERTYPE_IPV4 } from './ethertypes.js';
import { decodeEthernet } from './ethernet.js';
import type { LinkResult } from './link.js';
import { decodeNull } from './null.js';
import { decodeSll, decodeSll2 } from './sll.js';

export type LinkDecoder = (data: Buffer, sink: ProblemSink, layers: Layer[]) => LinkResult;

const rawIpv4: LinkDecoder = () => ({ etherType: ETHERTYPE_IPV4, offset: 0 });

export const LINKTYPE_ETHERNET = 1;

/** Link-layer decoders by LINKTYPE_* value (low 16 bits of the capture's link type). */
export const LINK_DECODERS: ReadonlyMap<number, LinkDecoder> = new Map<number, LinkDecoder>([
  [0, decodeNull],
  [LINKTYPE_ETHERNET, decodeEthernet],
  // DLT_RAW as some platforms write it in the file (12 on most BSDs, 14 on OpenBSD).
  [12, rawIpv4],
  [14, rawIpv4],
  [101, rawIpv4],
  [228, rawIpv4],
  [113, decodeSll],
  [276, decodeSll2],
]);

export const LINKTYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'NULL/Loopback'],
  [1, 'Ethernet'],
  [12, 'Raw IP'],
  [14, 'Raw IP'],
  [101, 'Raw IP'],
  [228, 'Raw IPv4'],
  [113, 'Linux cooked-mode capture v1'],
  [276, 'Linux cooked-mode capture v2'],
]);
