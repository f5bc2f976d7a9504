import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipv4At, macAt } from '../src/addr.js';

test('cached address strings: every lookup gives the bytes it was asked for, collisions included', () => {
  // More distinct addresses than cache slots, revisited out of order: hits, misses and evictions.
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  const buf = Buffer.alloc(10);
  for (let i = 0; i < 50_000; i++) {
    for (let j = 0; j < buf.length; j++) buf[j] = i % 7 === 0 ? next() : (next() & 3) * 85;
    const offset = i % 4;
    assert.equal(ipv4At(buf, offset), [...buf.subarray(offset, offset + 4)].join('.'));
    assert.equal(
      macAt(buf, offset),
      [...buf.subarray(offset, offset + 6)].map((b) => b.toString(16).padStart(2, '0')).join(':'),
    );
  }
});
