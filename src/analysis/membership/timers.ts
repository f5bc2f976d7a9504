/**
 * Protocol timers, RFC 3376 §8 (RFC 2236 §8 has the same names and defaults). A querier's v3
 * queries carry its Robustness Variable and Query Interval, which the others adopt (§4.1.6,
 * §4.1.7); everything else derives from them.
 */
export interface TimerParams {
  robustness: number;
  /** Seconds. */
  queryInterval: number;
  queryResponseInterval: number;
  lastMemberQueryInterval: number;
}

export const DEFAULT_TIMERS: TimerParams = {
  robustness: 2,
  queryInterval: 125,
  queryResponseInterval: 10,
  lastMemberQueryInterval: 1,
};

/** Group Membership Interval, §8.4: RV × QI + QRI (260 s by default). */
export function groupMembershipInterval(p: TimerParams): number {
  return p.robustness * p.queryInterval + p.queryResponseInterval;
}

/** Other Querier Present Interval, §8.5: RV × QI + QRI / 2 (255 s by default). */
export function otherQuerierPresentInterval(p: TimerParams): number {
  return p.robustness * p.queryInterval + p.queryResponseInterval / 2;
}

/** Last Member Query Count, §8.7: the robustness variable. */
export function lastMemberQueryCount(p: TimerParams): number {
  return p.robustness;
}
