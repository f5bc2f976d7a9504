import { EventEmitter } from 'node:events';
import { parse as parsePcap, type Packet, type PacketHeader, type Parser } from 'pcap-parser';
import { CaptureError, MAX_CAPTURED_LENGTH, type Frame } from './frame.js';
import type { FrameReader, InterfaceInfo, ReaderInfo } from './reader.js';

const FILE_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
const MAGIC_MICRO_BE = 0xa1b2c3d4;
const MAGIC_MICRO_LE = 0xd4c3b2a1;
const MAGIC_NANO_BE = 0xa1b23c4d;
const MAGIC_NANO_LE = 0x4d3cb2a1;

/** What the first four bytes of a classic pcap file say about the rest of it. */
export interface PcapMagic {
  littleEndian: boolean;
  nanoseconds: boolean;
}

/** Recognises the four classic pcap magics; `first4` is the file's first four bytes read big-endian. */
export function pcapMagic(first4: number): PcapMagic | undefined {
  switch (first4) {
    case MAGIC_MICRO_BE:
      return { littleEndian: false, nanoseconds: false };
    case MAGIC_MICRO_LE:
      return { littleEndian: true, nanoseconds: false };
    case MAGIC_NANO_BE:
      return { littleEndian: false, nanoseconds: true };
    case MAGIC_NANO_LE:
      return { littleEndian: true, nanoseconds: true };
    default:
      return undefined;
  }
}

/**
 * Stands in for the readable stream pcap-parser expects, so that it never reads on its own:
 * the reader emits 'data' itself and pcap-parser's pause/resume calls have nothing to do.
 */
class FeedStream extends EventEmitter {
  pause(): void {
    // The caller paces the input by what it pushes; there is nothing to pause.
  }
  resume(): void {
    // See pause().
  }
}

/**
 * The two members of pcap-parser 0.2.1's Parser that its data handler works with: the bytes it
 * holds (`buffer`, null when it holds none) and the state function it calls until it returns
 * false (`state`: file header, then record header and record body in turn). Not declared by
 * the package; `takeRecordState` checks that they are there before it relies on them.
 */
interface ParserInternals {
  buffer: Buffer | null;
  state: () => boolean;
}

/** Whether the reader may take over pcap-parser's record states (see takeRecordState). */
export interface PcapReaderOptions {
  /** Default true. False keeps pcap-parser's own events, for tests that compare the two. */
  recordState?: boolean;
}

/** The file header fields the reader keeps; pcap-parser's copy of them is not needed. */
interface FileHeader {
  magic: PcapMagic;
  version: string;
  snapLen: number;
  linkType: number;
  fcsLength: number | undefined;
}

/**
 * Classic pcap on top of pcap-parser. The chunks pushed here are handed to pcap-parser through a
 * fake input stream; the records it completes synchronously during that hand-off are the batch
 * returned (through the record state that replaces its events, see takeRecordState). The file
 * header is read (and checked) here before pcap-parser sees it, because pcap-parser rejects
 * nanosecond files and lets bad versions through.
 */
export class PcapReader implements FrameReader {
  readonly format = 'pcap';
  fault: CaptureError | undefined;
  frameCount = 0;
  /** Bytes of complete records (plus the file header): the offset of the next record. */
  bytesConsumed = 0;

  private readonly input = new FeedStream();
  private readonly parser: Parser;
  private header: FileHeader | undefined;
  private headChunks: Buffer[] = [];
  private headLength = 0;
  private bytesFed = 0;
  private batch: Frame[] = [];
  /** Captured length of the record whose header pcap-parser announced last. */
  private announcedCaplen = 0;
  /** Whether pcap-parser holds a record header and waits for the body. */
  private awaitingBody = false;
  private bytesToParser = 0;
  private held: Buffer[] = [];
  private heldLength = 0;
  private linkType = 0;
  private snapLen = 0;
  private tsDigits = 6;
  private littleEndian = true;
  private readonly recordState: boolean;
  /** pcap-parser's members, once the reader has taken over its record states. */
  private parserInternals: ParserInternals | undefined;

  constructor(options: PcapReaderOptions = {}) {
    this.recordState = options.recordState ?? true;
    this.parser = parsePcap(this.input);
    this.parser.on('packetHeader', this.onRecordHeader);
    this.parser.on('packet', this.onPacket);
    // Without an 'error' listener pcap-parser's errors would crash the process. With the file
    // header checked before pcap-parser sees it, none is expected; one would mean an unreadable file.
    this.parser.on('error', this.onParserError);
  }

  /**
   * A reader that starts at the record at `offset` of a file with this (valid) file header, the
   * frames before it already counted: for a worker thread that reads one segment of a file.
   * Frame numbers, record offsets and fault messages are the same as when reading from the start.
   */
  static midFile(
    fileHeader: Buffer,
    offset: number,
    framesBefore: number,
    options?: PcapReaderOptions,
  ): PcapReader {
    const reader = new PcapReader(options);
    reader.push(fileHeader.subarray(0, FILE_HEADER_LENGTH));
    reader.moveTo(offset, framesBefore);
    return reader;
  }

  /**
   * Makes a reader from midFile start again at the record at `offset` of the same file, as if
   * made anew, whatever it was doing (a fault, a record half read): for the next segment a
   * thread reads. False, and nothing changed, where pcap-parser's own record states are in
   * use (see takeRecordState): they cannot be reset from here.
   */
  restartAt(offset: number, framesBefore: number): boolean {
    if (this.parserInternals === undefined) return false;
    this.parserInternals.buffer = null;
    this.fault = undefined;
    this.batch = [];
    this.announcedCaplen = 0;
    this.awaitingBody = false;
    this.held = [];
    this.heldLength = 0;
    this.moveTo(offset, framesBefore);
    return true;
  }

  private moveTo(offset: number, framesBefore: number): void {
    this.bytesConsumed = offset;
    this.bytesFed = offset;
    this.bytesToParser = offset;
    this.frameCount = framesBefore;
  }

  push(chunk: Buffer): Frame[] {
    if (this.fault !== undefined) return [];
    this.bytesFed += chunk.length;
    if (this.header === undefined) return this.pushFileHeader(chunk);
    return this.feed(chunk);
  }

  finish(): CaptureError | undefined {
    if (this.fault === undefined) this.fault = this.endFault();
    return this.fault;
  }

  info(): ReaderInfo {
    const h = this.header;
    const interfaces: InterfaceInfo[] = h
      ? [
          {
            id: 0,
            section: 0,
            linkType: h.linkType,
            snapLen: h.snapLen,
            tsDigits: this.tsDigits,
            fcsLength: h.fcsLength,
          },
        ]
      : [];
    return {
      version: h?.version ?? '',
      littleEndian: h?.magic.littleEndian ?? true,
      sections: h ? 1 : 0,
      interfaces,
    };
  }

  /** Collects bytes until the 24-byte file header is complete, checks it, then starts pcap-parser. */
  private pushFileHeader(chunk: Buffer): Frame[] {
    this.headChunks.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < FILE_HEADER_LENGTH) return [];
    const bytes =
      this.headChunks.length === 1 ? chunk : Buffer.concat(this.headChunks, this.headLength);
    this.headChunks = [];
    const header = readFileHeader(bytes);
    if (header instanceof CaptureError) {
      this.fault = header;
      return [];
    }
    this.header = header;
    this.linkType = header.linkType;
    this.snapLen = header.snapLen;
    this.tsDigits = header.magic.nanoseconds ? 9 : 6;
    this.littleEndian = header.magic.littleEndian;
    this.bytesConsumed = FILE_HEADER_LENGTH;
    this.input.emit('data', parserFileHeader(bytes, header.magic));
    if (this.recordState) this.takeRecordState();
    this.bytesToParser = FILE_HEADER_LENGTH;
    return bytes.length > FILE_HEADER_LENGTH ? this.feed(bytes.subarray(FILE_HEADER_LENGTH)) : [];
  }

  private feed(chunk: Buffer): Frame[] {
    if (this.awaitingBody) {
      const body = this.holdForBody(chunk);
      if (body === undefined) return [];
      chunk = body;
    }
    this.bytesToParser += chunk.length;
    this.input.emit('data', chunk);
    const frames = this.batch;
    this.batch = [];
    return frames;
  }

  /**
   * pcap-parser copies all it holds on every chunk it gets, which turns a record much larger than
   * the chunks (say, 256 KiB fed by a pipe in small pieces) quadratic. So the chunks of a body
   * are held here until the body is complete and handed over joined, in one go. Returns the
   * joined bytes, or undefined while holding.
   */
  private holdForBody(chunk: Buffer): Buffer | undefined {
    const missing =
      this.bytesConsumed + RECORD_HEADER_LENGTH + this.announcedCaplen - this.bytesToParser;
    if (this.heldLength + chunk.length < missing) {
      this.held.push(chunk);
      this.heldLength += chunk.length;
      return undefined;
    }
    if (this.heldLength === 0) return chunk;
    this.held.push(chunk);
    const joined = Buffer.concat(this.held, this.heldLength + chunk.length);
    this.held = [];
    this.heldLength = 0;
    return joined;
  }

  /**
   * pcap-parser spends most of its time per record on things igmpscope throws away: three
   * events, a header object, a packet object and three Buffer views, with each header field
   * read through a method name built from a string. That cost 0.45 µs a frame, half of a bare
   * read of the benchmark capture (1.0M frames/s with its events, 2.0M with this). So, once
   * pcap-parser has taken the file header, its state function is replaced by one that turns
   * every complete record it holds into a frame at once; pcap-parser still receives the input,
   * joins the chunks and keeps the bytes of a record that spans two. If the parser does not
   * have the members this relies on (another version), its events are used as before.
   */
  private takeRecordState(): void {
    const internals = this.parser as unknown as Partial<ParserInternals>;
    if (typeof internals.state !== 'function' || !('buffer' in internals)) return;
    this.parser.removeListener('packetHeader', this.onRecordHeader);
    this.parser.removeListener('packet', this.onPacket);
    const parser = internals as ParserInternals;
    parser.state = () => this.readRecords(parser);
    this.parserInternals = parser;
  }

  /**
   * Reads every complete record in the parser's buffer and leaves it the rest. Returns false:
   * nothing more can be done until more bytes come.
   */
  private readRecords(parser: ParserInternals): boolean {
    const bytes = parser.buffer;
    if (bytes === null) return false;
    const end = bytes.length;
    const le = this.littleEndian;
    let at = 0;
    while (end - at >= RECORD_HEADER_LENGTH && this.fault === undefined) {
      const caplen = le ? bytes.readUInt32LE(at + 8) : bytes.readUInt32BE(at + 8);
      const body = at + RECORD_HEADER_LENGTH;
      if (caplen > MAX_CAPTURED_LENGTH || end - body < caplen) {
        this.recordHeader(caplen);
        break;
      }
      this.record(
        bytes.subarray(body, body + caplen),
        le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at),
        le ? bytes.readUInt32LE(at + 4) : bytes.readUInt32BE(at + 4),
        le ? bytes.readUInt32LE(at + 12) : bytes.readUInt32BE(at + 12),
      );
      at = body + caplen;
    }
    // null when all is taken: pcap-parser then takes the next chunk as it is, without a copy.
    parser.buffer = at === end ? null : at === 0 ? bytes : bytes.subarray(at);
    return false;
  }

  /**
   * A record header whose body is not all there yet. An absurd captured length would make
   * pcap-parser buffer the rest of the file and then end without a word, so the reader stops
   * here instead: once `fault` is set nothing more is fed.
   */
  private recordHeader(caplen: number): void {
    this.announcedCaplen = caplen;
    this.awaitingBody = true;
    if (caplen > MAX_CAPTURED_LENGTH && this.fault === undefined) {
      this.fault = new CaptureError(
        `record at offset ${this.bytesConsumed} claims a captured length of ${caplen} bytes (more than the ${MAX_CAPTURED_LENGTH}-byte maximum): the file is corrupt`,
        this.bytesConsumed,
        'bogus',
      );
    }
  }

  /** A complete record. (pcap-parser's "microseconds" are nanoseconds in a nanosecond file.) */
  private record(data: Buffer, tsSec: number, tsFrac: number, origLen: number): void {
    this.awaitingBody = false;
    this.batch.push({
      number: ++this.frameCount,
      data,
      origLen,
      tsSec,
      tsFrac,
      tsDigits: this.tsDigits,
      interfaceId: 0,
      linkType: this.linkType,
      snapLen: this.snapLen,
      fileOffset: this.bytesConsumed,
    });
    this.bytesConsumed += RECORD_HEADER_LENGTH + data.length;
  }

  /** pcap-parser announces a record's header before it waits for the body. */
  private readonly onRecordHeader = (header: PacketHeader): void =>
    this.recordHeader(header.capturedLength);

  private readonly onPacket = (packet: Packet): void => {
    // A chunk large enough to hold an oversized record's body lets pcap-parser carry on past
    // the fault within that chunk; those records are not the file's any more.
    if (this.fault !== undefined) return;
    const header = packet.header;
    this.record(
      packet.data,
      header.timestampSeconds,
      header.timestampMicroseconds,
      header.originalLength,
    );
  };

  private readonly onParserError = (error: Error): void => {
    this.fault ??= new CaptureError(`pcap-parser: ${error.message}`, this.bytesConsumed, 'format');
  };

  /**
   * pcap-parser drops an incomplete last record without a word; the bytes it was fed but did not
   * turn into records tell that the file was cut.
   */
  private endFault(): CaptureError | undefined {
    if (this.header === undefined) return shortFileFault(this.headLength);
    const left = this.bytesFed - this.bytesConsumed;
    if (left === 0) return undefined;
    const need =
      left < RECORD_HEADER_LENGTH
        ? `${RECORD_HEADER_LENGTH}-byte record header`
        : `${RECORD_HEADER_LENGTH + this.announcedCaplen}-byte record`;
    return new CaptureError(
      `capture appears to have been cut short in the middle of a packet: the record at offset ${this.bytesConsumed} has ${left} bytes of its ${need}`,
      this.bytesConsumed,
      'truncated',
    );
  }
}

function shortFileFault(length: number): CaptureError {
  if (length === 0) return new CaptureError('file is empty', 0, 'format');
  return new CaptureError(
    `capture appears to have been cut short: ${length} bytes is shorter than the ${FILE_HEADER_LENGTH}-byte pcap file header`,
    0,
    'truncated',
  );
}

function readFileHeader(bytes: Buffer): FileHeader | CaptureError {
  const magic = pcapMagic(bytes.readUInt32BE(0));
  if (magic === undefined) {
    const hex = bytes.toString('hex', 0, 4);
    return new CaptureError(`not a pcap capture (magic 0x${hex})`, 0, 'format');
  }
  const u16 = (at: number) =>
    magic.littleEndian ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at);
  const u32 = (at: number) =>
    magic.littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
  const major = u16(4);
  const minor = u16(6);
  // pcap-parser's own check (`major != 2 && minor != 4`) lets e.g. 3.4 or 1.4 through. Like
  // libpcap, any 2.x is accepted.
  if (major !== 2) {
    return new CaptureError(
      `unsupported pcap version ${major}.${minor} (only version 2.x files are readable)`,
      4,
      'format',
    );
  }
  const linkField = u32(20);
  return {
    magic,
    version: `${major}.${minor}`,
    snapLen: u32(16),
    // Only the low 16 bits are the LINKTYPE. Above them libpcap keeps FCS information: bit 26
    // says an FCS length is given, bits 28-31 give it in 16-bit words. Without bit 26 the upper
    // bits say nothing (fuzzed files carry e.g. 0x30000001).
    linkType: linkField & 0xffff,
    fcsLength: linkField & 0x04000000 ? (linkField >>> 28) * 2 : undefined,
  };
}

/**
 * A copy of the file header for pcap-parser, with a nanosecond magic rewritten to the
 * microsecond one in the same byte order: pcap-parser rejects the nanosecond magic, and the
 * record layout is the same, so its "timestampMicroseconds" then holds nanoseconds. A copy, so
 * the caller's buffer is left alone.
 */
function parserFileHeader(bytes: Buffer, magic: PcapMagic): Buffer {
  const header = Buffer.from(bytes.subarray(0, FILE_HEADER_LENGTH));
  if (magic.nanoseconds)
    header.writeUInt32BE(magic.littleEndian ? MAGIC_MICRO_LE : MAGIC_MICRO_BE, 0);
  return header;
}
