/**
 * Writes the display-filter goldens test/filter-tshark.test.ts compares with: which frames
 * tshark 4.0 selects with each filter below (test/golden/filters.tsv), and what it says of
 * each bad filter (test/golden/filter-errors.txt). Needs tshark (4.0); the tests do not. Check
 * a new or changed golden by hand before committing it.
 *
 *   node --import tsx scripts/filter-goldens.ts
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const SAMPLE = 'fixtures/sample.pcap';
const VLAN = 'fixtures/built/two-interfaces.pcapng';
const DEFECTS = 'fixtures/built/defects.pcap';
const TUNNELS = 'fixtures/built/tunnels.pcapng';
const TUNNEL_DEFECTS = 'fixtures/built/tunnel-defects.pcapng';

/** Filters and the capture each runs over: every operator and feature, on every kind of frame. */
export const FILTER_CASES: readonly [string, string][] = [
  // comparison operators, word and symbol spellings
  [SAMPLE, 'igmp.version == 3'],
  [SAMPLE, 'igmp.version eq 2'],
  [SAMPLE, 'igmp.version != 3'],
  [SAMPLE, 'igmp.version ne 1 and igmp.version lt 3'],
  [SAMPLE, 'igmp.max_resp > 10'],
  [SAMPLE, 'igmp.max_resp >= 10'],
  [SAMPLE, 'igmp.max_resp < 100'],
  [SAMPLE, 'igmp.max_resp <= 100 && igmp.max_resp gt 0'],
  [SAMPLE, 'igmp.version ge 3 || ip.ttl le 0'],
  [SAMPLE, 'ip.ttl <= igmp.version <= 2'],
  // logic, precedence, parentheses
  [SAMPLE, 'igmp.version == 1 || igmp.version == 2 && igmp.type == 0x16'],
  [SAMPLE, '(igmp.version == 1 || igmp.version == 2) && igmp.type == 0x16'],
  [SAMPLE, 'not igmp.version == 1 and igmp.maddr'],
  [SAMPLE, '!(igmp.type == 0x11) && !igmp.s'],
  [SAMPLE, ''],
  // numbers in decimal, hex, octal, binary, character constants; value names
  [SAMPLE, 'igmp.type == 0x16'],
  [SAMPLE, 'igmp.type == 021'],
  [SAMPLE, 'igmp.type == 0b10111'],
  [SAMPLE, "igmp.type == '\\x22'"],
  [SAMPLE, 'igmp.max_resp == 012'],
  [SAMPLE, 'igmp.record_type == "Change To Include Mode"'],
  [SAMPLE, 'igmp.record_type == "mode is exclude"'],
  [SAMPLE, 'igmp.record_type in {1, 2} && igmp.record_type == 5'],
  [DEFECTS, 'igmp.checksum.status == "Bad"'],
  [DEFECTS, 'igmp.checksum.status == bad'],
  [DEFECTS, 'igmp.checksum.status == 0'],
  [DEFECTS, 'igmp.checksum.status != "Good"'],
  [DEFECTS, 'igmp.checksum.status == "Unverified"'],
  [DEFECTS, 'ip.checksum.status == "Bad" || igmp.checksum.status == 2'],
  [TUNNELS, 'udp.checksum.status == "Good"'],
  [TUNNELS, 'eth.type == ipv4 || llc.dsap == "SNAP"'],
  [TUNNELS, 'vlan.priority == "Best Effort (default)"'],
  // booleans
  [SAMPLE, 'igmp.s'],
  [SAMPLE, 'igmp.s == 1'],
  [SAMPLE, 'igmp.s == True'],
  [SAMPLE, 'igmp.s == FALSE'],
  [SAMPLE, 'igmp.s == 2'],
  [SAMPLE, 'ip.flags.df == 0 && igmp.version == 2'],
  // a field that occurs several times: == any, != none (all_ne), ~= any not equal, === all
  [SAMPLE, 'igmp.maddr == 239.3.3.3'],
  [SAMPLE, 'igmp.maddr != 239.3.3.3'],
  [SAMPLE, 'igmp.saddr ~= 10.0.0.1'],
  [SAMPLE, 'igmp.saddr !== 10.0.0.1'],
  [SAMPLE, 'igmp.saddr === 10.0.0.1'],
  [SAMPLE, 'igmp.saddr all_ne 10.0.0.5'],
  [SAMPLE, 'igmp.saddr any_eq 10.0.0.5'],
  [TUNNELS, 'ip.src == 198.18.0.1'],
  [TUNNELS, 'ip.src != 198.18.0.1'],
  [TUNNELS, 'ip.src ~= 10.1.1.10'],
  [TUNNELS, 'ip.src all_eq 10.1.1.10'],
  // Wireshark's "either" fields
  [TUNNELS, 'ip.addr == 10.1.1.10'],
  [TUNNELS, 'ip.addr != 198.18.0.1'],
  [TUNNELS, 'count(ip.addr) == 4'],
  [TUNNELS, 'ip.addr#2 == 239.1.1.1'],
  [TUNNELS, 'ip.addr == 224.0.0.22 && ip.src == 10.1.1.10'],
  [TUNNELS, 'eth.addr == 01:00:5e:01:01:01 && udp.port == 4789'],
  [TUNNELS, 'ipv6.addr == 2001:db8::1 && !(udp.port in {4789, 6081})'],
  // fields against fields
  [SAMPLE, 'igmp.maddr == ip.dst'],
  [SAMPLE, 'igmp.maddr != ip.dst'],
  [TUNNELS, 'ip.ttl < ip.ttl'],
  [TUNNELS, 'ip.src == ip.src#2'],
  // addresses: CIDR, IPv6 prefixes, MAC forms
  [TUNNELS, 'ip.src == 10.0.0.0/8'],
  [TUNNELS, 'ip.src == 198.18.0.1/16'],
  [TUNNELS, 'ip.dst != 224.0.0.0/4'],
  [TUNNELS, 'ip.dst == 224.0.0.0/4 && !(ip.dst == 239.0.0.0/8)'],
  [SAMPLE, 'ip.src > 192.168.1.1'],
  [TUNNELS, 'ipv6.src == 2001:db8::/32'],
  [TUNNELS, 'ipv6.src == 2001:DB8::1'],
  [TUNNELS, 'ipv6.dst > 2001:db8::1'],
  [TUNNELS, 'eth.dst == 01:00:5e:01:01:01'],
  [TUNNELS, 'eth.dst == 01-00-5e-01-01-01'],
  [TUNNELS, 'eth.dst == 0100.5e01.0101'],
  [TUNNELS, 'eth.src == 02:00:00:00:00:01 || wlan.sa == 02:00:00:00:00:01'],
  [TUNNELS, 'eth.src#1 == 02:00:00:00:00:01'],
  [TUNNELS, 'wlan.bssid'],
  // sets
  [SAMPLE, 'igmp.type in {0x11, 0x17}'],
  [SAMPLE, 'igmp.type not in {0x11, 0x17}'],
  [SAMPLE, 'igmp.max_resp in {1..20, 200..255}'],
  [SAMPLE, 'igmp.max_resp > 255'],
  [TUNNELS, 'vxlan.vni in {100..300, 4242}'],
  [TUNNELS, 'ip.src in {198.18.0.0/16, 1.2.3.4}'],
  [SAMPLE, 'igmp.version in {ip.ttl}'],
  [SAMPLE, 'eth.dst in {01:00:5e:00:00:01, 01:00:5e:01:01:01}'],
  // slices
  [TUNNELS, 'eth.dst[0:3] == 01:00:5e'],
  [TUNNELS, 'eth.dst[3] == 01'],
  [TUNNELS, 'eth.dst[-1] == 01'],
  [TUNNELS, 'eth.dst[1-2] == 00:5e'],
  [TUNNELS, 'eth.dst[:2] == 01:00'],
  [TUNNELS, 'eth.dst[4:] == 01:01'],
  [TUNNELS, 'eth.dst[0:3,5] == 01:00:5e:01'],
  [TUNNELS, 'eth.dst[4:5] == 01:01'],
  [SAMPLE, 'ip.src[0] == c0 && ip.src[2:2] == 01.0a'],
  [SAMPLE, 'ip.src[0] == 0xc0 && ip.src[1] == 0b10101000'],
  [SAMPLE, 'eth.dst[0:6] == eth.dst'],
  [TUNNELS, 'ip.src[0:2] > c6:00'],
  // contains, matches
  [TUNNELS, 'eth.dst contains 5e:01'],
  [SAMPLE, 'eth.padding contains 00:00'],
  [SAMPLE, 'igmp contains 0a:00:00:04'],
  [SAMPLE, 'igmp contains "\\xef\\x03"'],
  [SAMPLE, 'ip contains 94:04'],
  [SAMPLE, 'igmp matches "^\\x22"'],
  [SAMPLE, 'igmp matches "\\x0a\\x00\\x00[\\x03-\\x05]"'],
  [TUNNELS, 'eth.dst matches "^\\x01\\x00\\x5e"'],
  [SAMPLE, 'frame matches "(?-i)\\xef\\x04"'],
  [SAMPLE, 'frame matches "(?x) \\xef \\x03  # two bytes"'],
  // bitwise and, arithmetic
  [SAMPLE, 'igmp.type & 0x10'],
  [SAMPLE, 'igmp.type & 0x01 == 0'],
  [SAMPLE, 'igmp.type bitwise_and 0x02'],
  [SAMPLE, 'ip.src & 0.0.0.255 == 0.0.0.10'],
  [SAMPLE, 'igmp.version + 1 == 4'],
  [SAMPLE, 'igmp.version * 2 + 1 == 5'],
  [SAMPLE, 'igmp.max_resp / 10 == 1'],
  [SAMPLE, 'igmp.max_resp % 3 == 1'],
  [SAMPLE, 'igmp.version & 1 + 1 == 2'],
  [SAMPLE, 'igmp.version == {1 + 1}'],
  [SAMPLE, '-igmp.version == -3'],
  [TUNNELS, 'ip.ttl + ip.ttl == 65'],
  // signedness: a negated or computed integer is signed, read as unsigned beside an unsigned
  [TUNNELS, 'igmp.version > -1'],
  [TUNNELS, '-igmp.version < 0'],
  [TUNNELS, 'ip.ttl - 2 == -1'],
  [TUNNELS, 'igmp.version > -igmp.version'],
  [TUNNELS, 'igmp.version in {-1..2}'],
  [TUNNELS, 'radiotap.dbm_antsignal < -10 && radiotap.dbm_antnoise >= -100'],
  [SAMPLE, 'ip.ttl - 1'],
  // protocols, existence
  [SAMPLE, 'igmp.saddr'],
  [SAMPLE, 'frame'],
  // what the capture says of a frame
  [SAMPLE, 'frame.number <= 3 || frame.number in {7, 12..13}'],
  [SAMPLE, 'frame.len == 60 && frame.cap_len == 60'],
  [SAMPLE, 'frame.cap_len > 60'],
  [SAMPLE, 'frame.time_epoch >= 1700000005.5'],
  [SAMPLE, 'frame.protocols contains "dvmrp"'],
  [TUNNELS, 'frame.protocols == "eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:igmp:igmp"'],
  [TUNNELS, 'frame.protocols matches "mpls.*IGMP$"'],
  [VLAN, 'vlan'],
  [VLAN, 'vlan.id == 42 || sll'],
  [VLAN, 'vlan.id == 10'],
  [VLAN, 'sll.pkttype == 2 && igmp.record_type == 4 && vlan.priority == 0'],
  [VLAN, 'sll.pkttype == 2 && igmp.record_type == 4 || vlan.priority == 0'],
  [TUNNELS, 'vxlan'],
  [TUNNELS, 'gre && !vxlan'],
  [TUNNELS, 'mpls'],
  [TUNNELS, 'vlan.id'],
  [TUNNELS, 'ieee8021ad'],
  [TUNNELS, 'llc && !wlan'],
  [TUNNELS, 'radiotap'],
  [TUNNELS, 'pppoes && ppp.protocol == 0x0021'],
  [TUNNELS, 'geneve && !eth#2'],
  [TUNNELS, 'ipv6.hopopts'],
  [TUNNELS, 'ipv6.fraghdr.more == 0'],
  [TUNNEL_DEFECTS, 'udp && !vxlan'],
  [TUNNEL_DEFECTS, 'gre.checksum.status == "Bad" || !ip#2'],
  // the layer operator
  [TUNNELS, 'ip.src#2 == 10.1.0.0/16'],
  [TUNNELS, 'ip.src#1 == 10.1.0.0/16'],
  [TUNNELS, 'ip.src#[1-2] == 10.1.0.0/16'],
  [TUNNELS, 'ip#2'],
  [TUNNELS, 'eth.dst#2 == 01:00:5e:01:01:01'],
  [TUNNELS, 'vlan.id#1 == 10'],
  [TUNNELS, 'mpls.label#1 == 2000'],
  [TUNNELS, 'mpls.label#2'],
  [SAMPLE, 'igmp.maddr#2 == 239.1.1.1'],
  [SAMPLE, 'igmp.maddr#1'],
  [DEFECTS, 'igmp.type#1'],
  [TUNNELS, 'eth.dst#2[0:3] == 01:00:5e'],
  // count() and len()
  [TUNNELS, 'count(ip.src) == 2'],
  [TUNNELS, 'count(ip) == 2'],
  [TUNNELS, 'count(mpls) == 2'],
  [TUNNELS, 'count(mpls.label) >= 2'],
  [TUNNELS, 'count(ip.src#2) == 1'],
  [SAMPLE, 'count(igmp.saddr) == 8'],
  [SAMPLE, 'count(igmp.saddr) == 0'],
  [TUNNELS, 'len(ip) == 20'],
  [TUNNELS, 'len(eth) == 14 && len(eth.dst) == 6'],
  [SAMPLE, 'len(igmp) > 12'],
  [SAMPLE, 'len(ip.ttl) == 1 && len(igmp.max_resp) == 1'],
  [SAMPLE, 'len(igmp.s) == 0'],
  [DEFECTS, 'len(igmp) < 8'],
  // other functions
  [SAMPLE, 'max(igmp.version, ip.ttl) == 3'],
  [SAMPLE, 'min(igmp.max_resp) == 10'],
  [SAMPLE, 'max(ip.src, igmp.maddr) == 239.1.1.1'],
  [SAMPLE, 'abs(-igmp.version) == 2'],
  [SAMPLE, 'string(igmp.type) == "22"'],
  [SAMPLE, 'string(ip.src) == "192.168.1.1"'],
  [SAMPLE, 'string(eth.dst) == "01:00:5e:00:00:01"'],
  // defects: counts that lie, cut frames
  [DEFECTS, 'igmp.num_src > 10'],
  [DEFECTS, 'igmp.num_grp_recs != count(igmp.record_type)'],
  [DEFECTS, 'igmp.record_type > 6'],
  [DEFECTS, 'igmp.aux_data_len'],
];

/** Filters tshark refuses: its message and where it points. */
export const ERROR_CASES: readonly string[] = [
  'igmp.nosuch',
  'igmp.nosuch == 1',
  '"abc"',
  '1.2.3.4/8',
  '1 == ip.src',
  '1 eq ip.src',
  '"x" == ip.src',
  'igmp.version == 1 == 1',
  '1 + ip.ttl == 2',
  'ip.src ==',
  '(ip.src',
  'igmp.version == 3 &&',
  '!',
  ')',
  'ip.src ==== 1',
  'igmp.version = 3',
  'igmp.version == 3 igmp',
  'igmp.version == 1 and or igmp',
  'igmp.version == 1 &&& igmp',
  'igmp.version == 1 ^^ igmp',
  'igmp.type in {5 6}',
  'igmp.type in {}',
  '(igmp.version) == 1',
  'igmp.version == (1)',
  'ip.src matches "x"',
  'ip.src contains 1',
  'ipv6.src contains 1',
  'vlan.dei contains 1',
  'ip.len contains 1',
  'vxlan.vni contains 1',
  'radiotap.dbm_antsignal contains 1',
  'ipv6.opt == 1',
  'ipv6.opt > 1',
  'igmp.checksum.status contains "Go"',
  'eth.padding matches x',
  'ip.src == 1.2.3',
  'ip.src == foo',
  'ip.src == 192.168.001.001',
  'ip.src == "1.2.3.4"',
  'ip.src == 10.0.0.0/33',
  'ipv6.src == 1.2.3',
  'ipv6.src == "::1"',
  'ipv6.src == 2001:db8::1/129',
  'igmp.version == "x"',
  'igmp.version == "3"',
  'igmp.version in {"1"}',
  'igmp.version == foo',
  'igmp.version == 3.0',
  'vlan.id == 0x10000',
  'igmp.checksum.status == "Nonsense"',
  'igmp.s == true',
  'igmp.s == "True"',
  'eth.dst == 01:00:5e',
  'eth.dst == 1.2.3.4',
  'eth.dst contains "x"',
  'eth.padding == zz',
  'ip.src[0] == 0xc0a8',
  'ip.src > "x"',
  'ip.src == eth.dst',
  'igmp.type[0] == 11',
  'vlan.dei[0]',
  'ipv6.opt[0]',
  'ip.src[0:0] == 00',
  'ip.src[a] == 00',
  'ip.src[1:2:3] == 00',
  'ip.src[1',
  'ip.src#-1 == 10.1.1.10',
  'ip.src#2#1',
  'ip.src + 1',
  'ipv6.src + 1',
  'eth.padding + 1',
  '-ip.src',
  'ip.src[0] == -1',
  'igmp.s & 1',
  'ip.src & 1',
  'eth.dst & 01',
  'ip.src == 192.168.1.0 / 24',
  'ip.ttl == 2-1',
  'ip.ttl-1 == 0',
  'foo(ip.src)',
  'count(ip.src, ip.dst) == 1',
  'max() == 1',
  'count(ip.src)',
  'len(ip.src)',
  'count(1)',
  'count(igmp.nosuch) == 6',
  'len("abc") == 3',
  'count(ip.src) == "x"',
  'count(eth.dst) in {1, 2}',
  'eth.dst[0:3] in {01:00:5e}',
  'lower(ip.src) == "x"',
  'string(igmp.s) == "1"',
  'string(eth.padding) == "00"',
  'max(ip.ttl, ip.src) == 1',
  "ip.ttl == 'ab'",
  "ip.ttl == ''",
  'eth.padding contains "abc',
  'eth.padding contains "a\\q"',
  'eth.padding matches "("',
  'eth.padding matches ")"',
  'eth.padding matches "*"',
  'eth.padding matches "[a"',
  'eth.padding matches "a{2,1}"',
  'eth.padding matches "\\\\"',
  'radiotap.dbm_antsignal == -200',
  'igmp.max_resp in {1..20, 200..300}',
];

/** tshark as igmpscope is checked against it: every checksum igmpscope checks, checked. */
const PREFS = ['ip.check_checksum:TRUE', 'udp.check_checksum:TRUE', 'wlan.check_checksum:TRUE'];

function tshark(capture: string, filter: string): { status: number; out: string; err: string } {
  const args = ['-n', '-r', capture, '-Y', filter, '-T', 'fields', '-e', 'frame.number'];
  for (const pref of PREFS) args.push('-o', pref);
  const r = spawnSync('tshark', args, { encoding: 'utf8' });
  const err = r.stderr
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('Running as user'))
    .join('\n');
  return { status: r.status ?? -1, out: r.stdout, err };
}

function main(): void {
  const rows = ['capture\tfilter\tframes'];
  for (const [capture, filter] of FILTER_CASES) {
    const r = tshark(capture, filter);
    if (r.status !== 0) throw new Error(`tshark refused ${filter}: ${r.err}`);
    rows.push(`${capture}\t${filter}\t${r.out.trim().split('\n').filter(Boolean).join(' ')}`);
  }
  writeFileSync('test/golden/filters.tsv', rows.join('\n') + '\n');
  const blocks: string[] = [];
  for (const filter of ERROR_CASES) {
    const r = tshark(SAMPLE, filter);
    if (r.status !== 2 || r.out !== '')
      throw new Error(`tshark accepted ${filter} (status ${r.status})`);
    blocks.push(`### ${filter}\n${r.err}`);
  }
  writeFileSync('test/golden/filter-errors.txt', blocks.join('\n') + '\n');
  console.error(`${FILTER_CASES.length} filters, ${ERROR_CASES.length} errors`);
}

main();
