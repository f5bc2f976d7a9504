import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { sampleFrames } from '../src/builder/index.js';
import { CaptureError, type Frame } from '../src/capture/frame.js';
import { readCapture } from '../src/capture/open.js';
import { dissect } from '../src/dissect.js';
import type { FieldNode } from '../src/fields.js';
import { PLAIN } from '../src/output/palette.js';
import { RelativeClock } from '../src/output/time.js';
import { ByteBuffer } from '../src/output/bytes.js';
import { frameTree, nodeLine } from '../src/output/tree.js';
import { TreeOut } from '../src/output/tree-out.js';
import { frameOf } from './helpers.js';

/**
 * The field lines of a frame's tree rendered one by one, with no cache: what the `-V` writer
 * must print, whatever lines its fields' caches hold from earlier frames.
 */
function uncachedFieldLines(frame: Frame): string[] {
  const lines: string[] = [];
  const walk = (nodes: readonly FieldNode[], depth: number): void => {
    for (const n of nodes) {
      lines.push('    '.repeat(depth) + nodeLine(n));
      if (n.children) walk(n.children, depth + 1);
    }
  };
  for (const layer of dissect(frame).layers) walk(layer.nodes, 1);
  return lines;
}

/**
 * The same lines out of the `-V` text: after the frame's own 8 lines, the indented lines
 * that are not problem lines (layer headings are not indented).
 */
function printedFieldLines(frame: Frame): string[] {
  return frameTree(dissect(frame), new RelativeClock(), PLAIN)
    .split('\n')
    .slice(8)
    .filter((l) => l.startsWith('    ') && !l.trimStart().startsWith('[Expert Info'));
}

/** The `-V` text the CLI writes (no tree: fields straight from the decoders, see TreeOut). */
const treeBytes = new ByteBuffer(64 * 1024);
const treeOut = new TreeOut(treeBytes, PLAIN);
function writtenTree(frame: Frame): string {
  treeOut.frame(frame, new RelativeClock());
  return treeBytes.take().toString('utf8');
}

/**
 * Each field's line as its node renders it, and the whole `-V` text of the tree writer the
 * same, byte for byte, as the text printed from the frame's node tree.
 */
function assertSameLines(frame: Frame, where: string): void {
  assert.deepEqual(printedFieldLines(frame), uncachedFieldLines(frame), where);
  assert.equal(
    writtenTree(frame),
    frameTree(dissect(frame), new RelativeClock(), PLAIN),
    `${where}: tree writer`,
  );
}

test('-V lines (cached, and from the tree writer) are what each node renders, on every fixture frame', async () => {
  const files = [
    ...readdirSync('fixtures')
      .filter((f) => /\.(pcap|pcapng|gz)$/.test(f))
      .map((f) => `fixtures/${f}`),
    ...readdirSync('fixtures/built').map((f) => `fixtures/built/${f}`),
    ...readdirSync('fixtures/fuzz')
      .filter((f) => !f.endsWith('.md'))
      .map((f) => `fixtures/fuzz/${f}`),
  ];
  let frames = 0;
  for (const file of files) {
    try {
      for await (const batch of readCapture(file)) {
        for (const frame of batch) {
          assertSameLines(frame, `${file} frame ${frame.number}`);
          frames++;
        }
      }
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
    }
  }
  assert.ok(frames > 300, `compared ${frames} frames`);
});

test('-V lines from the caches stay right on mutated frames (same values, other raw bits)', () => {
  const valid = sampleFrames().map((f) => f.data);
  fc.assert(
    fc.property(
      fc.nat(valid.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }),
      fc.nat(),
      (index, flips, cut) => {
        const data = Buffer.from(valid[index]);
        for (const [at, value] of flips) data[at % data.length] = value;
        const cutAt = cut % (data.length + 1);
        assertSameLines(frameOf(data.subarray(0, cutAt)), `frame ${index} cut at ${cutAt}`);
      },
    ),
    { numRuns: 1000 },
  );
});

test('the byte buffer writes text as UTF-8 whether it is ASCII, not, short or long', () => {
  const bytes = new ByteBuffer(16);
  const texts = [
    'plain ASCII heading',
    'ends with é',
    'é at the start, then ASCII',
    'mid § sign and 😀 an astral char',
    'x'.repeat(500),
    `${'y'.repeat(300)}ü`,
    '',
  ];
  for (const text of texts) bytes.utf8(text);
  assert.equal(bytes.take().toString('utf8'), texts.join(''));
});
