import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { igmpscope } from './cli-helpers.js';

/**
 * `-T fields` against tshark 4.0.17's bytes for the same -e/-E on the same capture: goldens
 * made by `tshark -n -r CAPTURE -T fields ARGS` (test/golden/fields/commands.tsv), checked by
 * hand. (--all: tshark prints every frame; these captures hold IGMP only.)
 */
const commands = readFileSync('test/golden/fields/commands.tsv', 'utf8')
  .trimEnd()
  .split('\n')
  .map((line) => line.split('\t'));

for (const [name, capture, args] of commands) {
  test(`-T fields ${args} on ${capture}: the bytes tshark writes`, () => {
    const run = igmpscope(['--all', '-T', 'fields', ...args.split(' '), capture]);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, readFileSync(`test/golden/fields/${name}.txt`, 'utf8'));
  });
}

test('-T fields: with -Y the frames it selects; errors for no -e, an unknown field, a bad -E', () => {
  const run = igmpscope([
    '-T',
    'fields',
    '-Y',
    'vxlan',
    '-e',
    'vxlan.vni',
    'fixtures/built/tunnels.pcapng',
  ]);
  assert.equal(run.stdout, '4242\n200\n77\n9\n');
  const none = igmpscope(['-T', 'fields', 'fixtures/sample.pcap']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /^igmpscope: -T fields needs at least one -e FIELD/);
  assert.match(
    igmpscope(['-T', 'fields', '-e', 'igmp.nosuch', 'fixtures/sample.pcap']).stderr,
    /some fields aren't valid: igmp\.nosuch/,
  );
  assert.match(
    igmpscope(['-T', 'fields', '-e', 'igmp.type', '-E', 'quote=x', 'fixtures/sample.pcap']).stderr,
    /-E quote=x: expected/,
  );
});

test('-Y: a bad filter is one line, the filter and a caret, exit 2, nothing on stdout', () => {
  const bad = igmpscope(['-Y', 'igmp.type == 0x11 and', 'fixtures/sample.pcap']);
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^igmpscope: /);
  const unknown = igmpscope(['-Y', 'ip.src == 1.2.3.4 && igmp.nosuch', 'fixtures/sample.pcap']);
  assert.equal(
    unknown.stderr,
    'igmpscope: igmp.nosuch is neither a field nor a protocol name.\n    ip.src == 1.2.3.4 && igmp.nosuch\n                         ^~~~~~~~~~~\n',
  );
  const stats = igmpscope(['stats', '--json', '-Y', 'igmp.version == 3', 'fixtures/sample.pcap']);
  assert.equal((JSON.parse(stats.stdout) as { frames: number }).frames, 4);
});
