/**
 * What every capture reader hands to the decoders: one captured frame, its timestamp at the
 * capture's own precision and the link type of the interface it was captured on.
 */
export interface Frame {
  /** The capture's own 1-based frame number, counting every frame (as Wireshark does). */
  number: number;
  /** The captured bytes (caplen of them). */
  data: Buffer;
  /** The frame's length on the wire (orig_len / Packet Length). */
  origLen: number;
  /** Seconds since the epoch. */
  tsSec: number;
  /** Fraction of a second, in units of 10^-tsDigits seconds. */
  tsFrac: number;
  /** Decimal digits of the fraction the capture records (6 for µs pcap, 9 for ns). */
  tsDigits: number;
  /** pcapng interface id; 0 for classic pcap. */
  interfaceId: number;
  /** LINKTYPE_* value (low 16 bits of the pcap header field). */
  linkType: number;
  /** Interface snaplen (0 = no limit); used to tell a snaplen cut from a lying length. */
  snapLen: number;
  /** Byte offset of the frame's record in the (decompressed) capture file. */
  fileOffset: number;
}

/** A fault in the capture file itself (not in a packet): it ends the reading of the file. */
export class CaptureError extends Error {
  constructor(
    message: string,
    /** Byte offset in the (decompressed) file where the damage starts. */
    readonly offset: number,
    /** 'format' for an unreadable or unsupported file, 'truncated' for a cut, 'bogus' for an impossible length. */
    readonly kind: 'format' | 'truncated' | 'bogus' | 'io',
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

/** Captured lengths above this are impossible in practice (libpcap's own maximum is 256 KiB). */
export const MAX_CAPTURED_LENGTH = 256 * 1024;

/** Renders a timestamp as Wireshark's frame.time_epoch does, at the capture's precision. */
export function epochString(frame: Pick<Frame, 'tsSec' | 'tsFrac' | 'tsDigits'>): string {
  if (frame.tsDigits === 0) return String(frame.tsSec);
  return `${frame.tsSec}.${String(frame.tsFrac).padStart(frame.tsDigits, '0')}`;
}

/** A CaptureError as plain data, to cross from a worker thread (an Error loses its fields). */
export interface CaptureFault {
  message: string;
  offset: number;
  kind: CaptureError['kind'];
}

export function faultOf({ message, offset, kind }: CaptureError): CaptureFault {
  return { message, offset, kind };
}

export function errorOf({ message, offset, kind }: CaptureFault): CaptureError {
  return new CaptureError(message, offset, kind);
}
