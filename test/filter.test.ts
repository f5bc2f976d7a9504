import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from '../src/capture/frame.js';
import { readCapture } from '../src/capture/open.js';
import { dissect } from '../src/dissect.js';
import { NodeOut } from '../src/field-out.js';
import {
  compileFilter,
  compileFilterOrThrow,
  FilterCollector,
  filterErrorLines,
  filterErrorReport,
  isFilterError,
  lookupName,
  allNames,
  type FilterError,
} from '../src/filter/index.js';
import { parseIpv4, parseMac } from '../src/filter/values.js';
import { corpusFound, corpusPath } from './corpus.js';

async function framesOf(capture: string): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const batch of readCapture(capture)) frames.push(...batch);
  return frames;
}

/** The numbers of the frames of `capture` the filter selects. */
async function selected(capture: string, filter: string): Promise<number[]> {
  const collector = new FilterCollector(compileFilterOrThrow(filter));
  const out: number[] = [];
  for (const frame of await framesOf(capture)) {
    collector.reset(frame);
    dissect(frame, { out: collector });
    if (collector.test()) out.push(frame.number);
  }
  return out;
}

function errorOf(filter: string): FilterError {
  const result = compileFilter(filter);
  assert.ok(isFilterError(result), `${filter} was accepted`);
  return result;
}

test('the collector hands every field on to the writer it wraps: the same tree, the same problems', async () => {
  for (const capture of ['fixtures/built/tunnels.pcapng', 'fixtures/built/defects.pcap']) {
    for (const frame of await framesOf(capture)) {
      const plain = dissect(frame);
      const collector = new FilterCollector(
        compileFilterOrThrow('igmp.maddr == 239.1.1.1 || ip.src#2'),
        new NodeOut(),
      );
      collector.reset(frame);
      const wrapped = dissect(frame, { out: collector });
      assert.deepEqual(wrapped.layers, plain.layers, `${capture} frame ${frame.number}`);
      assert.deepEqual(wrapped.problems, plain.problems);
    }
  }
});

test('the collector wants shown texts exactly when the writer it wraps does', () => {
  const filter = compileFilterOrThrow('igmp');
  assert.equal(new FilterCollector(filter).texts, false);
  assert.equal(new FilterCollector(filter, new NodeOut()).texts, true);
});

test('reset() forgets the last frame', async () => {
  const [query, , , , report] = await framesOf('fixtures/sample.pcap');
  const collector = new FilterCollector(compileFilterOrThrow('igmp.type == 0x11'));
  collector.reset(query);
  dissect(query, { out: collector });
  assert.equal(collector.test(), true);
  collector.reset(report);
  dissect(report, { out: collector });
  assert.equal(collector.test(), false);
  assert.equal(collector.values.slots[0].count, 1);
});

test('a filter names the fields and protocols it needs, and the collector keeps only those', async () => {
  const filter = compileFilterOrThrow('vxlan && ip.src#2 == 10.1.0.0/16 || igmp.version == 3');
  assert.deepEqual(
    [...filter.fields].map((f) => f.abbrev),
    ['ip.src', 'igmp.version'],
  );
  assert.deepEqual([...filter.protocols], ['vxlan']);
  const collector = new FilterCollector(filter);
  const [frame] = await framesOf('fixtures/built/tunnels.pcapng');
  collector.reset(frame);
  dissect(frame, { out: collector });
  assert.deepEqual(
    collector.values.slots.map((s) => s.count),
    [0, 2, 1],
  );
});

test('a name stands for every FieldDef of that name, in groups too', () => {
  assert.equal(lookupName('geneve.option.length')?.defs.length, 2);
  assert.equal(lookupName('igmp.maddr')?.defs[0].abbrev, 'igmp.maddr');
  assert.equal(lookupName('igmp')?.protocol, true);
  assert.equal(lookupName('frame')?.protocol, true);
  assert.equal(lookupName('igmp.nosuch'), undefined);
});

test('an empty filter selects every frame', async () => {
  assert.deepEqual(
    await selected('fixtures/sample.pcap', '  '),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
  );
});

test("igmpscope's own string fields: ==, in, contains, matches, slices, lower, upper, len", async () => {
  const sample = 'fixtures/sample.pcap';
  assert.deepEqual(await selected(sample, 'igmp.query_type == "general"'), [1, 3, 7]);
  assert.deepEqual(await selected(sample, 'igmp.query_type == general'), [1, 3, 7]);
  assert.deepEqual(await selected(sample, 'igmp.query_type contains "specific"'), [4, 8, 9]);
  assert.deepEqual(await selected(sample, 'igmp.query_type matches "^GROUP-AND"'), [9]);
  assert.deepEqual(await selected(sample, 'igmp.query_type matches "(?-i)^GROUP"'), []);
  assert.deepEqual(await selected(sample, 'igmp.query_type[0:5] == "group"'), [4, 8, 9]);
  assert.deepEqual(await selected(sample, 'upper(igmp.query_type) == "GENERAL"'), [1, 3, 7]);
  assert.deepEqual(await selected(sample, 'lower(igmp.query_type) contains "GEN"'), []);
  assert.deepEqual(await selected(sample, 'len(igmp.query_type) == 7'), [1, 3, 7]);
  assert.deepEqual(
    await selected(sample, 'igmp.query_type in {"general", "group-specific"}'),
    [1, 3, 4, 7, 8],
  );
  assert.deepEqual(
    await selected('fixtures/built/tunnels.pcapng', 'mpls.payload_guess == "IPv4"'),
    [7, 13, 14, 15],
  );
});

test("igmpscope's own numbers, fractions included", async () => {
  assert.deepEqual(await selected('fixtures/sample.pcap', 'igmp.max_resp_sec == 27.2'), [9]);
  assert.deepEqual(await selected('fixtures/sample.pcap', 'igmp.max_resp_sec > 1'), [3, 7, 9]);
  assert.deepEqual(await selected('fixtures/sample.pcap', 'igmp.qqi == 125'), [7, 8, 9]);
});

test('protocols are their layers’ bytes; groups tshark knows as protocols or bytes likewise', async () => {
  const tunnels = 'fixtures/built/tunnels.pcapng';
  assert.deepEqual(await selected('fixtures/sample.pcap', 'frame contains "\\xef\\x03"'), [10]);
  assert.deepEqual(
    await selected('fixtures/sample.pcap', 'len(frame) == 60 && frame[12:2] == 08:00'),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13],
  );
  assert.deepEqual(
    await selected(tunnels, 'ipv6.hopopts[0] == 04 && len(ipv6.hopopts) == 8'),
    [18],
  );
  assert.deepEqual(await selected(tunnels, 'geneve.option[0:2] == 01:03'), [11]);
});

test('reset() without the frame: protocols have no bytes, frame.* fields no values', async () => {
  const [frame] = await framesOf('fixtures/sample.pcap');
  const collector = new FilterCollector(
    compileFilterOrThrow('len(eth) == 14 && eth && frame.number == 1 && frame'),
  );
  collector.reset();
  dissect(frame, { out: collector });
  assert.equal(collector.test(), false);
  collector.reset(frame);
  dissect(frame, { out: collector });
  assert.equal(collector.test(), true);
});

test('the error lines: the filter indented four spaces, a caret under the place', () => {
  const error = errorOf('igmp.version == 3 igmp');
  assert.deepEqual(error, {
    message: '"igmp" was unexpected in this context.',
    start: 18,
    length: 4,
  });
  assert.deepEqual(filterErrorLines('igmp.version == 3 igmp', error), [
    '    igmp.version == 3 igmp',
    '                      ^~~~',
  ]);
  assert.deepEqual(filterErrorReport('igmpscope', 'igmp.version ==', errorOf('igmp.version ==')), [
    'igmpscope: Unexpected end of filter expression.',
  ]);
});

test('errors the tshark goldens do not reach', () => {
  const cases: [string, string, number, number][] = [
    ["ip.ttl == 'a", 'The final quote was missing from a character constant.', 12, 1],
    ['ip.src#', 'Unexpected end of filter expression.', 7, 0],
    ['ip.src#a', 'Expected digit or "[", not "a"', 7, 1],
    ['ip.src#[1', 'The right bracket was missing from a slice.', 9, 1],
    ['igmp.query_type > 1 ^', '"^" was unexpected in this context.', 20, 1],
    ['lower(igmp.query_type, ip.src) == "x"', 'Function lower can only accept 1 arguments.', 0, 5],
    ['ip.src in {1.2.3.4 1.2.3.5}', '"1.2.3.5" was unexpected in this context.', 19, 7],
    [
      'eth.padding matches "(?q)a"',
      'Regex compilation error: unrecognized character after (? or (?-.',
      20,
      0,
    ],
    ['ip.src not igmp', '"igmp" was unexpected in this context.', 11, 4],
    ['igmp.query_type == 1 + 1', 'FT_STRING cannot +.', 19, 1],
  ];
  for (const [filter, message, start, length] of cases)
    assert.deepEqual(errorOf(filter), { message, start, length }, filter);
});

test('the compiled filter is reused frame after frame without growing', async () => {
  const frames = await framesOf('fixtures/built/tunnels.pcapng');
  const collector = new FilterCollector(
    compileFilterOrThrow('ip.src#2 == 10.1.0.0/16 && eth.dst[0:3] == 01:00:5e || count(ip) == 1'),
  );
  const first: boolean[] = [];
  const again: boolean[] = [];
  for (const pass of [first, again])
    for (const frame of frames) {
      collector.reset(frame);
      dissect(frame, { out: collector });
      pass.push(collector.test());
    }
  assert.deepEqual(again, first);
  assert.ok(first.includes(true) && first.includes(false));
});

test('addresses read from the frame bytes are the addresses the decoders show', async () => {
  const names = [...allNames().values()]
    .filter((ref) => ref.type.cls === 'ipv4' || ref.type.cls === 'ether')
    .map((ref) => ref.name);
  assert.ok(names.includes('ip.src') && names.includes('wlan.bssid'));
  const filter = compileFilterOrThrow(names.join(' || '));
  const collector = new FilterCollector(filter);
  let checked = 0;
  for (const capture of [
    'fixtures/built/tunnels.pcapng',
    'fixtures/built/two-interfaces.pcapng',
    'fixtures/built/defects.pcap',
    'fixtures/sample.pcap',
    ...(corpusFound
      ? [corpusPath('tcpdump/mtrace.pcap'), corpusPath('packetgen/igmpv3.pcapng')]
      : []),
  ])
    for (const frame of await framesOf(capture)) {
      collector.reset(frame);
      dissect(frame, { out: collector });
      collector.values.slots.forEach((list, slot) => {
        const ipv4 = filter.refs[slot].type.cls === 'ipv4';
        for (let i = 0; i < list.count; i++) {
          const text = list.strs[i];
          const parsed = ipv4 ? parseIpv4(text) : parseMac(text);
          assert.equal(
            list.nums[i],
            parsed,
            `${capture} ${frame.number} ${filter.refs[slot].name}`,
          );
          checked++;
        }
      });
    }
  assert.ok(checked > 100, `${checked}`);
});

test('a field named twice, itself and in an "either" field, is kept under both names', async () => {
  const tunnels = 'fixtures/built/tunnels.pcapng';
  const both = 'ip.src#2 == 10.1.1.10 && ip.addr == 198.18.0.2 && ip.dst != 198.18.0.2';
  assert.deepEqual(await selected(tunnels, both), []);
  assert.deepEqual(
    await selected(tunnels, 'ip.src == 10.1.1.10 && ip.addr == 198.18.0.2'),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21],
  );
  assert.equal(lookupName('ip.addr')?.defs.length, 2);
  assert.equal(lookupName('udp.port')?.type.description, 'Unsigned integer (2 bytes)');
});
