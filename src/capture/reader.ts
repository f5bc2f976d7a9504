import type { CaptureError, Frame } from './frame.js';

/**
 * What every format reader offers readCapture (open.ts), below both so that the readers and
 * the opener do not import each other.
 */

/** One capture interface: the single one of a pcap file, or one pcapng Interface Description Block. */
export interface InterfaceInfo {
  /** The value frames carry in `interfaceId` (file-wide running index for pcapng). */
  id: number;
  /** 0-based pcapng section the interface belongs to (0 for pcap). */
  section: number;
  linkType: number;
  /** 0 = no limit. */
  snapLen: number;
  /** Decimal digits of the timestamps' fractions. */
  tsDigits: number;
  /** FCS bytes at the end of each frame, when the file says (pcap link-type bits, pcapng if_fcslen). */
  fcsLength: number | undefined;
}

/** What a reader knows of the file it has read so far. */
export interface ReaderInfo {
  /** File format version, "2.4" or "1.0" (the first section's, for pcapng). */
  version: string;
  /** Byte order of the file (of its first section, for pcapng). */
  littleEndian: boolean;
  /** pcapng sections (1 for pcap). */
  sections: number;
  interfaces: InterfaceInfo[];
}

/**
 * The contract between readCapture and a format reader: chunks in, batches of frames out. A
 * reader never throws; it records its first fault and returns the frames before it.
 */
export interface FrameReader {
  readonly format: 'pcap' | 'pcapng';
  /** Set once the file is found faulty; no more chunks may be pushed then. */
  readonly fault: CaptureError | undefined;
  readonly frameCount: number;
  /** Offset of the first byte not yet part of a complete record or block. */
  readonly bytesConsumed: number;
  /**
   * Reads a chunk; returns the frames it completed, in file order. Their `data` are views into
   * the chunks (no copies), so a frame kept alive keeps its chunk alive.
   */
  push(chunk: Buffer): Frame[];
  /** Ends the input: returns the fault (a cut record, a too-short file), if any. */
  finish(): CaptureError | undefined;
  info(): ReaderInfo;
}
