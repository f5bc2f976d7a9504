import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { compareWithTshark } from './tshark-compare.js';
import { unexplained } from './tshark-known.js';

/**
 * The real captures of the IGMP family (read in place, never copied here) against tshark 4.0
 * goldens made from them: every IGMP-family frame, every field igmpscope declares. The other
 * frames of these captures (HSRP, STP, PIMv2 …) and the Ethernet trailer of their IGMP frames
 * belong to other layers' comparisons.
 */
const CAPTURES = process.env.IGMPSCOPE_CAPTURES ?? '../shared/captures';
const missing = existsSync(CAPTURES) ? false : `no captures at ${CAPTURES} (IGMPSCOPE_CAPTURES)`;

const CASES = [
  ['tcpdump/mtrace.pcap', 'mtrace'],
  ['tcpdump/mrinfo_query.pcap', 'mrinfo_query'],
  ['tcpdump/PIM-SM_join_prune.pcap', 'PIM-SM_join_prune'],
  ['Pktgen-DPDK/test1.pcap', 'Pktgen-DPDK-test1'],
  ['suricata-verify/wireshark-wiki-IGMP-dataset.pcap', 'wireshark-wiki-IGMP-dataset'],
];

test(
  "the IGMP-family frames of the real captures have tshark 4.0's values",
  { skip: missing },
  async () => {
    for (const [capture, golden] of CASES) {
      const differences = await compareWithTshark(
        `${CAPTURES}/${capture}`,
        `test/golden/${golden}.tshark.tsv`,
      );
      const family = differences.filter(
        (d) => d.chain.includes(':igmp') && !d.field.startsWith('eth.'),
      );
      assert.deepEqual(unexplained(family), [], capture);
    }
  },
);
