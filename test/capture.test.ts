import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  pcapFile,
  pcapngFile,
  type PcapngBlock,
  type PcapngSection,
  type PcapPacket,
} from '../src/builder/capture.js';
import { FileChunks } from '../src/capture/file-chunks.js';
import { CaptureError, MAX_CAPTURED_LENGTH, type Frame } from '../src/capture/frame.js';
import { readCapture, type CaptureSummary, type ReadCaptureOptions } from '../src/capture/open.js';
import { PcapReader, type PcapReaderOptions } from '../src/capture/pcap.js';
import { FIRST_CAPTURES, corpusPath, needsCorpus } from './corpus.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(ROOT, 'fixtures');

interface Outcome {
  frames: Frame[];
  batches: number;
  summary?: CaptureSummary;
  error?: unknown;
}

/** Reads a whole capture, keeping the frames delivered before any error. */
async function collect(
  input: string | NodeJS.ReadableStream,
  options?: ReadCaptureOptions,
): Promise<Outcome> {
  const frames: Frame[] = [];
  let batches = 0;
  const reading = readCapture(input, options);
  try {
    for (;;) {
      const next = await reading.next();
      if (next.done === true) return { frames, batches, summary: next.value };
      batches++;
      frames.push(...next.value);
    }
  } catch (error) {
    return { frames, batches, error };
  }
}

/** A stdin-like stream handing the bytes over in chunks of `size`. */
function streamOf(bytes: Buffer, size = bytes.length): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

function assertFault(
  outcome: Outcome,
  kind: CaptureError['kind'],
  offset: number,
  message?: RegExp,
): CaptureError {
  assert.ok(
    outcome.error instanceof CaptureError,
    `expected a CaptureError, got ${String(outcome.error)}`,
  );
  assert.equal(outcome.error.kind, kind, outcome.error.message);
  assert.equal(outcome.error.offset, offset, outcome.error.message);
  if (message) assert.match(outcome.error.message, message);
  return outcome.error;
}

function assertClean(outcome: Outcome): CaptureSummary {
  assert.equal(outcome.error, undefined, String(outcome.error));
  assert.ok(outcome.summary);
  return outcome.summary;
}

function bytes(length: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (seed + i * 7) & 0xff));
}

const PACKETS: PcapPacket[] = [
  { data: bytes(60, 1), tsSec: 1700000000, tsFrac: 1 },
  { data: bytes(46, 2), tsSec: 1700000001, tsFrac: 999999, origLen: 64 },
  { data: bytes(77, 3), tsSec: 1700000002, tsFrac: 500000 },
];

/** File offsets of the records of a pcap file holding `packets`. */
function recordOffsets(packets: PcapPacket[]): number[] {
  const offsets: number[] = [];
  let at = 24;
  for (const p of packets) {
    offsets.push(at);
    at += 16 + p.data.length;
  }
  return offsets;
}

function tmpFile(name: string, contents: Buffer): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-capture-'));
  const path = join(dir, name);
  writeFileSync(path, contents);
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------
// Classic pcap

for (const bigEndian of [false, true]) {
  test(`pcap ${bigEndian ? 'big' : 'little'}-endian, µs: fields, numbers and offsets`, async () => {
    const file = pcapFile({ packets: PACKETS, bigEndian, snapLen: 1500, linkType: 1 });
    const out = await collect(streamOf(file));
    const summary = assertClean(out);
    const offsets = recordOffsets(PACKETS);
    assert.equal(out.frames.length, 3);
    out.frames.forEach((frame, i) => {
      assert.deepEqual(frame, {
        number: i + 1,
        data: PACKETS[i].data,
        origLen: PACKETS[i].origLen ?? PACKETS[i].data.length,
        tsSec: PACKETS[i].tsSec,
        tsFrac: PACKETS[i].tsFrac,
        tsDigits: 6,
        interfaceId: 0,
        linkType: 1,
        snapLen: 1500,
        fileOffset: offsets[i],
      });
    });
    assert.equal(summary.format, 'pcap');
    assert.equal(summary.compressed, false);
    assert.equal(summary.bytesRead, file.length);
    assert.equal(summary.frames, 3);
    assert.equal(summary.linkType, 1);
    assert.equal(summary.version, '2.4');
    assert.equal(summary.littleEndian, !bigEndian);
  });

  test(`pcap ${bigEndian ? 'big' : 'little'}-endian, ns: fraction kept as nanoseconds`, async () => {
    const packets = [
      { data: bytes(50, 4), tsSec: 1700000000, tsFrac: 123456789 },
      { data: bytes(50, 5), tsSec: 1700000001, tsFrac: 999999999 },
    ];
    const file = pcapFile({ packets, bigEndian, nanosecond: true });
    const out = await collect(streamOf(file, 5));
    assertClean(out);
    assert.deepEqual(
      out.frames.map((f) => [f.tsSec, f.tsFrac, f.tsDigits]),
      [
        [1700000000, 123456789, 9],
        [1700000001, 999999999, 9],
      ],
    );
    assert.deepEqual(out.frames[1].data, packets[1].data);
    // The caller's bytes are not rewritten (the ns magic is patched in a copy).
    assert.equal(file.readUInt32BE(0), bigEndian ? 0xa1b23c4d : 0x4d3cb2a1);
  });
}

test('pcap: version 3.4 and 1.4 are format errors, 2.3 is read', async () => {
  for (const version of [
    [3, 4],
    [1, 4],
  ] as [number, number][]) {
    const out = await collect(streamOf(pcapFile({ packets: PACKETS, version })));
    assertFault(out, 'format', 4, new RegExp(`version ${version[0]}\\.${version[1]}`));
    assert.equal(out.frames.length, 0);
  }
  const old = await collect(streamOf(pcapFile({ packets: PACKETS, version: [2, 3] })));
  assert.equal(assertClean(old).version, '2.3');
  assert.equal(old.frames.length, 3);
});

test('empty file, short files and unknown magics', async () => {
  assertFault(await collect(streamOf(Buffer.alloc(0))), 'format', 0, /^file is empty$/);
  const header = pcapFile({ packets: [] });
  assertFault(await collect(streamOf(header.subarray(0, 10))), 'truncated', 0, /24-byte/);
  assertFault(await collect(streamOf(header.subarray(0, 2))), 'truncated', 0, /cut short/);
  const noCapture = await collect(streamOf(Buffer.from('hello, world\n')));
  assertFault(noCapture, 'format', 0, /not a pcap or pcapng capture \(magic 0x68656c6c\)/);
  assertFault(await collect(streamOf(Buffer.from('hi'))), 'format', 0, /magic 0x6869/);
  // A header and no records is a valid, empty capture.
  const none = await collect(streamOf(header));
  assert.equal(assertClean(none).frames, 0);
});

test('pcap: a truncated last record delivers the frames before it, then says where', async () => {
  const file = pcapFile({ packets: PACKETS });
  const offsets = recordOffsets(PACKETS);
  for (const cut of [file.length - 1, offsets[2] + 16, offsets[2] + 5]) {
    const out = await collect(streamOf(file.subarray(0, cut), 64));
    assert.equal(out.frames.length, 2);
    const error = assertFault(out, 'truncated', offsets[2], /cut short in the middle of a packet/);
    assert.match(error.message, new RegExp(`offset ${offsets[2]}`));
  }
});

test('pcap: caplen 0xFFFFFFFF fails at once, naming the record, without waiting for data', async () => {
  const file = pcapFile({
    packets: [PACKETS[0], { data: bytes(8, 9), tsSec: 1, tsFrac: 0, capLen: 0xffffffff }],
  });
  const bogusAt = recordOffsets(PACKETS)[1];
  // The stream never ends: reading must stop on the record header alone.
  async function* endless(): AsyncGenerator<Buffer> {
    yield file.subarray(0, bogusAt + 16);
    await new Promise(() => undefined);
  }
  const started = Date.now();
  const out = await collect(Readable.from(endless()));
  assert.ok(Date.now() - started < 2000);
  assert.equal(out.frames.length, 1);
  const error = assertFault(out, 'bogus', bogusAt, /4294967295/);
  assert.match(error.message, new RegExp(`offset ${bogusAt}`));
});

test('pcap: an oversized record inside one big chunk stops the frames there', async () => {
  const big = Buffer.alloc(MAX_CAPTURED_LENGTH + 4);
  const packets = [PACKETS[0], { data: big, tsSec: 1, tsFrac: 0 }, PACKETS[1]];
  const out = await collect(streamOf(pcapFile({ packets })));
  assert.equal(out.frames.length, 1);
  assertFault(out, 'bogus', recordOffsets(packets)[1], new RegExp(String(big.length)));
});

test('pcap: caplen above snaplen (within 256 KiB) is delivered, with the snaplen', async () => {
  const data = bytes(3000, 6);
  const file = pcapFile({ packets: [{ data, tsSec: 5, tsFrac: 6 }], snapLen: 100 });
  const out = await collect(streamOf(file, 1000));
  assertClean(out);
  assert.equal(out.frames.length, 1);
  assert.equal(out.frames[0].snapLen, 100);
  assert.deepEqual(out.frames[0].data, data);
});

test('pcap: a record far larger than the chunks is assembled without re-copying', async () => {
  const data = bytes(200000, 8);
  const packets = [PACKETS[0], { data, tsSec: 1, tsFrac: 0 }, PACKETS[1]];
  const file = pcapFile({ packets, snapLen: 262144 });
  const started = Date.now();
  const out = await collect(streamOf(file, 7));
  assertClean(out);
  assert.ok(Date.now() - started < 5000, 'quadratic copying');
  assert.equal(out.frames.length, 3);
  assert.deepEqual(out.frames[1].data, data);
  assert.deepEqual(out.frames[2].data, PACKETS[1].data);
  assert.equal(out.frames[2].fileOffset, recordOffsets(packets)[2]);
});

test('pcap: link type field 0x30000001 is LINKTYPE 1; bit 26 gives an FCS length', async () => {
  const fuzzed = await collect(streamOf(pcapFile({ packets: PACKETS, linkTypeHigh: 0x30000000 })));
  assert.equal(assertClean(fuzzed).linkType, 1);
  assert.equal(fuzzed.summary?.interfaces[0].fcsLength, undefined);
  assert.ok(fuzzed.frames.every((f) => f.linkType === 1));
  const fcs = await collect(streamOf(pcapFile({ packets: PACKETS, linkTypeHigh: 0x24000000 })));
  assert.equal(assertClean(fcs).interfaces[0].fcsLength, 4);
});

test('pcap: frames delivered in batches of one input chunk, 1-byte chunks included', async () => {
  const file = pcapFile({ packets: PACKETS });
  const single = await collect(streamOf(file));
  assert.equal(single.batches, 1);
  const tiny = await collect(streamOf(file, 1));
  assertClean(tiny);
  assert.equal(tiny.batches, 3);
  assert.deepEqual(tiny.frames, single.frames);
});

/** Every frame a PcapReader makes of `file` fed in chunks of `size`, and its fault. */
function readWith(file: Buffer, size: number, options: PcapReaderOptions) {
  const reader = new PcapReader(options);
  const frames: Frame[] = [];
  for (let at = 0; at < file.length && reader.fault === undefined; at += size) {
    frames.push(...reader.push(file.subarray(at, at + size)));
  }
  const fault = reader.finish();
  return { frames, fault: fault && [fault.kind, fault.offset, fault.message] };
}

/** Reads each file, whole and cut short, in chunks of several sizes both ways; frames compared. */
function compareRecordStateWithEvents(files: Buffer[], names: string[]): number {
  let compared = 0;
  for (const [i, file] of files.entries()) {
    // Cut short as well, so that a record left incomplete at the end is compared too.
    for (const bytes of [file, file.subarray(0, file.length - 5)]) {
      for (const size of [1, 7, 100, 64 * 1024, 1 << 20]) {
        const events = readWith(bytes, size, { recordState: false });
        const state = readWith(bytes, size, {});
        const label = `${names[i] ?? `file ${i}`} (${bytes.length} bytes) in chunks of ${size}`;
        assert.deepEqual(state, events, label);
        compared += events.frames.length;
      }
    }
  }
  return compared;
}

test("pcap: the reader's record state gives what pcap-parser's events give", () => {
  const names = [
    ...readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.pcap'))
      .map((f) => join(FIXTURES, f)),
    ...readdirSync(join(FIXTURES, 'fuzz'))
      .filter((f) => f.endsWith('.pcap'))
      .map((f) => join(FIXTURES, 'fuzz', f)),
    join(FIXTURES, 'built', 'sample-ns-be.pcap'),
  ];
  const files = [
    ...names.map((f) => readFileSync(f)),
    pcapFile({ packets: PACKETS, bigEndian: true, nanosecond: true }),
    pcapFile({ packets: [PACKETS[0], { data: bytes(200000, 8), tsSec: 1, tsFrac: 0 }] }),
    pcapFile({
      packets: [
        PACKETS[0],
        { data: Buffer.alloc(MAX_CAPTURED_LENGTH + 4), tsSec: 1, tsFrac: 0 },
        PACKETS[1],
      ],
    }),
  ];
  const compared = compareRecordStateWithEvents(files, names);
  assert.ok(compared > 300, `${compared} frames compared`);
});

test(
  "pcap: the reader's record state gives what pcap-parser's events give on the real captures",
  needsCorpus,
  () => {
    const names = FIRST_CAPTURES.filter((f) => f.endsWith('.pcap')).map(corpusPath);
    const compared = compareRecordStateWithEvents(
      names.map((f) => readFileSync(f)),
      names,
    );
    assert.ok(compared > 2000, `${compared} frames compared`);
  },
);

// ---------------------------------------------------------------------------------------------
// pcapng

const NS_EPOCH = 1700000000n * 1_000_000_000n + 123456789n;
const BINARY_EPOCH = 1700000000n * 1024n + 1023n;

function twoInterfaceSection(bigEndian: boolean): PcapngSection {
  return {
    bigEndian,
    interfaces: [
      { linkType: 1, snapLen: 0, tsResol: 9 },
      { linkType: 113, snapLen: 200, tsResol: 0x8a },
    ],
    blocks: [
      { kind: 'epb', interfaceId: 0, timestamp: NS_EPOCH, data: bytes(42, 1), origLen: 60 },
      { kind: 'epb', interfaceId: 1, timestamp: BINARY_EPOCH, data: bytes(45, 2) },
    ],
  };
}

test('pcapng: two interfaces with their link types and if_tsresol 10^-9 and 2^-10', async () => {
  const out = await collect(streamOf(pcapngFile({ sections: [twoInterfaceSection(false)] })));
  const summary = assertClean(out);
  assert.equal(summary.format, 'pcapng');
  assert.equal(summary.linkType, 1);
  assert.deepEqual(
    summary.interfaces.map((i) => [i.id, i.section, i.linkType, i.snapLen, i.tsDigits]),
    [
      [0, 0, 1, 0, 9],
      [1, 0, 113, 200, 9],
    ],
  );
  const [a, b] = out.frames;
  assert.deepEqual(
    [a.number, a.interfaceId, a.linkType, a.tsSec, a.tsFrac, a.tsDigits, a.origLen],
    [1, 0, 1, 1700000000, 123456789, 9, 60],
  );
  assert.deepEqual(a.data, bytes(42, 1));
  // 1023/1024 s = 0.9990234375 s, rounded to nanoseconds.
  assert.deepEqual(
    [b.number, b.interfaceId, b.linkType, b.snapLen, b.tsSec, b.tsFrac, b.tsDigits],
    [2, 1, 113, 200, 1700000000, 999023438, 9],
  );
  assert.deepEqual(b.data, bytes(45, 2));
});

test('pcapng: sections in both byte orders; interface ids run on across sections', async () => {
  const second: PcapngSection = {
    bigEndian: true,
    interfaces: [{ linkType: 276 }],
    blocks: [{ kind: 'epb', interfaceId: 0, timestamp: 1700000005000001n, data: bytes(30, 3) }],
  };
  const file = pcapngFile({ sections: [twoInterfaceSection(false), second] });
  const out = await collect(streamOf(file, 7));
  const summary = assertClean(out);
  assert.equal(summary.sections, 2);
  assert.equal(summary.littleEndian, true);
  assert.deepEqual(
    out.frames.map((f) => [f.number, f.interfaceId, f.linkType, f.tsSec, f.tsFrac, f.tsDigits]),
    [
      [1, 0, 1, 1700000000, 123456789, 9],
      [2, 1, 113, 1700000000, 999023438, 9],
      [3, 2, 276, 1700000005, 1, 6],
    ],
  );
  assert.deepEqual(
    summary.interfaces.map((i) => [i.id, i.section]),
    [
      [0, 0],
      [1, 0],
      [2, 1],
    ],
  );
  const reversed = await collect(
    streamOf(pcapngFile({ sections: [second, twoInterfaceSection(false)] })),
  );
  assert.equal(assertClean(reversed).littleEndian, false);
  assert.deepEqual(
    reversed.frames.map((f) => f.interfaceId),
    [0, 1, 2],
  );
});

test('pcapng: Simple Packet Blocks use interface 0 and cut to the snaplen', async () => {
  for (const bigEndian of [false, true]) {
    const file = pcapngFile({
      sections: [
        {
          bigEndian,
          interfaces: [{ linkType: 1, snapLen: 40 }],
          blocks: [
            { kind: 'spb', data: bytes(40, 1), origLen: 90 },
            { kind: 'spb', data: bytes(21, 2) },
          ],
        },
      ],
    });
    const out = await collect(streamOf(file));
    assertClean(out);
    const [a, b] = out.frames;
    assert.deepEqual(a.data, bytes(40, 1));
    assert.deepEqual([a.origLen, a.tsSec, a.tsFrac, a.tsDigits, a.interfaceId], [90, 0, 0, 6, 0]);
    // 21 bytes padded to 24: the original length, not the padding, bounds the data.
    assert.deepEqual(b.data, bytes(21, 2));
    assert.equal(b.origLen, 21);
  }
});

test('pcapng: a Simple Packet Block without a snaplen is bounded by its block', async () => {
  const file = pcapngFile({
    sections: [
      {
        interfaces: [{ linkType: 1 }],
        blocks: [{ kind: 'spb', data: bytes(32, 1), origLen: 1500 }],
      },
    ],
  });
  const out = await collect(streamOf(file));
  assertClean(out);
  assert.deepEqual(out.frames[0].data, bytes(32, 1));
  assert.equal(out.frames[0].origLen, 1500);
});

test('pcapng: obsolete Packet Blocks and unknown blocks', async () => {
  const blocks: PcapngBlock[] = [
    { kind: 'raw', type: 4, body: Buffer.from([0, 0, 0, 0]) },
    { kind: 'pb', interfaceId: 1, drops: 7, timestamp: 1700000000000002n, data: bytes(33, 1) },
    { kind: 'raw', type: 0xbad, body: bytes(13, 9) },
    { kind: 'raw', type: 0x80000001, body: Buffer.alloc(0) },
    { kind: 'raw', type: 5, body: bytes(20, 3) },
    { kind: 'epb', interfaceId: 0, timestamp: 1700000001000003n, data: bytes(34, 2) },
  ];
  for (const bigEndian of [false, true]) {
    const file = pcapngFile({
      sections: [{ bigEndian, interfaces: [{ linkType: 1 }, { linkType: 0 }], blocks }],
    });
    const out = await collect(streamOf(file));
    assertClean(out);
    assert.deepEqual(
      out.frames.map((f) => [
        f.number,
        f.interfaceId,
        f.linkType,
        f.tsSec,
        f.tsFrac,
        f.data.length,
      ]),
      [
        [1, 1, 0, 1700000000, 2, 33],
        [2, 0, 1, 1700000001, 3, 34],
      ],
    );
    assert.deepEqual(out.frames[0].data, bytes(33, 1));
  }
});

test('pcapng: if_tsoffset is added to the seconds', async () => {
  const offset = Buffer.alloc(8);
  offset.writeBigInt64BE(-3600n);
  const file = pcapngFile({
    sections: [
      {
        bigEndian: true,
        interfaces: [{ linkType: 1, options: [{ code: 14, value: offset }] }],
        blocks: [{ kind: 'epb', interfaceId: 0, timestamp: 1700000000000001n, data: bytes(20, 1) }],
      },
    ],
  });
  const out = await collect(streamOf(file));
  assertClean(out);
  assert.deepEqual([out.frames[0].tsSec, out.frames[0].tsFrac], [1699996400, 1]);
});

/** The timestamp a resolution byte gives `units`, computed exactly with BigInt. */
function expectedTime(units: bigint, resolution: number): [number, number, number] {
  const binary = (resolution & 0x80) !== 0;
  const exponent = BigInt(resolution & 0x7f);
  const perSecond = binary ? 1n << exponent : 10n ** exponent;
  if (!binary && exponent <= 9n) {
    return [Number(units / perSecond), Number(units % perSecond), Number(exponent)];
  }
  let sec = units / perSecond;
  let ns = ((units % perSecond) * 2_000_000_000n + perSecond) / (2n * perSecond);
  if (ns === 1_000_000_000n) {
    sec++;
    ns = 0n;
  }
  return [Number(sec), Number(ns), 9];
}

test('pcapng: timestamps at every kind of resolution match exact arithmetic', async () => {
  const resolutions = [0, 3, 6, 9, 12, 0x8a, 0x94, 0x9e, 0xa8];
  // Seconds stay below 2^32 (and units below 2^64, the field's width), as in real files.
  const maxSeconds = (perSecond: bigint): bigint => {
    const fit = ((1n << 64n) - 1n) / perSecond;
    return fit < 1n << 32n ? fit : 1n << 32n;
  };
  const edges = (perSecond: bigint): bigint[] => [
    0n,
    perSecond - 1n,
    perSecond,
    maxSeconds(perSecond) * perSecond - 1n,
  ];
  let seed = 12345;
  const random = (): bigint => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return BigInt(seed);
  };
  const sections: PcapngSection[] = resolutions.map((resolution) => {
    const binary = (resolution & 0x80) !== 0;
    const exponent = BigInt(resolution & 0x7f);
    const perSecond = binary ? 1n << exponent : 10n ** exponent;
    const stamps = edges(perSecond);
    for (let i = 0; i < 200; i++) {
      const sec = ((random() << 1n) | (random() & 1n)) % maxSeconds(perSecond);
      stamps.push(sec * perSecond + (((random() << 31n) | random()) % perSecond));
    }
    return {
      interfaces: [{ linkType: 1, tsResol: resolution }],
      blocks: stamps.map((timestamp) => ({
        kind: 'epb' as const,
        interfaceId: 0,
        timestamp,
        data: Buffer.alloc(0),
      })),
    };
  });
  const out = await collect(streamOf(pcapngFile({ sections })));
  assertClean(out);
  let i = 0;
  sections.forEach((section, s) => {
    for (const block of section.blocks) {
      const frame = out.frames[i++];
      const timestamp = (block as { timestamp: bigint }).timestamp;
      assert.deepEqual(
        [frame.tsSec, frame.tsFrac, frame.tsDigits],
        expectedTime(timestamp, resolutions[s]),
        `resolution 0x${resolutions[s].toString(16)}, units ${timestamp}`,
      );
    }
  });
  assert.equal(i, out.frames.length);
});

test('pcapng: rounding to nanoseconds carries into the seconds', async () => {
  const file = pcapngFile({
    sections: [
      {
        interfaces: [{ linkType: 1, tsResol: 0x80 | 40 }],
        blocks: [{ kind: 'epb', interfaceId: 0, timestamp: (8n << 40n) - 1n, data: bytes(4, 1) }],
      },
    ],
  });
  const out = await collect(streamOf(file));
  assertClean(out);
  assert.deepEqual([out.frames[0].tsSec, out.frames[0].tsFrac], [8, 0]);
});

/** A minimal little-endian pcapng: SHB, one Ethernet IDB, then `tail`. */
function pcapngWith(...tail: Buffer[]): Buffer {
  return Buffer.concat([
    pcapngFile({ sections: [{ interfaces: [{ linkType: 1 }], blocks: [] }] }),
    ...tail,
  ]);
}

function epbBytes(caplen = 4, dataLength = 4): Buffer {
  return pcapngFile({
    sections: [
      {
        interfaces: [],
        blocks: [
          {
            kind: 'epb',
            interfaceId: 0,
            timestamp: 1n,
            data: bytes(dataLength, 1),
            capLen: caplen,
          },
        ],
      },
    ],
  }).subarray(28);
}

const HEAD_LENGTH = pcapngWith().length;

test('pcapng: trailing length disagreeing with the leading one is bogus', async () => {
  const bad = pcapngFile({
    sections: [
      {
        interfaces: [{ linkType: 1 }],
        blocks: [
          { kind: 'epb', interfaceId: 0, timestamp: 1n, data: bytes(8, 1) },
          { kind: 'epb', interfaceId: 0, timestamp: 2n, data: bytes(8, 2), badTrailer: true },
        ],
      },
    ],
  });
  const out = await collect(streamOf(bad));
  assert.equal(out.frames.length, 1);
  assertFault(out, 'bogus', HEAD_LENGTH + 40, /offset 88.*trailing length \(44\).*\(40\)/);
});

test('pcapng: zero, unaligned and huge block lengths are bogus', async () => {
  const header = (type: number, length: number): Buffer => {
    const out = Buffer.alloc(12);
    out.writeUInt32LE(type, 0);
    out.writeUInt32LE(length, 4);
    return out;
  };
  const zero = await collect(streamOf(pcapngWith(epbBytes(), header(0xbad, 0))));
  assert.equal(zero.frames.length, 1);
  assertFault(zero, 'bogus', HEAD_LENGTH + 36, /total length of 0 bytes/);
  const unaligned = await collect(streamOf(pcapngWith(header(6, 30), Buffer.alloc(20))));
  assertFault(unaligned, 'bogus', HEAD_LENGTH, /Enhanced Packet Block.*30 bytes/);
  // A 1 GiB claim is refused from the block header alone, though the stream never ends.
  async function* endless(): AsyncGenerator<Buffer> {
    yield pcapngWith(header(6, 0x40000000));
    await new Promise(() => undefined);
  }
  const huge = await collect(Readable.from(endless()));
  assertFault(huge, 'bogus', HEAD_LENGTH, /1073741824/);
});

test('pcapng: a captured length running past its block is bogus', async () => {
  const out = await collect(streamOf(pcapngWith(epbBytes(), epbBytes(9, 8))));
  assert.equal(out.frames.length, 1);
  assertFault(out, 'bogus', HEAD_LENGTH + 36, /captured length of 9 bytes.*room for 8/);
});

test('pcapng: packets before any interface or for an unknown one are format errors', async () => {
  const noInterface = pcapngFile({
    sections: [
      {
        interfaces: [],
        blocks: [{ kind: 'epb', interfaceId: 0, timestamp: 1n, data: bytes(4, 1) }],
      },
    ],
  });
  assertFault(await collect(streamOf(noInterface)), 'format', 28, /no Interface Description/);
  const unknown = pcapngFile({
    sections: [
      {
        interfaces: [{ linkType: 1 }, { linkType: 1 }],
        blocks: [{ kind: 'epb', interfaceId: 2, timestamp: 1n, data: bytes(4, 1) }],
      },
    ],
  });
  assertFault(await collect(streamOf(unknown)), 'format', 68, /interface 2.*only 2 interfaces/);
  // Interface ids are per section: the second section's interface 1 does not exist.
  const perSection = pcapngFile({
    sections: [
      twoInterfaceSection(false),
      {
        interfaces: [{ linkType: 1 }],
        blocks: [
          { kind: 'spb', data: bytes(4, 1) },
          { kind: 'pb', interfaceId: 1, timestamp: 1n, data: bytes(4, 1) },
        ],
      },
    ],
  });
  const out = await collect(streamOf(perSection));
  assert.equal(out.frames.length, 3);
  assert.ok(out.error instanceof CaptureError && out.error.kind === 'format');
});

test('pcapng: an unknown major version is a format error', async () => {
  const file = pcapngFile({ sections: [{ majorVersion: 2, interfaces: [], blocks: [] }] });
  assertFault(await collect(streamOf(file)), 'format', 0, /version 2\.0/);
  const minor = pcapngFile({ sections: [{ minorVersion: 2, interfaces: [], blocks: [] }] });
  assert.equal(assertClean(await collect(streamOf(minor))).version, '1.2');
});

test('pcapng: a bad byte-order magic is a format error', async () => {
  const file = pcapngWith();
  file.writeUInt32LE(0x01020304, 8);
  assertFault(await collect(streamOf(file)), 'format', 0, /byte-order magic/);
});

test('pcapng: a block larger than the chunks is assembled across them', async () => {
  const data = bytes(150000, 7);
  const file = pcapngFile({
    sections: [
      {
        interfaces: [{ linkType: 1 }],
        blocks: [
          { kind: 'epb', interfaceId: 0, timestamp: 1n, data: bytes(10, 1) },
          { kind: 'epb', interfaceId: 0, timestamp: 2n, data },
          { kind: 'epb', interfaceId: 0, timestamp: 3n, data: bytes(10, 3) },
        ],
      },
    ],
  });
  for (const size of [65536, 4096, 5]) {
    const out = await collect(streamOf(file, size));
    assertClean(out);
    assert.equal(out.frames.length, 3);
    assert.deepEqual(out.frames[1].data, data);
    assert.deepEqual(out.frames[2].data, bytes(10, 3));
  }
});

// ---------------------------------------------------------------------------------------------
// Cut at every byte

/** For each cut, the frames and the fault expected from the boundaries of records or blocks. */
async function checkEveryCut(file: Buffer, boundaries: number[], packetEnds: number[]) {
  for (let cut = 0; cut < file.length; cut++) {
    for (const size of [cut || 1, 3]) {
      const out = await collect(streamOf(file.subarray(0, cut), size));
      const expected = packetEnds.filter((end) => end <= cut).length;
      assert.equal(out.frames.length, expected, `cut ${cut}`);
      if (cut === 0) {
        assertFault(out, 'format', 0);
      } else if (boundaries.includes(cut)) {
        assertClean(out);
      } else {
        const start = [0, ...boundaries].filter((b) => b <= cut).pop() ?? 0;
        assertFault(out, 'truncated', start, /cut short/);
      }
    }
  }
}

test('pcap cut at every byte offset', { timeout: 60000 }, async () => {
  const file = pcapFile({ packets: PACKETS });
  const ends = recordOffsets(PACKETS).map((at, i) => at + 16 + PACKETS[i].data.length);
  await checkEveryCut(file, [24, ...ends], ends);
});

test('pcapng cut at every byte offset', { timeout: 60000 }, async () => {
  const section: PcapngSection = {
    interfaces: [{ linkType: 1, tsResol: 9 }],
    blocks: [
      { kind: 'epb', interfaceId: 0, timestamp: 5n, data: bytes(9, 1) },
      { kind: 'raw', type: 5, body: bytes(8, 2) },
      { kind: 'spb', data: bytes(6, 3) },
      { kind: 'pb', interfaceId: 0, timestamp: 6n, data: bytes(5, 4) },
    ],
  };
  const parts = [false, true].map((bigEndian) =>
    pcapngFile({ sections: [{ ...section, bigEndian }] }),
  );
  const boundaries: number[] = [];
  const packetEnds: number[] = [];
  let base = 0;
  parts.forEach((part, i) => {
    const u32 = (at: number) => (i === 0 ? part.readUInt32LE(at) : part.readUInt32BE(at));
    for (let at = 0; at < part.length;) {
      const type = u32(at);
      at += u32(at + 4);
      boundaries.push(base + at);
      if (type === 2 || type === 3 || type === 6) packetEnds.push(base + at);
    }
    base += part.length;
  });
  const file = Buffer.concat(parts);
  assert.equal(packetEnds.length, 6);
  await checkEveryCut(file, boundaries, packetEnds);
});

test(
  'random corruption yields CaptureErrors only, and never hangs',
  { timeout: 60000 },
  async () => {
    const files = [
      pcapFile({ packets: PACKETS }),
      pcapFile({ packets: PACKETS, bigEndian: true, nanosecond: true }),
      pcapngFile({ sections: [twoInterfaceSection(false), twoInterfaceSection(true)] }),
    ];
    let seed = 99;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 600; round++) {
      const file = Buffer.from(files[round % files.length]);
      for (let flips = 1 + random(4); flips > 0; flips--) {
        // Mostly past the magic, so that the readers themselves are exercised.
        file[4 + random(file.length - 4)] = random(256);
      }
      const out = await collect(streamOf(file, 1 + random(64)));
      if (out.error !== undefined) assert.ok(out.error instanceof CaptureError, String(out.error));
    }
  },
);

test('a stream error after some data: the frames first, then an io error', async () => {
  const file = pcapFile({ packets: PACKETS });
  const failing = new Readable({
    read() {
      this.push(file.subarray(0, recordOffsets(PACKETS)[2]));
      this.destroy(Object.assign(new Error('device went away'), { code: 'EIO' }));
    },
  });
  const out = await collect(failing);
  assert.equal(out.frames.length, 2);
  assertFault(out, 'io', recordOffsets(PACKETS)[2], /^device went away$/);
});

// ---------------------------------------------------------------------------------------------
// Inputs: files, gzip, streams, stdin

test('gzip-compressed pcap and pcapng, from files and from streams', async () => {
  const pcap = pcapFile({ packets: PACKETS });
  const pcapng = pcapngFile({ sections: [twoInterfaceSection(true)] });
  for (const [file, format, frames] of [
    [pcap, 'pcap', 3],
    [pcapng, 'pcapng', 2],
  ] as const) {
    const gz = gzipSync(file);
    // The name says nothing: the format comes from the magic alone.
    const { path, cleanup } = tmpFile('capture.txt', gz);
    try {
      for (const input of [path, streamOf(gz, 1)]) {
        const out = await collect(input, { chunkSize: 16 });
        const summary = assertClean(out);
        assert.equal(summary.format, format);
        assert.equal(summary.compressed, true);
        assert.equal(summary.bytesRead, file.length);
        assert.equal(out.frames.length, frames);
      }
    } finally {
      cleanup();
    }
  }
});

test('gzip: a cut stream is truncated, corrupt data is an io error', async () => {
  const file = pcapFile({ packets: Array.from({ length: 50 }, () => PACKETS[2]) });
  const gz = gzipSync(file);
  const cut = await collect(streamOf(gz.subarray(0, gz.length - 30)));
  assertFault(cut, 'truncated', 24 + 93 * cut.frames.length, /gzip stream ends unexpectedly/);
  const corrupt = Buffer.from(gz);
  corrupt.fill(0xff, 10, 40);
  const out = await collect(streamOf(corrupt));
  assert.ok(out.error instanceof CaptureError);
  assert.equal(out.error.kind, 'io');
  assert.match(out.error.message, /gzip stream is corrupt at decompressed offset/);
});

test('files: missing file and directory are io errors', async () => {
  assertFault(await collect(join(FIXTURES, 'no-such.pcap')), 'io', 0, /no such file/);
  assertFault(await collect(FIXTURES), 'io', 0, /is a directory/);
});

test('standard input ("-") is read like a file', async () => {
  const file = gzipSync(pcapFile({ packets: PACKETS }));
  const open = new URL('../src/capture/open.ts', import.meta.url).href;
  const script = `
    import { readCapture } from ${JSON.stringify(open)};
    let frames = 0;
    const reading = readCapture('-');
    for (;;) {
      const next = await reading.next();
      if (next.done) { process.stdout.write(JSON.stringify({ frames, ...next.value })); break; }
      frames += next.value.length;
    }`;
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', script],
    { cwd: ROOT, input: file, encoding: 'utf8' },
  );
  assert.equal(child.stderr, '');
  const result = JSON.parse(child.stdout) as CaptureSummary & { frames: number };
  assert.equal(result.frames, 3);
  assert.equal(result.compressed, true);
  assert.equal(result.format, 'pcap');
});

test('stopping early destroys the input; reading keeps pace with the consumer', async () => {
  const record = pcapFile({ packets: [PACKETS[0]] }).subarray(24);
  let reads = 0;
  let sentHeader = false;
  const endless = new Readable({
    highWaterMark: 256,
    read() {
      reads++;
      if (!sentHeader) {
        sentHeader = true;
        this.push(pcapFile({ packets: [] }));
      }
      this.push(Buffer.concat([record, record]));
    },
  });
  const reading = readCapture(endless);
  const first = await reading.next();
  assert.equal(first.done, false);
  await sleep(50);
  const readsWhileIdle = reads;
  await sleep(50);
  assert.equal(reads, readsWhileIdle, 'reading went on without a consumer');
  assert.ok(reads < 20, `${reads} reads for one batch`);
  await reading.return(undefined as never);
  assert.equal(endless.destroyed, true);
});

// ---------------------------------------------------------------------------------------------
// Real captures

test('tcpdump IGMP_V2.pcap: 18 Ethernet frames', needsCorpus, async () => {
  const out = await collect(corpusPath('tcpdump/IGMP_V2.pcap'));
  const summary = assertClean(out);
  assert.equal(out.frames.length, 18);
  assert.equal(summary.frames, 18);
  assert.equal(summary.linkType, 1);
  assert.deepEqual(
    out.frames.map((f) => f.number),
    Array.from({ length: 18 }, (_, i) => i + 1),
  );
  assert.deepEqual(
    [out.frames[0].tsSec, out.frames[0].tsFrac, out.frames[0].fileOffset],
    [1235470907, 698870, 24],
  );
});

test('packetgen igmpv3.pcapng: 2 frames', needsCorpus, async () => {
  const out = await collect(corpusPath('packetgen/igmpv3.pcapng'), { chunkSize: 100 });
  const summary = assertClean(out);
  assert.equal(summary.format, 'pcapng');
  assert.equal(out.frames.length, 2);
  assert.equal(summary.linkType, 1);
  assert.deepEqual(
    out.frames.map((f) => [f.fileOffset, f.data.length]),
    [
      [48, 54],
      [136, 58],
    ],
  );
});

test(
  'tcpdump hoobr_pimv1.pcap: link type field 0x30000001, snaplen 38, origlen 262144',
  needsCorpus,
  async () => {
    const out = await collect(corpusPath('tcpdump/hoobr_pimv1.pcap'));
    const summary = assertClean(out);
    assert.equal(summary.linkType, 1);
    assert.ok(out.frames.length > 0);
    for (const frame of out.frames) {
      assert.deepEqual(
        [frame.linkType, frame.snapLen, frame.data.length, frame.origLen],
        [1, 38, 38, 262144],
      );
    }
  },
);

test(
  'file chunks: a whole file or a range of it, in order, one read ahead',
  needsCorpus,
  async () => {
    const path = corpusPath('tcpdump/IGMP_V2.pcap');
    const whole = readFileSync(path);
    for (const size of [1, 7, 4096, 1 << 20]) {
      for (const [start, end] of [
        [0, undefined],
        [24, 500],
        [100, whole.length + 50],
        [whole.length, undefined],
      ] as const) {
        const chunks: Buffer[] = [];
        const reading = new FileChunks(path, size, start, end);
        for await (const chunk of reading) {
          assert.ok(chunk.length <= size && chunk.length > 0);
          chunks.push(chunk);
        }
        const expected = whole.subarray(start, end);
        assert.deepEqual(Buffer.concat(chunks), expected, `${size} from ${start} to ${end}`);
        assert.equal(reading.bytesRead, expected.length);
      }
    }
    // Stopping early lets the read in flight settle and closes the file.
    let taken = 0;
    for await (const chunk of new FileChunks(path, 10)) {
      taken += chunk.length;
      if (taken >= 30) break;
    }
    assert.equal(taken, 30);
    await assert.rejects(async () => {
      for await (const chunk of new FileChunks(FIXTURES, 10)) assert.fail(String(chunk.length));
    }, /EISDIR/);
  },
);
