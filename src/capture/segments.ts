import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { MAX_CAPTURED_LENGTH, type Frame } from './frame.js';
import { asCaptureError } from './open.js';
import { pcapMagic, PcapReader } from './pcap.js';

const FILE_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
/** The planner's reads: large, since it only looks at 16 bytes in every record. */
const PLAN_READ_SIZE = 1024 * 1024;

/**
 * A run of whole records of a classic pcap file, which a worker thread can read on its own:
 * with the file header and the number of frames before it, its frames get their own numbers
 * and offsets.
 */
export interface CaptureSegment {
  /** File offset of the segment's first record. */
  start: number;
  /** File offset after its last byte (for the last segment, the file's size when planned). */
  end: number;
  /** Frames in the file before the segment. */
  framesBefore: number;
  /** Timestamp (seconds, fraction) of the capture's first frame, which times count from. */
  firstTime?: [number, number];
}

/**
 * The segment size to use: `usual`, unless IGMPSCOPE_SEGMENT_BYTES says otherwise (the tests
 * cut small captures into many segments with it).
 */
export function segmentBytes(usual: number): number {
  const asked = Number(process.env.IGMPSCOPE_SEGMENT_BYTES);
  return Number.isInteger(asked) && asked > 0 ? asked : usual;
}

/** Whether `path` is a regular file that starts with a classic pcap magic (a quick look). */
export function looksSegmentable(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (!fstatSync(fd).isFile()) return false;
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && pcapMagic(head.readUInt32BE(0)) !== undefined;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The 24-byte file header of a classic pcap file, if `path` is a regular, uncompressed pcap
 * file with a header the reader accepts; otherwise undefined (the caller reads it in one go,
 * where anything wrong is reported as usual).
 */
export async function segmentableHeader(path: string): Promise<Buffer | undefined> {
  let file;
  try {
    file = await open(path, 'r');
    const stat = await file.stat();
    if (!stat.isFile()) return undefined;
    const header = Buffer.alloc(FILE_HEADER_LENGTH);
    const { bytesRead } = await file.read(header, 0, FILE_HEADER_LENGTH, 0);
    if (bytesRead < FILE_HEADER_LENGTH) return undefined;
    const magic = pcapMagic(header.readUInt32BE(0));
    if (magic === undefined) return undefined;
    const major = magic.littleEndian ? header.readUInt16LE(4) : header.readUInt16BE(4);
    return major === 2 ? header : undefined;
  } catch {
    return undefined;
  } finally {
    await file?.close();
  }
}

/**
 * Cuts a classic pcap file into segments of about `targetBytes`, at record boundaries, by
 * hopping from record header to record header. The segments come as they are found, so
 * workers can start before the whole file has been looked at. Where a record is cut or claims
 * an impossible length, planning stops: the last segment runs to the end of the file, and the
 * reader of that segment meets the fault and reports it as it would in one go.
 */
export async function* planSegments(
  path: string,
  header: Buffer,
  targetBytes: number,
): AsyncGenerator<CaptureSegment, void, undefined> {
  const littleEndian = pcapMagic(header.readUInt32BE(0))?.littleEndian ?? true;
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const buffer = Buffer.allocUnsafe(PLAN_READ_SIZE);
    let segmentStart = FILE_HEADER_LENGTH;
    let framesBefore = 0;
    let frames = 0;
    let firstTime: [number, number] | undefined;
    let at = FILE_HEADER_LENGTH;
    // `buffer` holds the file from `bufferStart` on, `filled` bytes of it.
    let bufferStart = 0;
    let filled = 0;
    planning: while (at + RECORD_HEADER_LENGTH <= size) {
      if (at + RECORD_HEADER_LENGTH > bufferStart + filled) {
        bufferStart = at;
        filled = (await file.read(buffer, 0, PLAN_READ_SIZE, at)).bytesRead;
        if (filled < RECORD_HEADER_LENGTH) break planning;
      }
      const h = at - bufferStart;
      const caplen = littleEndian ? buffer.readUInt32LE(h + 8) : buffer.readUInt32BE(h + 8);
      const next = at + RECORD_HEADER_LENGTH + caplen;
      if (caplen > MAX_CAPTURED_LENGTH || next > size) break;
      if (frames === 0) {
        const seconds = littleEndian ? buffer.readUInt32LE(h) : buffer.readUInt32BE(h);
        const fraction = littleEndian ? buffer.readUInt32LE(h + 4) : buffer.readUInt32BE(h + 4);
        firstTime = [seconds, fraction];
      }
      frames++;
      at = next;
      if (at - segmentStart >= targetBytes) {
        yield { start: segmentStart, end: at, framesBefore, firstTime };
        segmentStart = at;
        framesBefore = frames;
      }
    }
    if (segmentStart < size || framesBefore === 0) {
      yield { start: segmentStart, end: size, framesBefore, firstTime };
    }
  } finally {
    await file.close();
  }
}

/**
 * Reads one segment's frames through pcap-parser (a PcapReader started mid-file), in batches
 * as readCapture does; a fault within the segment is thrown as a CaptureError after the frames
 * before it. For the worker threads, which have nothing else to do meanwhile: the reads are
 * synchronous, on a descriptor kept open from segment to segment. (A read handed to libuv's
 * thread pool wakes a third thread for each chunk, on a machine of two cores where both
 * workers are busy; and a read stream per segment cost a third of a millisecond.)
 */
export async function* readSegment(
  path: string,
  header: Buffer,
  segment: CaptureSegment,
  chunkSize = 64 * 1024,
): AsyncGenerator<Frame[], void, undefined> {
  const kept = segmentReader(header, segment);
  const reader = kept.reader;
  try {
    const fd = segmentFile(path);
    for (let at = segment.start; at < segment.end;) {
      const want = Math.min(chunkSize, segment.end - at);
      // A new buffer each time: frames are views into it and may outlive the loop.
      const chunk = Buffer.allocUnsafe(want);
      const got = readSync(fd, chunk, 0, want, at);
      // A file shorter than planned ends the reads early: finish() says where.
      if (got === 0) break;
      at += got;
      const frames = reader.push(got < want ? chunk.subarray(0, got) : chunk);
      if (frames.length > 0) yield frames;
      if (reader.fault !== undefined) throw reader.fault;
    }
    const fault = reader.finish();
    if (fault !== undefined) throw fault;
  } catch (error) {
    throw asCaptureError(error, reader.bytesConsumed, reader.bytesConsumed);
  } finally {
    spareReader = kept;
  }
}

/** A segment reader, and (a copy of) the file header it was made for. */
interface KeptReader {
  header: Buffer;
  reader: PcapReader;
}

/**
 * The reader of the segment this thread read last: the next segment of a file with the same
 * header is read with it (see segmentReader).
 */
let spareReader: KeptReader | undefined;

/**
 * A reader for `segment`: the spare one started again there, or a new one. A reader made for
 * every segment was 1–2 KB of objects (the reader, pcap-parser's parser, their listeners) that
 * lived only as long as the segment; yet in the workers' first seconds V8 promoted about 7 KB
 * of them at each scavenge, 250–300 KB/s per worker (`--trace-gc-nvp`), which grew each
 * worker's old generation by about 2 MiB before its first full collection. So two threads
 * peaked higher on 2M frames than on 200k. One reader per thread, started again at each
 * segment, promotes nothing after the first half second. The spare is taken while in use, so
 * two segments read at the same time in one thread each get their own.
 */
function segmentReader(header: Buffer, segment: CaptureSegment): KeptReader {
  const spare = spareReader;
  spareReader = undefined;
  if (spare?.header.equals(header) && spare.reader.restartAt(segment.start, segment.framesBefore)) {
    return spare;
  }
  return {
    header: Buffer.from(header),
    reader: PcapReader.midFile(header, segment.start, segment.framesBefore),
  };
}

/**
 * The open file the segments are read from: one per thread, kept while segments of the same
 * file come, closed when another file's do (and by the process's end for the last one).
 */
let openFile: { path: string; fd: number } | undefined;

function segmentFile(path: string): number {
  if (openFile?.path !== path) {
    if (openFile !== undefined) closeSync(openFile.fd);
    openFile = undefined;
    // A failed open is not kept: the next segment tries again (and reports it again).
    openFile = { path, fd: openSync(path, 'r') };
  }
  return openFile.fd;
}
