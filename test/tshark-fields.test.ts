import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareWithTshark } from './tshark-compare.js';
import { unexplained } from './tshark-known.js';

for (const [capture, golden] of [
  ['fixtures/built/tunnels.pcapng', 'test/golden/tunnels.tshark.tsv'],
  ['fixtures/built/tunnel-defects.pcapng', 'test/golden/tunnel-defects.tshark.tsv'],
  ['fixtures/sample.pcap', 'test/golden/sample.tshark.tsv'],
  ['fixtures/built/defects.pcap', 'test/golden/defects.tshark.tsv'],
  ['fixtures/built/family.pcap', 'test/golden/family.tshark.tsv'],
]) {
  test(`every field of ${capture} has tshark 4.0's values, all occurrences in order`, async () => {
    const differences = await compareWithTshark(capture, golden);
    assert.deepEqual(unexplained(differences), []);
  });
}
