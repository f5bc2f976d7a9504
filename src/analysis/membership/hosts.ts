import { ALLOW, IS_EX, IS_IN, TO_EX, TO_IN } from './router-v3.js';
import type { Timed } from './scheduler.js';

/**
 * One host's membership of one group, as a snooping switch keeps it per port (RFC 4541
 * §2.1.1): a tap does not see ports, so the host (its address, with its MAC) stands for one.
 */
export interface HostState extends Timed {
  address: string;
  mac: string;
  /** IGMP version of its last report. */
  version: 1 | 2 | 3;
  firstReport: number;
  lastReport: number;
  /**
   * When it ages out: a Group Membership Interval after its last report (RFC 4541 §2.1.1;
   * the Linux bridge's per-port group timer), whatever other hosts of the group do.
   */
  expires: number;
  /** The host's own filter for the group (RFC 3376 §3.2): v1/v2 hosts are EXCLUDE({}). */
  mode: 'INCLUDE' | 'EXCLUDE';
  sources: string[];
}

/**
 * A host's filter after one of its records (its own state, RFC 3376 §3.2 and §5.1): IS_IN and
 * TO_IN give INCLUDE(B), IS_EX and TO_EX EXCLUDE(B); ALLOW adds B to an INCLUDE list (takes it
 * from an EXCLUDE list), BLOCK the reverse.
 */
export function applyHostRecord(h: HostState, type: number, b: readonly string[]): void {
  if (type === IS_IN || type === TO_IN || type === IS_EX || type === TO_EX) {
    h.mode = type === IS_IN || type === TO_IN ? 'INCLUDE' : 'EXCLUDE';
    // Every v1/v2 report is IS_EX({}): no new array for the same empty list.
    if (b.length > 0) h.sources = [...b];
    else if (h.sources.length > 0) h.sources = [];
  } else if ((type === ALLOW) === (h.mode === 'INCLUDE')) {
    for (const s of b) if (!h.sources.includes(s)) h.sources.push(s);
  } else if (b.length > 0) {
    h.sources = h.sources.filter((s) => !b.includes(s));
  }
}

/**
 * Whether the host receives anything of the group: INCLUDE({}) receives nothing (RFC 3376
 * §3.1: "a filter of mode INCLUDE and an empty source list" is no reception), so a host whose
 * BLOCK took its last source, or whose TO_IN listed none, is no member.
 */
export function isMember(h: HostState): boolean {
  return h.mode === 'EXCLUDE' || h.sources.length > 0;
}
