/**
 * IGMPv3 router state for one group on one interface (RFC 3376 §6): a filter mode, a group
 * timer and source records with timers. In EXCLUDE mode a source with a running timer is in X
 * (forwarded), one whose timer is 0 in Y (blocked). Times are seconds on the capture's clock.
 */
export interface RouterGroup {
  mode: 'INCLUDE' | 'EXCLUDE';
  /** Absolute expiry of the group timer (meaningful in EXCLUDE mode). */
  groupTimer: number;
  /** Source → absolute expiry of its timer; 0 marks a blocked source (Y in EXCLUDE mode). */
  sources: Map<string, number>;
}

export const IS_IN = 1;
export const IS_EX = 2;
export const TO_IN = 3;
export const TO_EX = 4;
export const ALLOW = 5;
export const BLOCK = 6;

const BLOCKED = 0;

export function newRouterGroup(): RouterGroup {
  return { mode: 'INCLUDE', groupTimer: 0, sources: new Map() };
}

/** X: the forwarded sources (timer running); Y: the blocked ones (timer 0), at `now`. */
export function forwarded(g: RouterGroup, now: number): string[] {
  return [...g.sources].filter(([, t]) => t > now).map(([s]) => s);
}

export function blocked(g: RouterGroup): string[] {
  return [...g.sources].filter(([, t]) => t === BLOCKED).map(([s]) => s);
}

/**
 * Applies one group record as the tables of RFC 3376 §6.4.1 (current state: IS_IN, IS_EX) and
 * §6.4.2 (state change: ALLOW, BLOCK, TO_IN, TO_EX) say. "Send Q(…)" actions belong to the
 * querier; a capture shows those queries, and `lowerForQuery` applies what they do. `gmi` is
 * the Group Membership Interval.
 */
export function applyRecord(
  g: RouterGroup,
  type: number,
  b: readonly string[],
  now: number,
  gmi: number,
): void {
  // Runs once per report: X and Y are read from the timers in place (X: running, Y: 0), and a
  // record without sources (every v1/v2 report, as IS_EX({})) allocates nothing.
  const until = now + gmi;
  const sources = g.sources;
  if (g.mode === 'INCLUDE') {
    switch (type) {
      case IS_IN:
      case ALLOW:
      case TO_IN:
        // INCLUDE(A) → INCLUDE(A+B); (B)=GMI. (TO_IN also sends Q(G, A−B).)
        for (const s of b) sources.set(s, until);
        return;
      case BLOCK:
        // INCLUDE(A) → INCLUDE(A); send Q(G, A*B): nothing changes until that query is seen.
        return;
      case IS_EX:
      case TO_EX: {
        // INCLUDE(A) → EXCLUDE(A*B, B−A); (B−A)=0; delete (A−B); group timer=GMI.
        const next = new Map<string, number>();
        for (const s of b) next.set(s, sources.get(s) ?? BLOCKED);
        g.sources = next;
        g.mode = 'EXCLUDE';
        g.groupTimer = until;
        return;
      }
    }
    return;
  }
  switch (type) {
    case IS_IN:
    case ALLOW:
    case TO_IN:
      // EXCLUDE(X,Y) → EXCLUDE(X+A, Y−A); (A)=GMI. (TO_IN also sends Q(G, X−A) and Q(G).)
      for (const s of b) sources.set(s, until);
      return;
    case BLOCK:
      // EXCLUDE(X,Y) → EXCLUDE(X+(A−Y), Y); (A−X−Y)=group timer.
      for (const s of b) {
        const t = sources.get(s);
        if (t === undefined || (t !== BLOCKED && t <= now)) sources.set(s, g.groupTimer);
      }
      return;
    case IS_EX:
    case TO_EX: {
      // IS_EX: EXCLUDE(A−Y, Y*A); (A−X−Y)=GMI; delete (X−A), (Y−A); group timer=GMI.
      // TO_EX: the same, but (A−X−Y)=group timer (and Q(G, A−Y) is sent).
      // (Map.clear() allocates a new table even for an empty map: not on every v1/v2 report.)
      if (b.length === 0) {
        if (sources.size > 0) sources.clear();
      } else {
        const fresh = type === IS_EX ? until : g.groupTimer;
        const next = new Map<string, number>();
        for (const s of b) {
          const t = sources.get(s);
          if (t === BLOCKED) next.set(s, BLOCKED);
          else if (t !== undefined && t > now) next.set(s, t);
          else next.set(s, fresh);
        }
        g.sources = next;
      }
      g.groupTimer = until;
      return;
    }
  }
}

/**
 * What the querier's queries do (RFC 3376 §6.6.1, §6.6.3), for queries whose S flag is clear:
 * Q(G) lowers the group timer to LMQT, Q(G, A) the timers of the sources in A (only where that
 * lowers them).
 */
export function lowerForQuery(
  g: RouterGroup,
  sources: readonly string[],
  now: number,
  lmqt: number,
): void {
  const at = now + lmqt;
  if (sources.length === 0) {
    if (g.mode === 'EXCLUDE' && g.groupTimer > at) g.groupTimer = at;
    return;
  }
  for (const s of sources) {
    const t = g.sources.get(s);
    if (t !== undefined && t > at) g.sources.set(s, at);
  }
}

/**
 * Runs the group's timers to `now` (RFC 3376 §6.3, §6.5): in INCLUDE mode expired sources
 * are deleted; in EXCLUDE mode they move to Y, and when the group timer expires the group
 * switches to INCLUDE with the sources still running (Y deleted). Returns false when the
 * group has no state left (the record is deleted).
 */
export function runTimers(g: RouterGroup, now: number): boolean {
  if (g.mode === 'EXCLUDE' && g.groupTimer <= now) {
    for (const [s, t] of g.sources) if (t <= now) g.sources.delete(s);
    g.mode = 'INCLUDE';
  }
  for (const [s, t] of g.sources) {
    if (t === BLOCKED || t > now) continue;
    if (g.mode === 'INCLUDE') g.sources.delete(s);
    else g.sources.set(s, BLOCKED);
  }
  return g.mode === 'EXCLUDE' || g.sources.size > 0;
}

/** The next instant something expires, for the replay's scheduler. */
export function nextTimer(g: RouterGroup, now: number): number {
  let next = g.mode === 'EXCLUDE' && g.groupTimer > now ? g.groupTimer : Infinity;
  for (const t of g.sources.values()) if (t > now && t < next) next = t;
  return next;
}

/** Whether some timer of the group has run out by `at` (blocked sources have none running). */
export function hasDue(g: RouterGroup, at: number): boolean {
  if (g.mode === 'EXCLUDE' && g.groupTimer <= at) return true;
  for (const t of g.sources.values()) if (t !== BLOCKED && t <= at) return true;
  return false;
}
