import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareWithTshark, type Difference } from './tshark-compare.js';

/**
 * Where igmpscope and tshark 4.0 part on purpose, each with its reason; every other cell of
 * every golden must be equal. (The goldens: scripts/tshark-goldens.ts, checked by hand.)
 */
const KNOWN: { reason: string; applies: (d: Difference) => boolean }[] = [
  {
    reason:
      'tshark writes the calculated checksum whenever it checks one; igmpscope only when wrong',
    applies: (d) => d.field.endsWith('.checksum_calculated') && d.igmpscope === '',
  },
  {
    reason: "tshark's IPv6 layer repeats its version as a hidden ip.version; igmpscope does not",
    applies: (d) => d.field === 'ip.version',
  },
  {
    reason:
      'tshark appends [Malformed Packet] or [Packet size limited during capture] to Info; igmpscope lists problem ids after it',
    applies: (d) =>
      d.field === '_ws.col.Info' &&
      /\[(Malformed Packet|Packet size limited during capture)\]/.test(d.tshark),
  },
  {
    reason:
      'DVMRP and PIMv1 are layers of their own to tshark; igmpscope decodes them in igmp (for now)',
    applies: (d) => /:igmp:(dvmrp|pim)$/.test(d.chain) && d.field.startsWith('igmp.'),
  },
];

function unexplained(differences: Difference[]): Difference[] {
  return differences.filter((d) => !KNOWN.some((k) => k.applies(d)));
}

for (const [capture, golden] of [
  ['fixtures/built/tunnels.pcapng', 'test/golden/tunnels.tshark.tsv'],
  ['fixtures/built/tunnel-defects.pcapng', 'test/golden/tunnel-defects.tshark.tsv'],
  ['fixtures/sample.pcap', 'test/golden/sample.tshark.tsv'],
  ['fixtures/built/defects.pcap', 'test/golden/defects.tshark.tsv'],
]) {
  test(`every field of ${capture} has tshark 4.0's values, all occurrences in order`, async () => {
    const differences = await compareWithTshark(capture, golden);
    assert.deepEqual(unexplained(differences), []);
  });
}
