import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from '../src/capture/frame.js';
import { dissect } from '../src/dissect.js';
import type { FieldNode } from '../src/fields.js';
import { PLAIN } from '../src/output/palette.js';
import { RelativeClock } from '../src/output/time.js';
import { ByteBuffer } from '../src/output/bytes.js';
import { nodeLine } from '../src/output/tree.js';
import { frameTree, TreeOut } from '../src/output/tree-out.js';
import { needsCorpus } from './corpus.js';
import { eachCorpusFrame, eachFixtureFrame, eachMutatedFrame } from './fixture-frames.js';
import { frameOf } from './helpers.js';
import { ethernet, igmpV2, ipv4, sll, sll2 } from '../src/builder/index.js';

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
 * The same lines out of the `-V` text: after the frame's own 9 lines, the indented lines
 * that are not problem lines (layer headings are not indented).
 */
function printedFieldLines(frame: Frame): string[] {
  return frameTree(dissect(frame), new RelativeClock(), PLAIN)
    .split('\n')
    .slice(9)
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
  await eachFixtureFrame(assertSameLines);
});

test(
  '-V lines (cached, and from the tree writer) are what each node renders, on every frame of the real captures',
  needsCorpus,
  async () => {
    await eachCorpusFrame(assertSameLines);
  },
);

test('-V lines from the caches stay right on mutated frames (same values, other raw bits)', () => {
  eachMutatedFrame(assertSameLines, 1000);
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

test('-V headings kept from frame to frame follow the protocol, its length and the named values', () => {
  const ip = (src: string, group: string): Buffer =>
    ipv4({ src, dst: group, payload: igmpV2({ type: 0x16, group }) });
  const frames = [
    frameOf(sll({ addr: '00:11:22:33:44:55', payload: ip('10.0.0.1', '239.1.1.1') }), {
      linkType: 113,
    }),
    frameOf(sll2({ addr: '00:11:22:33:44:55', ifindex: 3, payload: ip('10.0.0.1', '239.1.1.1') }), {
      linkType: 276,
    }),
    frameOf(ethernet({ src: '00:11:22:33:44:55', payload: ip('10.0.0.1', '239.1.1.1') })),
    frameOf(ethernet({ src: '00:11:22:33:44:66', payload: ip('10.0.0.2', '239.1.1.1') })),
    frameOf(ethernet({ src: '00:11:22:33:44:66', payload: ip('10.0.0.2', '239.1.1.2') })),
  ];
  // Twice over, so that the second time every heading comes from what was kept.
  for (const pass of [1, 2]) {
    frames.forEach((frame, i) => assertSameLines(frame, `pass ${pass}, frame ${i}`));
  }
});
