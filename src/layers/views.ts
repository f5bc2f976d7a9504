/**
 * The typed views some decoders leave on a dissection, beside the fields they hand to the
 * writers: what the summary, `validate` and `membership` read without a field tree. Types only,
 * below every decoder, so that the registry can name them without importing a decoder.
 */
import type { Layer } from '../fields.js';

export const CHECKSUM_STATUS_TEXT = {
  good: 'Good',
  bad: 'Bad',
  unverified: 'Unverified',
  /** A checksum field that may be zero for "none" (UDP over IPv4, RFC 768) and is. */
  not_present: 'Not present',
} as const;
export type ChecksumStatus = keyof typeof CHECKSUM_STATUS_TEXT;
export const CHECKSUM_STATUSES = Object.keys(CHECKSUM_STATUS_TEXT) as readonly ChecksumStatus[];
/** Wireshark's numbers for the statuses (its PROTO_CHECKSUM_E_* values). */
export const CHECKSUM_STATUS_CODES: Readonly<Record<ChecksumStatus, number>> = {
  bad: 0,
  good: 1,
  unverified: 2,
  not_present: 3,
};

/** An IPv4 datagram as its decoder read it. */
export interface Ipv4View {
  layer: Layer;
  protocol: number;
  src: string;
  dst: string;
  ttl: number;
  /** Offset of the payload in the frame. */
  payloadStart: number;
  /** End of the payload within the captured bytes (≤ data.length). */
  payloadEnd: number;
  /** Payload length the header claims (total length − header length). */
  payloadLength: number;
  /** End of the datagram in the frame, clipped to the captured bytes: padding starts here. */
  datagramEnd: number;
  fragment: 'none' | 'first' | 'later';
  fragmentOffsetBytes: number;
  id: number;
  routerAlert: boolean;
  /**
   * The whole header was captured and the total length covers it: only then is there a payload
   * to hand on (otherwise the problems say why there is none).
   */
  payloadValid: boolean;
}

export const QUERY_KINDS = ['general', 'group-specific', 'group-and-source-specific'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface GroupRecord {
  /** Frame offset of the record. */
  offset: number;
  type: number;
  auxWords: number;
  group: string;
  sources: string[];
}

/** The decoded IGMP message in typed form, for summaries and the analyses built on the decoder. */
export interface IgmpMessage {
  /** Frame offset of the first IGMP byte. */
  start: number;
  type: number;
  /** 0–3; absent for mtrace, the handed-off protocols and unknown types. */
  version?: number;
  /** Protocol column, as Wireshark labels the frame (IGMPv2, IGMPv3, DVMRP, PIMv1, IGMP …). */
  label: string;
  /** Length of the message as the IP header gives it. */
  length: number;
  checksumStatus: ChecksumStatus;
  group?: string;
  maxRespTenths?: number;
  queryKind?: QueryKind;
  sFlag?: boolean;
  qrv?: number;
  qqic?: number;
  sources?: string[];
  numRecords?: number;
  records?: GroupRecord[];
  /** Byte 1 of DVMRP and PIMv1 messages. */
  code?: number;
  /** Decoding stopped early: the message lies about its own counts or is too short. */
  malformed: boolean;
  /** The capture cut the message short. */
  truncated: boolean;
}
