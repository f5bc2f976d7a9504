import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleFrames } from '../src/builder/index.js';
import { epochString } from '../src/capture/frame.js';
import { dissect } from '../src/dissect.js';
import { ByteBuffer, Prepared, prepared } from '../src/output/bytes.js';
import { JsonOut, frameJson } from '../src/output/json.js';
import { RelativeClock } from '../src/output/time.js';
import { allProtocols, protocolChain } from '../src/layers/registry.js';
import { frameOf } from './helpers.js';
import { parseStrictJson } from './strict-json.js';
import { needsCorpus } from './corpus.js';
import { eachCorpusFrame, eachFixtureFrame, eachMutatedFrame } from './fixture-frames.js';
import { layersFromTree } from './tree-object.js';

const PROTOCOL_KEYS = new Set(allProtocols().map((p) => p.name));

/** The layer objects of an NDJSON line (which must not repeat a key anywhere). */
function layersOf(line: string): Record<string, unknown> {
  const object = parseStrictJson(line) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(object).filter(([k]) => PROTOCOL_KEYS.has(k)));
}

function assertSameAsTree(frame: Parameters<typeof dissect>[0], where: string): void {
  const tree = dissect(frame);
  const line = frameJson(tree, new RelativeClock());
  assert.deepEqual(layersOf(line), layersFromTree(tree), where);
  assert.equal(
    (JSON.parse(line) as Record<string, unknown>)['frame.protocols'],
    protocolChain(tree.layers),
    `${where}: frame.protocols`,
  );
  assert.ok(line.includes(`"frame.time_epoch":"${epochString(frame)}"`), `${where}: epoch`);
  const problems = (JSON.parse(line) as { problems: unknown[] }).problems;
  assert.deepEqual(
    problems,
    tree.problems.map((p) => ({ ...p })),
    `${where}: problems`,
  );
}

test('NDJSON written from the decoders holds what the field tree holds, on every fixture frame', async () => {
  await eachFixtureFrame(assertSameAsTree);
});

test(
  'NDJSON written from the decoders holds what the field tree holds, on every frame of the real captures',
  needsCorpus,
  async () => {
    await eachCorpusFrame(assertSameAsTree);
  },
);

test('NDJSON and the tree agree on arbitrary and mutated frames', () => {
  eachMutatedFrame(assertSameAsTree, 400);
});

test('the strict parser refuses a key repeated in any object, and only that', () => {
  assert.throws(() => parseStrictJson('{"ip":{"ip.src":"1.1.1.1"},"ip":{}}'), /repeated key "ip"/);
  assert.throws(() => parseStrictJson('{"a":[{"x":1,"y":{"x":2},"x":3}]}'), /repeated key "x"/);
  assert.deepEqual(parseStrictJson('{"a":[{"x":1},{"x":2}],"b":{"a":"{\\"a\\":1,"}}'), {
    a: [{ x: 1 }, { x: 2 }],
    b: { a: '{"a":1,' },
  });
});

test('a line that is not wanted is taken back; the next one is whole', () => {
  const bytes = new ByteBuffer(64);
  const writer = new JsonOut(bytes);
  const clock = new RelativeClock();
  const [first, second] = sampleFrames().map((f) => f.data);
  writer.frame(frameOf(first, { number: 1 }), clock, undefined, () => false);
  assert.equal(bytes.length, 0);
  writer.frame(frameOf(second, { number: 2 }), clock, 'a.pcap');
  const text = bytes.take().toString('latin1');
  assert.ok(text.endsWith('\n'));
  const line = JSON.parse(text) as Record<string, unknown>;
  assert.equal(line['frame.number'], 2);
  assert.equal(line.file, 'a.pcap');
});

test('prepared bytes are copied whole, word by word or at once, however they fall', () => {
  // A small slab, so that copies also land at its end and make it grow.
  const out = new ByteBuffer(64);
  const expected: number[] = [];
  for (let length = 0; length <= 70; length++) {
    const bytes = Buffer.from(Array.from({ length }, (_, i) => (length * 31 + i * 7 + 1) & 0xff));
    out.put(new Prepared(bytes));
    expected.push(...bytes);
    // A byte after each copy: word stores past a copy's end must not outlive the next write.
    out.byte(length);
    expected.push(length);
    out.putUint(prepared(',"k":'), length * 1000);
    expected.push(...Buffer.from(`,"k":${length * 1000}`, 'latin1'));
  }
  assert.deepEqual([...out.take()], expected);
});

test('drainTo moves the gathered bytes to the end of an output array, growing it when short', () => {
  const bytes = new ByteBuffer(64);
  const expected: number[] = [];
  let output: Uint8Array | undefined = new Uint8Array(100);
  const given = output;
  let length = 0;
  // 3 × 40 bytes: the first two fit the 100-byte array given, the third outgrows it.
  for (let round = 0; round < 3; round++) {
    const piece = Array.from({ length: 40 }, (_, i) => (round * 40 + i) & 0xff);
    bytes.raw(Uint8Array.from(piece));
    expected.push(...piece);
    output = bytes.drainTo(output, length);
    length += piece.length;
    assert.equal(bytes.length, 0, 'the slab starts again');
    assert.equal(output === given, round < 2, `round ${round}: the given array while it fits`);
    assert.deepEqual([...output.subarray(0, length)], expected, `round ${round}`);
  }
  // Nothing given: a new array.
  bytes.ascii('x');
  const fresh = bytes.drainTo(undefined, 0);
  assert.equal(fresh[0], 0x78);
  assert.ok(fresh.length >= 256 * 1024);
});
