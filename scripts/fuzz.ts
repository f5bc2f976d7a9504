/**
 * npm run fuzz: a longer fuzz run than the tests make (not in CI). Mutates valid frames of
 * every message type (bit flips, cuts, raised counts, random tails, random bytes) and hands
 * each to the decoders in both modes and to every output (checking that NDJSON holds what the
 * field tree holds); then mutates whole captures (pcap, pcapng, gzip) and reads them to their
 * end (a pcap file also read through pcap-parser's events, which must give the same frames
 * and fault as the reader's record state). Reports frames tried, crashes and hangs.
 *
 *   FUZZ_FRAMES=1000000 npm run fuzz      (default 1M frames, 2,000 files)
 *   FUZZ_SEED=42 npm run fuzz             (repeatable)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CaptureError, type Frame } from '../src/capture/frame.js';
import { PcapReader, type PcapReaderOptions } from '../src/capture/pcap.js';
import { readCapture } from '../src/capture/open.js';
import { dissect } from '../src/dissect.js';
import { benchFrameMix, pcapFile, pcapngFile, sampleFrames } from '../src/builder/index.js';
import { frameJson } from '../src/output/json.js';
import { PLAIN } from '../src/output/palette.js';
import { summaryLine } from '../src/output/summary.js';
import { RelativeClock } from '../src/output/time.js';
import { frameTree, TreeOut } from '../src/output/tree-out.js';
import { ByteBuffer } from '../src/output/bytes.js';
import { Readable } from 'node:stream';
import { deepStrictEqual, strictEqual } from 'node:assert';
import { layersFromTree } from '../test/tree-object.js';

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 1_000_000);
const FILES = Number(process.env.FUZZ_FILES ?? 2_000);
const HANG_MS = 100;
const OUT = 'bench-out/fuzz-crashes';
let seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const firstSeed = seed;

/** xorshift32: fast, seedable, good enough to pick mutations. */
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}
const pick = (n: number): number => Math.floor(random() * n);

const LINK_TYPES = [1, 1, 1, 1, 0, 101, 113, 276];
const bases = [...sampleFrames().map((f) => f.data), ...benchFrameMix()];

function mutate(frame: Buffer): Buffer {
  const out = Buffer.from(frame);
  switch (pick(5)) {
    case 0:
      for (let i = 0, n = 1 + pick(8); i < n; i++) out[pick(out.length)] ^= 1 << pick(8);
      return out;
    case 1:
      return Buffer.from(out.subarray(0, pick(out.length + 1)));
    case 2: {
      // Raise a byte that is often a count or a length: in the IGMP header or a record.
      const at = 14 + 20 + pick(Math.max(1, out.length - 34));
      out[at] = 0xff;
      if (at + 1 < out.length) out[at + 1] = 0xff;
      return out;
    }
    case 3:
      return Buffer.concat([out, Buffer.from(Array.from({ length: pick(64) }, () => pick(256)))]);
    default:
      return Buffer.from(Array.from({ length: pick(120) }, () => pick(256)));
  }
}

let crashes = 0;
let hangs = 0;
let slowest = 0;

function record(kind: string, input: Buffer, error: unknown): void {
  crashes++;
  if (crashes <= 20) {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(`${OUT}/${kind}-${crashes}.bin`, input);
    console.error(`crash (${kind}): ${(error as Error)?.stack ?? String(error)}`);
  }
}

function fuzzFrames(): void {
  const clock = new RelativeClock();
  const treeBytes = new ByteBuffer(64 * 1024);
  const treeOut = new TreeOut(treeBytes, PLAIN);
  for (let i = 0; i < FRAMES; i++) {
    const data = mutate(bases[pick(bases.length)]);
    const linkType = LINK_TYPES[pick(LINK_TYPES.length)];
    const frame = {
      number: i + 1,
      data,
      origLen: data.length + pick(3) * pick(40),
      tsSec: 1_700_000_000 + i,
      tsFrac: 0,
      tsDigits: 6,
      interfaceId: 0,
      linkType,
      snapLen: 65535,
      fileOffset: 0,
    };
    const started = performance.now();
    try {
      summaryLine(dissect(frame, { detail: false }), clock, PLAIN);
      const full = dissect(frame);
      const text = frameTree(full, clock, PLAIN);
      // So does the -V writer, which takes its fields straight from the decoders too.
      treeOut.frame(frame, clock);
      strictEqual(treeBytes.take().toString('utf8'), text);
      // The NDJSON writer takes its fields straight from the decoders: it must say what the tree says.
      const json = JSON.parse(frameJson(full, clock)) as Record<string, unknown>;
      const layers = Object.fromEntries(
        Object.entries(json).filter(([k]) => !k.startsWith('frame.') && k !== 'problems'),
      );
      deepStrictEqual(layers, layersFromTree(full));
    } catch (error) {
      record('frame', data, error);
    }
    const took = performance.now() - started;
    slowest = Math.max(slowest, took);
    if (took > HANG_MS) hangs++;
    if ((i + 1) % 200_000 === 0)
      console.error(`${i + 1} frames, ${crashes} crashes, ${hangs} hangs`);
  }
}

function captureOf(kind: number): Buffer {
  const packets = bases.slice(0, 6).map((data, i) => ({ data, tsSec: i, tsFrac: 0 }));
  if (kind === 0)
    return pcapFile({ packets, bigEndian: random() < 0.5, nanosecond: random() < 0.5 });
  const ng = pcapngFile({
    sections: [
      {
        bigEndian: random() < 0.5,
        interfaces: [{ linkType: 1, tsResol: 9 }],
        blocks: packets.map((p, i) => ({
          kind: 'epb',
          interfaceId: 0,
          timestamp: BigInt(i),
          data: p.data,
        })),
      },
    ],
  });
  return kind === 1 ? ng : gzipSync(ng);
}

/** The frames and fault of a pcap file read by a PcapReader, chunk by chunk. */
function readPcap(chunks: Buffer[], options: PcapReaderOptions) {
  const reader = new PcapReader(options);
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    if (reader.fault !== undefined) break;
    frames.push(...reader.push(chunk));
  }
  const fault = reader.finish();
  return { frames, fault: fault && [fault.kind, fault.offset, fault.message] };
}

async function fuzzFiles(): Promise<number> {
  let frames = 0;
  for (let i = 0; i < FILES; i++) {
    const kind = pick(3);
    const bytes = mutate(captureOf(kind));
    const chunks = [];
    for (let at = 0; at < bytes.length;) {
      const size = 1 + pick(200);
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    const started = performance.now();
    try {
      // The reader's own record state must read what pcap-parser's events read.
      if (kind === 0)
        deepStrictEqual(readPcap(chunks, {}), readPcap(chunks, { recordState: false }));
      for await (const batch of readCapture(Readable.from(chunks))) {
        for (const frame of batch) {
          dissect(frame);
          frames++;
        }
      }
    } catch (error) {
      if (!(error instanceof CaptureError)) record('file', bytes, error);
    }
    if (performance.now() - started > 10 * HANG_MS) hangs++;
  }
  return frames;
}

const started = performance.now();
fuzzFrames();
const fileFrames = await fuzzFiles();
const seconds = (performance.now() - started) / 1000;
console.log(
  `fuzz seed ${firstSeed}: ${FRAMES.toLocaleString('en-US')} mutated frames (all outputs, both modes) and ${FILES.toLocaleString('en-US')} mutated captures ` +
    `(${fileFrames.toLocaleString('en-US')} frames read) in ${seconds.toFixed(1)} s: ${crashes} crashes, ${hangs} hangs (slowest frame ${slowest.toFixed(2)} ms)`,
);
process.exitCode = crashes > 0 || hangs > 0 ? 1 : 0;
