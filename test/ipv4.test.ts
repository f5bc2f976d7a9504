import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ethernet, igmpV2, ipv4, HOST_A } from '../src/builder/index.js';
import { dissectBytes, jsonOf, problemIds } from './helpers.js';

const igmp = igmpV2({ type: 0x16, group: '239.1.1.1' });
const frameWith = (o: Partial<Parameters<typeof ipv4>[0]>): Buffer =>
  ethernet({
    src: HOST_A.mac,
    payload: ipv4({ src: HOST_A.ip, dst: '239.1.1.1', payload: igmp, ...o }),
  });

test('every header field, typed, with Wireshark names', () => {
  const json = jsonOf(dissectBytes(frameWith({ id: 0x1234, df: true })));
  assert.deepEqual(json.ip, {
    'ip.version': 4,
    'ip.hdr_len': 24,
    'ip.dsfield': 0xc0,
    'ip.dsfield.dscp': 48,
    'ip.dsfield.ecn': 0,
    'ip.len': 32,
    'ip.id': 0x1234,
    'ip.flags': 0x40,
    'ip.flags.rb': false,
    'ip.flags.df': true,
    'ip.flags.mf': false,
    'ip.frag_offset': 0,
    'ip.ttl': 1,
    'ip.proto': 2,
    'ip.checksum': (json.ip as Record<string, unknown>)['ip.checksum'],
    'ip.checksum.status': 'good',
    'ip.src': HOST_A.ip,
    'ip.dst': '239.1.1.1',
    'ip.options': [{ 'ip.opt.type': 148, 'ip.opt.len': 4, 'ip.opt.ra': 0 }],
  });
});

test('bad header checksum: error with the value it should have', () => {
  const good = ipv4({ src: HOST_A.ip, dst: '239.1.1.1', payload: igmp });
  const d = dissectBytes(frameWith({ headerChecksum: 0xbeef }));
  const json = jsonOf(d);
  assert.equal((json.ip as Record<string, unknown>)['ip.checksum.status'], 'bad');
  assert.equal(
    (json.ip as Record<string, unknown>)['ip.checksum_calculated'],
    good.readUInt16BE(10),
  );
  assert.deepEqual(problemIds(d), ['ip.checksum.bad']);
  assert.equal(d.problems[0].offset, 14 + 10);
});

test('header checksum 0x0000 where another is due: a warning naming checksum offload, not an error', () => {
  const good = ipv4({ src: HOST_A.ip, dst: '239.1.1.1', payload: igmp });
  const d = dissectBytes(frameWith({ headerChecksum: 0 }));
  const json = jsonOf(d);
  assert.equal((json.ip as Record<string, unknown>)['ip.checksum.status'], 'bad');
  assert.equal(
    (json.ip as Record<string, unknown>)['ip.checksum_calculated'],
    good.readUInt16BE(10),
  );
  assert.deepEqual(problemIds(d), ['ip.checksum.zero']);
  const [problem] = d.problems;
  assert.equal(problem.severity, 'warning');
  assert.equal(problem.offset, 14 + 10);
  assert.match(problem.message, /0x0000.*checksum offload on the capturing host/);
  assert.equal(d.igmp?.group, '239.1.1.1', 'the payload is still decoded');
  // Any other wrong value stays an error, 0xffff (the other zero of ones' complement) too.
  for (const wrong of [0xffff, 0x0001]) {
    assert.deepEqual(problemIds(dissectBytes(frameWith({ headerChecksum: wrong }))), [
      'ip.checksum.bad',
    ]);
  }
});

test('options: NOP, EOL, unknown options by type and length, bad lengths flagged', () => {
  const nops = jsonOf(
    dissectBytes(frameWith({ routerAlert: false, options: Buffer.from([1, 1, 1, 0]) })),
  );
  assert.deepEqual((nops.ip as Record<string, unknown>)['ip.options'], [
    { 'ip.opt.type': 1 },
    { 'ip.opt.type': 1 },
    { 'ip.opt.type': 1 },
    { 'ip.opt.type': 0 },
  ]);
  const unknown = jsonOf(
    dissectBytes(frameWith({ routerAlert: false, options: Buffer.from([0x88, 4, 0xab, 0xcd]) })),
  );
  assert.deepEqual((unknown.ip as Record<string, unknown>)['ip.options'], [
    { 'ip.opt.type': 0x88, 'ip.opt.len': 4, 'ip.opt.value': 'ab:cd' },
  ]);
  for (const len of [0, 1, 9]) {
    const d = dissectBytes(
      frameWith({ routerAlert: false, options: Buffer.from([0x88, len, 0, 0]) }),
    );
    assert.deepEqual(problemIds(d), ['ip.opt.len.bad'], `length ${len}`);
    assert.equal(d.igmp?.group, '239.1.1.1', 'the payload is still decoded');
  }
  const longRa = dissectBytes(
    frameWith({ routerAlert: false, options: Buffer.from([148, 8, 0, 0, 0, 0, 0, 0]) }),
  );
  assert.deepEqual(problemIds(longRa), ['ip.opt.ra.len.bad']);
});

test('header length, version and total length that lie', () => {
  assert.deepEqual(problemIds(dissectBytes(frameWith({ ihl: 4 }))), ['ip.hdr_len.bad']);
  const v6 = Buffer.from(frameWith({}));
  v6[14] = 0x66;
  assert.deepEqual(problemIds(dissectBytes(v6)), ['ip.version.bad']);
  const tooShort = dissectBytes(frameWith({ totalLength: 10 }));
  assert.ok(problemIds(tooShort).includes('ip.len.bad'));
  const tooLong = dissectBytes(frameWith({ totalLength: 400 }));
  assert.ok(problemIds(tooLong).includes('ip.len.bad'));
  assert.equal(
    tooLong.igmp?.checksumStatus,
    'unverified',
    'a datagram longer than the frame cannot be checked',
  );
});

test('IPv4 header cut at every length by the capture: problems, never a throw', () => {
  const frame = frameWith({});
  for (let cut = 14; cut < 14 + 24; cut++) {
    const d = dissectBytes(Buffer.from(frame.subarray(0, cut)), { origLen: frame.length });
    assert.ok(problemIds(d).includes('ip.truncated'), `cut ${cut}: ${problemIds(d)}`);
  }
});

test('captured length above the snaplen is a frame problem, not a failure', () => {
  const frame = frameWith({});
  const d = dissectBytes(frame, { snapLen: 40 });
  assert.deepEqual(problemIds(d), ['frame.snaplen_exceeded']);
  assert.equal(d.igmp?.group, '239.1.1.1');
});
