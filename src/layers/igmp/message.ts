/**
 * What every member of the IGMP family shares: a message whose length the IP header gives,
 * that starts with type, byte 1 and an Internet checksum (RFC 1112 appendix I's head), read
 * within bounds that tell a capture cut (truncated) from a message that lies about its own
 * layout (malformed). IGMP itself and each protocol handed a family type (DVMRP, PIMv1, RGMP,
 * MSNIP, MRDISC, IGAP) decode through these, so they judge lengths and checksums alike.
 */
import { expectedChecksum, onesComplementSum } from '../../checksum.js';
import { startLayer, type FieldOut } from '../../field-out.js';
import { field, hex, type FieldDef, type Layer } from '../../fields.js';
import { report, type ProblemDef, type ProblemSink } from '../../problems.js';
import { u16 } from '../../read.js';
import { checksumText } from '../checksums.js';
import type { Dissection } from '../registry.js';
import {
  CHECKSUM_STATUS_CODES,
  CHECKSUM_STATUS_TEXT,
  CHECKSUM_STATUSES,
  type ChecksumStatus,
  type IgmpMessage,
} from '../views.js';

/** Words a problem about a field the message cannot hold: (bounds, field offset, x, y). */
export type Describe = (b: Bounds, offset: number, x: number, y: number) => string;

/** The message is only cut by the capture: the truncation problem says it all. */
export const CUT: Describe = () => '';

/** `<what> message of N bytes, shorter than <x>`: the usual words for a short message. */
export const SHORTER_THAN: Describe = (b, _at, min) =>
  `${b.what} message of ${b.length} bytes, shorter than ${min}`;

/** Reads within a message: tells a capture cut (truncated) from a lying message (malformed). */
export class Bounds {
  /** End of the message as the IP header bounds it. */
  readonly end: number;
  /** End of the message's captured bytes. */
  readonly capEnd: number;
  readonly out: FieldOut | undefined;
  stopped = false;

  constructor(
    readonly data: Buffer,
    /** Frame offset of the message's first byte. */
    readonly start: number,
    /** Message length from the IP header. */
    readonly length: number,
    capturedEnd: number,
    /** The IP datagram is a first fragment: the message is incomplete. */
    readonly fragmented: boolean,
    readonly sink: ProblemSink,
    readonly layer: Layer,
    readonly msg: IgmpMessage,
    /** The protocol's `<proto>.truncated` problem id. */
    readonly truncatedId: string,
    /** How problems name the message (`IGMP`, `DVMRP`, `PIMv1` …). */
    readonly what: string,
  ) {
    this.out = sink.out;
    this.end = start + length;
    this.capEnd = Math.min(capturedEnd, this.end);
  }

  /**
   * True when [offset, offset+len) can be read. Otherwise reports why — `overflowId` and
   * `describe` (with `x`, `y`) say what field the message itself cannot hold — and stops the
   * decoding. The text is made only then: the hot path allocates no message or closure.
   */
  has(offset: number, len: number, overflowId: string, describe: Describe, x = 0, y = 0): boolean {
    if (this.stopped) return false;
    if (offset + len <= this.capEnd) return true;
    this.stopped = true;
    if (offset + len > this.end) {
      this.msg.malformed = true;
      report(this.sink, overflowId, offset, describe(this, offset, x, y), this.layer);
    } else {
      this.msg.truncated = true;
      report(
        this.sink,
        this.truncatedId,
        this.capEnd,
        `${this.what} message cut short by the capture: ${this.capEnd - this.start} of ${this.length} bytes captured`,
        this.layer,
      );
    }
    return false;
  }
}

/**
 * Starts the layer of a family protocol handed a message by IGMP: the layer, the typed view
 * (`d.igmp`, which validate and membership read whatever protocol the message belongs to) and
 * the bounds to read it within.
 */
export function beginMessage(
  d: Dissection,
  protocol: string,
  label: string,
  start: number,
  end: number,
  wireEnd: number,
  truncatedId: string,
): Bounds {
  const capEnd = Math.min(end, wireEnd);
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, protocol, start, Math.max(0, capEnd - start));
  const msg: IgmpMessage = {
    start,
    type: capEnd > start ? data[start] : -1,
    label,
    length: wireEnd - start,
    checksumStatus: 'unverified',
    malformed: false,
    truncated: false,
  };
  d.igmp = msg;
  const fragmented = d.ip?.fragment === 'first';
  return new Bounds(
    data,
    start,
    wireEnd - start,
    end,
    fragmented,
    d,
    layer,
    msg,
    truncatedId,
    label,
  );
}

/**
 * Ends a message: when the capture cut it after the last field decoded (so nothing said so
 * yet), reports the cut, since its checksum could not be checked.
 */
export function endMessage(b: Bounds): void {
  if (!b.stopped && b.capEnd < b.end) b.has(b.start, b.length, b.truncatedId, CUT);
}

/** The fields of a family message's checksum, and the problem a wrong one raises. */
export interface MessageChecksum {
  readonly checksum: FieldDef;
  readonly status: FieldDef;
  readonly calculated: FieldDef;
  readonly problem: string;
}

/**
 * `<prefix>.checksum` (Wireshark's name, or `checksum` as given: PIM calls it `pim.cksum`), its
 * status, and the value it should have (ours, as igmp.checksum_calculated).
 */
export function messageChecksum(prefix: string, checksum = `${prefix}.checksum`): MessageChecksum {
  return {
    checksum: field({ abbrev: checksum, name: 'Checksum', kind: 'uint', hexDigits: 4 }),
    status: field({
      abbrev: `${checksum}.status`,
      name: 'Checksum Status',
      kind: 'string',
      values: CHECKSUM_STATUSES,
      codes: CHECKSUM_STATUS_CODES,
      generated: true,
      show: (n) => CHECKSUM_STATUS_TEXT[n.value as ChecksumStatus],
    }),
    calculated: field({
      abbrev: `${checksum}_calculated`,
      name: 'Calculated Checksum',
      kind: 'uint',
      hexDigits: 4,
      blurb: `the checksum the message should carry, present when ${checksum}.status is bad`,
      ours: true,
      generated: true,
    }),
    problem: `${prefix}.checksum.bad`,
  };
}

/**
 * The checksum at bytes 2–3, over [start, spanEnd) (the whole message unless a protocol says
 * otherwise). Verified when `verify` (the message is long enough to be what it claims) and the
 * whole span was captured outside a fragment; unverified otherwise. The caller has checked
 * that bytes 2–3 are there.
 */
export function putMessageChecksum(
  b: Bounds,
  c: MessageChecksum,
  verify: boolean,
  spanEnd = b.end,
): ChecksumStatus {
  const { data, start } = b;
  const at = start + 2;
  const stored = u16(data, at);
  let status: ChecksumStatus = 'unverified';
  if (verify && !b.fragmented && b.capEnd >= spanEnd)
    status = onesComplementSum(data, start, spanEnd) === 0xffff ? 'good' : 'bad';
  b.msg.checksumStatus = status;
  const expected = status === 'bad' ? expectedChecksum(data, start, spanEnd, at) : 0;
  const out = b.out;
  const node = out?.add(
    c.checksum,
    stored,
    at,
    2,
    undefined,
    out.texts ? checksumText(stored, status, expected) : undefined,
  );
  if (status === 'bad') {
    report(
      b.sink,
      c.problem,
      at,
      `${b.what} checksum ${hex(stored, 4)} is wrong, should be ${hex(expected, 4)}`,
      node ?? b.layer,
    );
  }
  if (out) {
    out.add(c.status, status, at, 0);
    if (status === 'bad') out.add(c.calculated, expected, at, 0);
  }
  return status;
}

/**
 * The problems every family protocol can report: cut by the capture, shorter than its layout
 * (or a count that overruns it), a wrong checksum. `what` names the protocol in descriptions.
 */
export function messageProblems(
  prefix: string,
  what: string,
  shortReference: string,
  checksumReference: string,
): ProblemDef[] {
  return [
    {
      id: `${prefix}.truncated`,
      severity: 'warning',
      layer: prefix,
      description: `${what} message cut short by the capture: fields past the cut and the checksum cannot be checked`,
    },
    {
      id: `${prefix}.too_short`,
      severity: 'error',
      layer: prefix,
      description: `${what} message shorter than the layout its type or code needs`,
      reference: shortReference,
    },
    {
      id: `${prefix}.checksum.bad`,
      severity: 'error',
      layer: prefix,
      description: `${what} checksum over the whole message is wrong`,
      reference: checksumReference,
    },
  ];
}

/** A name from a value table, or tshark's `Unknown`. */
export function nameOr(names: ReadonlyMap<number, string>, value: number): string {
  return names.get(value) ?? 'Unknown';
}
