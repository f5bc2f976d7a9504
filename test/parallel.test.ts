import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleFrames } from '../src/builder/index.js';
import { packFrames, unpackFrames } from '../src/parallel/frames.js';
import { frameOf } from './helpers.js';

test('a packed batch unpacks to the same frames, also when its arrays are reused', () => {
  const frames = sampleFrames().map((f, i) =>
    frameOf(f.data, {
      number: i + 3,
      tsSec: f.tsSec,
      tsFrac: 999_999_999 - i,
      tsDigits: 9,
      interfaceId: i % 2,
      linkType: 1 + (i % 2) * 112,
      snapLen: i % 3 === 0 ? 0 : 65535,
      fileOffset: 24 + i * 100,
      origLen: f.data.length + i,
    }),
  );
  const big = packFrames(frames);
  assert.deepEqual(unpackFrames(big), frames);
  // A smaller batch in the same arrays: no bytes of the earlier batch show through.
  const few = frames.slice(2, 4);
  const reused = packFrames(few, big);
  assert.equal(reused.data, big.data, 'the data array is reused');
  assert.deepEqual(unpackFrames(reused), few);
  // A batch larger than the arrays gets new ones.
  const tiny = packFrames(frames.slice(0, 1));
  const grown = packFrames([...frames, ...frames, ...frames, ...frames, ...frames], {
    ...tiny,
    data: new Uint8Array(8),
  });
  assert.notEqual(grown.data.length, 8);
  assert.equal(unpackFrames(grown).length, frames.length * 5);
});
