import assert from 'node:assert/strict';
import { test } from 'node:test';
import { igmpscope } from './cli-helpers.js';

/**
 * The committed corpus of damaged captures (fixtures/fuzz/): each must end with a clear message
 * naming the byte offset, every frame before the damage printed, within seconds (no hang).
 */
const CORPUS: [file: string, status: number, frames: number, stderr: RegExp][] = [
  ['caplen-ffffffff.pcap', 2, 2, /offset 176 claims a captured length of 4294967295/],
  ['caplen-300k.pcap', 2, 2, /offset 176 claims a captured length of 300000/],
  ['caplen-above-snaplen.pcap', 0, 4, /^$/],
  ['cut-in-record-header.pcap', 2, 3, /cut short in the middle of a packet.*offset 252/],
  ['header-only-cut.pcap', 2, 0, /shorter than the 24-byte pcap file header/],
  [
    'pcapng-bad-trailer.pcapng',
    2,
    1,
    /offset 140: its trailing length \(96\) differs from its leading length \(92\)/,
  ],
  ['pcapng-zero-length-block.pcapng', 2, 1, /offset 140 has an impossible total length of 0/],
  ['pcapng-odd-length-block.pcapng', 2, 1, /offset 140 has an impossible total length of 94/],
  ['pcapng-caplen-past-block.pcapng', 2, 1, /offset 140 claims a captured length of 4000/],
  ['pcapng-cut-in-block.pcapng', 2, 3, /cut short in the middle of a packet.*offset 324/],
  ['empty.pcap', 2, 0, /file is empty/],
];

for (const [file, status, frames, stderr] of CORPUS) {
  test(`fuzz corpus ${file}: exit ${status}, ${frames} frames first, a clear message`, () => {
    const run = igmpscope(['--json', `fixtures/fuzz/${file}`], { timeout: 10_000 });
    assert.equal(run.status, status, run.stderr);
    const lines = run.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, frames);
    lines.forEach((line, i) => assert.equal(JSON.parse(line)['frame.number'], i + 1));
    assert.match(run.stderr.trim(), stderr);
    assert.ok(run.stderr.trim().split('\n').length <= 1, 'one line on stderr');
  });
}

test('the snaplen-exceeding frames are problems on their frames, not a file error', () => {
  const run = igmpscope(['--json', 'fixtures/fuzz/caplen-above-snaplen.pcap']);
  const first = JSON.parse(run.stdout.split('\n')[0]);
  assert.deepEqual(
    first.problems.map((p: { id: string }) => p.id),
    ['frame.snaplen_exceeded'],
  );
});
