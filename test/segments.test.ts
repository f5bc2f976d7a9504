import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureError, type Frame } from '../src/capture/frame.js';
import { readCapture } from '../src/capture/open.js';
import { PcapReader } from '../src/capture/pcap.js';
import { pcapFileHeader } from '../src/builder/pcap.js';
import {
  looksSegmentable,
  planSegments,
  readSegment,
  segmentableHeader,
  type CaptureSegment,
} from '../src/capture/segments.js';
import { FIRST_CAPTURES, corpusPath, needsCorpus } from './corpus.js';

/** Every frame of a capture and the fault that ended it, read in one go. */
async function readWhole(path: string): Promise<{ frames: Frame[]; fault?: CaptureError }> {
  const frames: Frame[] = [];
  try {
    for await (const batch of readCapture(path)) frames.push(...batch);
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    return { frames, fault: error };
  }
  return { frames };
}

/** The same, segment by segment, as the workers of `validate --jobs` read it. */
async function readInSegments(
  path: string,
  header: Buffer,
  targetBytes: number,
): Promise<{ frames: Frame[]; fault?: CaptureError; segments: CaptureSegment[] }> {
  const frames: Frame[] = [];
  const segments: CaptureSegment[] = [];
  for await (const segment of planSegments(path, header, targetBytes)) {
    segments.push(segment);
    try {
      for await (const batch of readSegment(path, header, segment)) frames.push(...batch);
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
      return { frames, fault: error, segments };
    }
  }
  return { frames, segments };
}

const PCAP_FIXTURES = [
  ...readdirSync('fixtures')
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => `fixtures/${f}`),
  ...readdirSync('fixtures/fuzz')
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => `fixtures/fuzz/${f}`),
  'fixtures/built/cut-short.pcap',
  'fixtures/built/defects.pcap',
  'fixtures/built/sample-ns-be.pcap',
];

/** Reads each file in segments of several sizes and in one go; returns the splits compared. */
async function compareSegmentsWithWhole(files: readonly string[]): Promise<number> {
  let checked = 0;
  for (const path of files) {
    const header = await segmentableHeader(path);
    if (header === undefined) continue;
    const whole = await readWhole(path);
    for (const target of [1, 100, 1000, 1 << 20]) {
      const parts = await readInSegments(path, header, target);
      const label = `${path} in segments of ${target} bytes`;
      assert.equal(parts.frames.length, whole.frames.length, label);
      assert.deepEqual(parts.frames, whole.frames, label);
      assert.equal(parts.fault?.message, whole.fault?.message, label);
      assert.equal(parts.fault?.offset, whole.fault?.offset, label);
      // Segments follow each other without a gap, each starting where a record starts.
      for (let i = 1; i < parts.segments.length; i++) {
        assert.equal(parts.segments[i].start, parts.segments[i - 1].end, label);
        const first = whole.frames[parts.segments[i].framesBefore];
        if (first) assert.equal(first.fileOffset, parts.segments[i].start, label);
      }
      checked++;
    }
  }
  return checked;
}

test('segments read the same frames, numbers, offsets and fault as one pass over the file', async () => {
  const checked = await compareSegmentsWithWhole(PCAP_FIXTURES);
  assert.ok(checked >= 24, `checked ${checked} splits`);
});

test('segments of the real pcap files read what one pass reads', needsCorpus, async () => {
  const files = FIRST_CAPTURES.filter((f) => f.endsWith('.pcap')).map(corpusPath);
  const checked = await compareSegmentsWithWhole(files);
  assert.equal(checked, 4 * files.length);
});

/** A pcap file's header, its frames read in one go, and its segments of about `targetBytes`. */
async function planned(
  path: string,
  targetBytes: number,
): Promise<{
  header: Buffer;
  whole: { frames: Frame[]; fault?: CaptureError };
  segments: CaptureSegment[];
}> {
  const header = await segmentableHeader(path);
  assert.ok(header, path);
  const whole = await readWhole(path);
  const segments: CaptureSegment[] = [];
  for await (const s of planSegments(path, header, targetBytes)) segments.push(s);
  return { header, whole, segments };
}

/** The frames of one segment, and the fault that ended it. */
async function segmentFrames(
  path: string,
  header: Buffer,
  segment: CaptureSegment,
  chunkSize?: number,
): Promise<{ frames: Frame[]; fault?: unknown }> {
  const frames: Frame[] = [];
  try {
    for await (const batch of readSegment(path, header, segment, chunkSize)) frames.push(...batch);
  } catch (fault) {
    return { frames, fault };
  }
  return { frames };
}

test(
  'readSegment: reads of a few bytes, a file cut after planning, a missing file',
  needsCorpus,
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'igmpscope-segments-'));
    try {
      const path = join(dir, 'copy.pcap');
      copyFileSync(corpusPath('tcpdump/IGMP_V2.pcap'), path);
      const { header, whole, segments } = await planned(path, 1 << 20);
      assert.equal(segments.length, 1);
      const [segment] = segments;
      // Seven bytes a read: records span reads, as they span chunks of a stream.
      assert.deepEqual((await segmentFrames(path, header, segment, 7)).frames, whole.frames);
      // Cut after planning, inside the last record: the frames before it, then the cut.
      truncateSync(path, segment.end - 5);
      const cut = await segmentFrames(path, header, segment, 7);
      const shorter = await readWhole(path);
      assert.ok(shorter.fault);
      assert.deepEqual(cut.frames, shorter.frames);
      assert.ok(cut.fault instanceof CaptureError);
      assert.equal(cut.fault.kind, 'truncated');
      assert.equal(cut.fault.offset, shorter.fault.offset);
      assert.equal(cut.fault.message, shorter.fault.message);
      // A file that is not there: an io error, not an exception of another kind.
      const missing = await segmentFrames(join(dir, 'missing.pcap'), header, segment);
      assert.equal(missing.frames.length, 0);
      assert.ok(missing.fault instanceof CaptureError);
      assert.equal(missing.fault.kind, 'io');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'a thread reads segments in any order, after a fault, and two at a time',
  needsCorpus,
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'igmpscope-segments-'));
    try {
      const path = corpusPath('tcpdump/IGMP_V2.pcap');
      const { header, whole, segments } = await planned(path, 200);
      assert.ok(segments.length >= 4, `${segments.length} segments`);
      const expected = (s: CaptureSegment): Frame[] =>
        whole.frames.filter((f) => f.fileOffset >= s.start && f.fileOffset < s.end);

      // Last to first: each segment starts afresh where the one before it was left.
      for (const segment of [...segments].reverse()) {
        assert.deepEqual((await segmentFrames(path, header, segment)).frames, expected(segment));
      }

      // A segment that ends in a fault (a copy cut inside its last record), then a sound one
      // of the same header: the fault is not carried over.
      const cutPath = join(dir, 'cut.pcap');
      copyFileSync(path, cutPath);
      const last = segments[segments.length - 1];
      truncateSync(cutPath, last.end - 5);
      const cut = await segmentFrames(cutPath, header, last, 7);
      assert.ok(cut.fault instanceof CaptureError);
      assert.equal(cut.fault.kind, 'truncated');
      assert.deepEqual(cut.frames, expected(last).slice(0, -1));
      assert.deepEqual(
        (await segmentFrames(path, header, segments[1])).frames,
        expected(segments[1]),
      );

      // Left after its first frames, with the first bytes of the next record already read: the
      // next segment does not start with them (whatever the read size).
      for (let chunkSize = 20; chunkSize <= 140; chunkSize += 3) {
        for await (const batch of readSegment(path, header, segments[3], chunkSize)) {
          assert.ok(batch.length > 0);
          break;
        }
        const next = await segmentFrames(path, header, segments[0], chunkSize);
        assert.deepEqual(next.frames, expected(segments[0]), `reads of ${chunkSize} bytes`);
      }

      // Two segments read in turns, chunk by chunk: each has a reader of its own.
      const a = readSegment(path, header, segments[0], 7);
      const b = readSegment(path, header, segments[2], 7);
      const fromA: Frame[] = [];
      const fromB: Frame[] = [];
      for (let doneA = false, doneB = false; !doneA || !doneB;) {
        if (!doneA) {
          const next = await a.next();
          if (next.done) doneA = true;
          else fromA.push(...next.value);
        }
        if (!doneB) {
          const next = await b.next();
          if (next.done) doneB = true;
          else fromB.push(...next.value);
        }
      }
      assert.deepEqual(fromA, expected(segments[0]));
      assert.deepEqual(fromB, expected(segments[2]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("pcap: a reader whose record states are pcap-parser's own is not started again", () => {
  const header = pcapFileHeader();
  const own = PcapReader.midFile(header, 24, 0, { recordState: false });
  assert.equal(own.restartAt(100, 3), false);
  assert.equal(own.frameCount, 0);
  assert.equal(own.bytesConsumed, 24);
  const taken = PcapReader.midFile(header, 24, 0);
  assert.equal(taken.restartAt(100, 3), true);
  assert.equal(taken.frameCount, 3);
  assert.equal(taken.bytesConsumed, 100);
});

test(
  'one record per segment when the target is a byte; each knows the first frame’s time',
  needsCorpus,
  async () => {
    const path = corpusPath('tcpdump/IGMP_V2.pcap');
    const { whole, segments } = await planned(path, 1);
    assert.equal(segments.length, whole.frames.length);
    const first = whole.frames[0];
    segments.forEach((s, i) => {
      assert.equal(s.framesBefore, i);
      assert.deepEqual(s.firstTime, [first.tsSec, first.tsFrac]);
    });
  },
);

test('only regular, uncompressed classic pcap files with a readable header are cut', async () => {
  assert.ok(await segmentableHeader('fixtures/sample.pcap'));
  assert.ok(await segmentableHeader('fixtures/built/sample-ns-be.pcap'));
  assert.ok(looksSegmentable('fixtures/sample.pcap'));
  for (const path of [
    'fixtures/built/two-interfaces.pcapng',
    'fixtures/built/sample.pcap.gz',
    'fixtures',
  ])
    assert.equal(looksSegmentable(path), false, path);
  for (const path of [
    'fixtures/built/two-interfaces.pcapng',
    'fixtures/built/sample.pcap.gz',
    'fixtures/fuzz/empty.pcap',
    'fixtures/fuzz/header-only-cut.pcap',
    'fixtures',
    'no/such/file.pcap',
  ]) {
    assert.equal(await segmentableHeader(path), undefined, path);
  }
});

test(
  'the real captures: a classic pcap file is cut, a pcapng file is not',
  needsCorpus,
  async () => {
    assert.ok(await segmentableHeader(corpusPath('tcpdump/IGMP_V1.pcap')));
    assert.ok(looksSegmentable(corpusPath('tcpdump/IGMP_V1.pcap')));
    assert.equal(looksSegmentable(corpusPath('packetgen/igmpv3.pcapng')), false);
    assert.equal(await segmentableHeader(corpusPath('packetgen/igmpv3.pcapng')), undefined);
  },
);
