import assert from 'node:assert/strict';
import { test } from 'node:test';
import { igmpscope } from './cli-helpers.js';
import { parseStrictJson } from './strict-json.js';

interface Stats {
  frames: number;
  igmp_frames: number;
  messages: Record<string, number>;
  groups: {
    group: string;
    reports: number;
    joins: number;
    leaves: number;
    queries: number;
    hosts: number;
    sources: number;
  }[];
  hosts: { host: string; reports: number; leaves: number; groups: number; versions: number[] }[];
  queriers: Record<string, unknown>[];
  interval: number;
  rates: { start: number; queries: number; reports: number; leaves: number; other: number }[];
}

test('stats of the sample: messages by type, groups, hosts, the querier with its seen and announced intervals, rates', () => {
  const run = igmpscope(['stats', '--json', 'fixtures/sample.pcap']);
  assert.equal(run.status, 0);
  const s = parseStrictJson(run.stdout) as Stats;
  assert.equal(s.frames, 13);
  assert.equal(s.igmp_frames, 13);
  assert.equal(s.messages['IGMPv3 Membership Query (0x11)'], 3);
  assert.equal(s.messages['DVMRP V3 Probe'], 1);
  assert.equal(s.messages['PIMv1 Query'], 1);
  // 239.1.1.1: a v2 report and a v3 IS_EX record, the v2 leave, a v2 and a v3 group query.
  assert.deepEqual(
    s.groups.find((g) => g.group === '239.1.1.1'),
    { group: '239.1.1.1', reports: 2, joins: 2, leaves: 1, queries: 2, hosts: 2, sources: 0 },
  );
  // 232.3.3.3 is only blocked (BLOCK): reported, no join.
  assert.deepEqual(
    s.groups.find((g) => g.group === '232.3.3.3'),
    { group: '232.3.3.3', reports: 1, joins: 0, leaves: 0, queries: 0, hosts: 1, sources: 1 },
  );
  assert.deepEqual(
    s.hosts.map((h) => [h.host, h.reports, h.leaves, h.versions]),
    [
      ['192.168.1.10', 2, 1, [1, 2]],
      ['192.168.1.11', 6, 0, [3]],
    ],
  );
  // General queries at 0, 2 and 6 s: gaps 2 and 4, the median (upper) 4; QQIC 125 announced.
  assert.deepEqual(s.queriers, [
    {
      querier: '192.168.1.1',
      general_queries: 3,
      specific_queries: 3,
      versions: [1, 2, 3],
      interval_seen: 4,
      interval_announced: 125,
      max_response: 10,
      robustness: 2,
      first: 0,
      last: 8,
    },
  ]);
  assert.equal(s.interval, 1);
  assert.equal(s.rates.length, 13);
  assert.deepEqual(s.rates[5], { start: 5, queries: 0, reports: 0, leaves: 1, other: 0 });
  assert.equal(
    s.rates.reduce((n, r) => n + r.queries + r.reports + r.leaves + r.other, 0),
    13,
  );
});

test('stats: --interval sets the rate rows; -z igmp,stat and io,stat after the frames (-q: tables only); text tables', () => {
  const s = parseStrictJson(
    igmpscope(['stats', '--json', '--interval', '5', 'fixtures/sample.pcap']).stdout,
  ) as Stats;
  assert.deepEqual(
    s.rates.map((r) => r.start),
    [0, 5, 10],
  );
  const quiet = igmpscope(['-q', '-z', 'igmp,stat', 'fixtures/sample.pcap']).stdout;
  assert.match(quiet, /^13 frames, 13 IGMP, 12 s\nMessages by version and type\n/);
  const after = igmpscope(['-z', 'io,stat,5', 'fixtures/sample.pcap']).stdout.split('\n');
  assert.match(after[0], /^ {4}1 +0\.000000 /);
  assert.ok(after.includes('Messages per 5 s'));
  assert.equal(igmpscope(['-z', 'conv,ip', 'fixtures/sample.pcap']).status, 2);
  const text = igmpscope(['stats', 'fixtures/sample.pcap']).stdout;
  assert.match(text, /│ 239\.1\.1\.1 +│ 2 +│ 2 +│ 1 +│ 2 +│ 2 +│ 0 +│/);
});
