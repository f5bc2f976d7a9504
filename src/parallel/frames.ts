import type { Frame } from '../capture/frame.js';

/** Numbers kept per frame in a packed batch, in this order. */
const FIELDS = 10;

/**
 * A batch of frames in two flat arrays that move to a worker thread and back without a copy:
 * the frames' bytes back to back, and their numbers (frame number, lengths, timestamp,
 * interface, link type, snaplen, file offset, where the bytes start). The arrays are reused
 * from batch to batch: buffers allocated in one thread and freed in another made the C
 * allocator's memory grow with the length of the capture.
 */
export interface PackedFrames {
  meta: Float64Array;
  data: Uint8Array;
  count: number;
  /** Bytes of `data` in use. */
  size: number;
}

/** Packs frames into `reuse`'s arrays when they are large enough, else into new ones. */
export function packFrames(frames: readonly Frame[], reuse?: PackedFrames): PackedFrames {
  let size = 0;
  for (const f of frames) size += f.data.length;
  const data =
    reuse && reuse.data.length >= size ? reuse.data : new Uint8Array(Math.max(size, 64 * 1024));
  const metaLength = frames.length * FIELDS;
  const meta =
    reuse && reuse.meta.length >= metaLength
      ? reuse.meta
      : new Float64Array(Math.max(metaLength, 1024 * FIELDS));
  let at = 0;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    const m = i * FIELDS;
    meta[m] = f.number;
    meta[m + 1] = f.origLen;
    meta[m + 2] = f.tsSec;
    meta[m + 3] = f.tsFrac;
    meta[m + 4] = f.tsDigits;
    meta[m + 5] = f.interfaceId;
    meta[m + 6] = f.linkType;
    meta[m + 7] = f.snapLen;
    meta[m + 8] = f.fileOffset;
    meta[m + 9] = at;
    data.set(f.data, at);
    at += f.data.length;
  }
  return { meta, data, count: frames.length, size };
}

/** The frames of a packed batch; their bytes are views into its data array. */
export function unpackFrames({ meta, data, count, size }: PackedFrames): Frame[] {
  const bytes = Buffer.from(data.buffer, data.byteOffset, size);
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    const m = i * FIELDS;
    const start = meta[m + 9];
    const end = i + 1 < count ? meta[m + FIELDS + 9] : size;
    frames.push({
      number: meta[m],
      data: bytes.subarray(start, end),
      origLen: meta[m + 1],
      tsSec: meta[m + 2],
      tsFrac: meta[m + 3],
      tsDigits: meta[m + 4],
      interfaceId: meta[m + 5],
      linkType: meta[m + 6],
      snapLen: meta[m + 7],
      fileOffset: meta[m + 8],
    });
  }
  return frames;
}

/** The arrays to list as transferred when posting a packed batch. */
export function transferList({ meta, data }: PackedFrames): ArrayBuffer[] {
  return [meta.buffer as ArrayBuffer, data.buffer as ArrayBuffer];
}
