import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ethernet, igmpV2, ipv4, udp, vxlan } from '../src/builder/index.js';
import { dissectBytes, jsonOf, problemIds } from './helpers.js';

const SRC = '198.18.0.1';
const DST = '198.18.0.2';

function overVxlan(checksum?: number): Buffer {
  const inner = ipv4({
    src: '10.1.1.10',
    dst: '239.1.1.1',
    payload: igmpV2({ type: 0x16, group: '239.1.1.1' }),
  });
  const payload = vxlan({
    vni: 1,
    payload: ethernet({ src: '02:00:00:00:00:01', payload: inner, padTo60: false }),
  });
  return ethernet({
    src: '00:11:22:33:44:55',
    dst: '66:77:88:99:aa:bb',
    payload: ipv4({
      src: SRC,
      dst: DST,
      protocol: 17,
      ttl: 64,
      routerAlert: false,
      payload: udp({ src: SRC, dst: DST, srcPort: 49152, dstPort: 4789, payload, checksum }),
    }),
  });
}

/** The pseudo-header's sum for the datagram above: what a host with checksum offload leaves. */
function pseudoHeaderSum(length: number): number {
  let sum = 0xc612 + 0x0001 + 0xc612 + 0x0002 + 17 + length;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

test('UDP checksum: good, wrong, zero over IPv4 (none), and the pseudo-header sum a NIC was to complete', () => {
  const good = dissectBytes(overVxlan());
  assert.deepEqual(problemIds(good), []);
  assert.equal((jsonOf(good).udp as Record<string, unknown>)['udp.checksum.status'], 'good');

  const wrong = dissectBytes(overVxlan(0x1234));
  assert.deepEqual(problemIds(wrong), ['udp.checksum.bad']);
  assert.equal(wrong.problems[0].severity, 'error');
  assert.equal(wrong.igmp?.group, '239.1.1.1', 'what it carries is still decoded');

  const none = dissectBytes(overVxlan(0));
  assert.deepEqual(problemIds(none), []);
  assert.equal((jsonOf(none).udp as Record<string, unknown>)['udp.checksum.status'], 'not_present');

  const length = 8 + 8 + 14 + 24 + 8;
  const offloaded = dissectBytes(overVxlan(pseudoHeaderSum(length)));
  assert.deepEqual(problemIds(offloaded), ['udp.checksum.offload']);
  assert.equal(offloaded.problems[0].severity, 'warning');
  assert.match(offloaded.problems[0].message, /checksum offload on the capturing host/);
});
