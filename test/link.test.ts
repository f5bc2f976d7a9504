import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ethernet, igmpV2, ipv4, nullLoopback, sll, sll2, HOST_A } from '../src/builder/index.js';
import { dissectBytes, jsonOf, problemIds } from './helpers.js';

const report = (): Buffer =>
  ipv4({ src: HOST_A.ip, dst: '239.1.1.1', payload: igmpV2({ type: 0x16, group: '239.1.1.1' }) });

test('Ethernet: addresses, I/G bit and the RFC 1112 §6.4 mapping of the destination', () => {
  const json = jsonOf(dissectBytes(ethernet({ src: HOST_A.mac, payload: report() })));
  assert.deepEqual(json.eth, {
    'eth.dst': '01:00:5e:01:01:01',
    'eth.dst.ig': true,
    'eth.dst.lg': false,
    'eth.src': HOST_A.mac,
    'eth.type': 0x0800,
    'eth.padding': '00:00:00:00:00:00:00:00:00:00:00:00:00:00',
    'eth.dst.ip_mcast_mac': '01:00:5e:01:01:01',
    'eth.dst.ip_mcast_match': true,
  });
  const unicast = jsonOf(
    dissectBytes(ethernet({ dst: '00:11:22:33:44:55', src: HOST_A.mac, payload: report() })),
  );
  assert.equal(unicast.eth?.['eth.dst.ig'], false);
  assert.equal(unicast.eth?.['eth.dst.ip_mcast_match'], false);
});

test('Ethernet: padding up to 60 bytes, the rest is trailer; neither reaches IGMP', () => {
  const frame = ethernet({
    src: HOST_A.mac,
    payload: report(),
    trailer: Buffer.from('cafebabe', 'hex'),
  });
  const d = dissectBytes(frame);
  const json = jsonOf(d);
  assert.equal(json.eth?.['eth.trailer'], 'ca:fe:ba:be');
  assert.equal(d.igmp?.checksumStatus, 'good');
  assert.deepEqual(problemIds(d), []);
});

test('802.1ad (its own layer, as tshark has it), 0x9100 and 802.1Q tags, stacked, outermost first in JSON', () => {
  const frame = ethernet({
    src: HOST_A.mac,
    vlans: [
      { tpid: 0x88a8, id: 100, pcp: 5 },
      { tpid: 0x9100, id: 200 },
      { tpid: 0x8100, id: 300, dei: true },
    ],
    payload: report(),
  });
  const d = dissectBytes(frame);
  assert.equal(d.igmp?.group, '239.1.1.1');
  const json = jsonOf(d);
  assert.equal(json.eth?.['eth.type'], 0x88a8);
  assert.deepEqual(json.ieee8021ad, {
    'ieee8021ad.priority': 5,
    'ieee8021ad.dei': 0,
    'ieee8021ad.id': 100,
    'ieee8021ah.etype': 0x9100,
  });
  assert.deepEqual(json.vlan, [
    { 'vlan.priority': 0, 'vlan.dei': false, 'vlan.id': 200, 'vlan.etype': 0x8100 },
    { 'vlan.priority': 0, 'vlan.dei': true, 'vlan.id': 300, 'vlan.etype': 0x0800 },
  ]);
  assert.equal(
    json['frame.protocols'],
    'eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:vlan:ethertype:ip:igmp:igmp',
  );
});

test('Linux cooked captures v1 (113) and v2 (276)', () => {
  const v1 = jsonOf(dissectBytes(sll({ addr: HOST_A.mac, payload: report() }), { linkType: 113 }));
  assert.equal(v1.sll && (v1.sll as Record<string, unknown>)['sll.pkttype'], 2);
  assert.equal((v1.sll as Record<string, unknown>)['sll.src.eth'], HOST_A.mac);
  assert.equal((v1.igmp as Record<string, unknown>)['igmp.maddr'], '239.1.1.1');
  const v2 = jsonOf(
    dissectBytes(sll2({ addr: HOST_A.mac, ifindex: 7, payload: report() }), { linkType: 276 }),
  );
  assert.equal((v2.sll as Record<string, unknown>)['sll.ifindex'], 7);
  assert.equal((v2.sll as Record<string, unknown>)['sll.etype'], 0x0800);
  assert.equal((v2.igmp as Record<string, unknown>)['igmp.checksum.status'], 'good');
});

test('raw IPv4 link types and BSD loopback in either byte order', () => {
  for (const linkType of [12, 14, 101, 228]) {
    const d = dissectBytes(report(), { linkType });
    assert.equal(d.igmp?.group, '239.1.1.1', `link type ${linkType}`);
  }
  for (const littleEndian of [true, false]) {
    const d = dissectBytes(nullLoopback({ littleEndian, payload: report() }), { linkType: 0 });
    assert.equal(d.igmp?.group, '239.1.1.1');
  }
});

test('an undecoded link type is a problem on the frame, not a failure', () => {
  const d = dissectBytes(report(), { linkType: 147 });
  assert.deepEqual(problemIds(d), ['link.unsupported']);
  assert.equal(d.isIgmp, false);
});

test('link headers cut at every length: problems, never a throw', () => {
  const cases: [Buffer, number][] = [
    [ethernet({ src: HOST_A.mac, vlans: [{ id: 5 }, { id: 6 }], payload: report() }), 1],
    [sll({ addr: HOST_A.mac, payload: report() }), 113],
    [sll2({ addr: HOST_A.mac, ifindex: 1, payload: report() }), 276],
    [nullLoopback({ payload: report() }), 0],
  ];
  for (const [frame, linkType] of cases) {
    for (let cut = 0; cut <= frame.length; cut++) {
      const d = dissectBytes(Buffer.from(frame.subarray(0, cut)), {
        linkType,
        origLen: frame.length,
      });
      if (cut < 14 && linkType === 1) assert.deepEqual(problemIds(d), ['eth.truncated']);
    }
  }
});

test('non-IPv4 ethertypes are not IGMP', () => {
  const d = dissectBytes(
    ethernet({
      dst: 'ff:ff:ff:ff:ff:ff',
      src: HOST_A.mac,
      etherType: 0x0806,
      payload: Buffer.alloc(28),
    }),
  );
  assert.equal(d.isIgmp, false);
  assert.equal(d.layers.length, 1);
});
