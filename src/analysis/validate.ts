import type { Dissection } from '../dissect.js';
import type { IgmpMessage } from '../layers/views.js';
import type { Severity } from '../fields.js';
import { IGMP_QUERY } from '../layers/igmp/types.js';
import { carrierPath } from '../layers/registry.js';
import {
  checkEncapsulation,
  checkMacMapping,
  checkProtocol,
  readIntervalCode,
  type CodeReading,
} from './checks.js';
import { PROBLEM_ALIASES, RULES } from './rules.js';

export interface Finding {
  frame: number;
  rule: string;
  severity: Severity;
  layer: string;
  /** Byte offset from the start of the frame. */
  offset: number;
  message: string;
}

/** See CaptureValidator.part(). */
export interface ValidatorPart {
  frames: number;
  igmpFrames: number;
  unfollowed: [string, number][];
  counts: Record<Severity, number>;
  tallies: [string, RuleTally][];
  newerQuerierSeen: boolean;
  pendingV1Queries: { frame: number; offset: number }[];
  queriers: [string, QuerierIntervals][];
  codeCandidates: CodeCandidate[];
}

/**
 * The general queries of one querier (its link and address), for igmp.query.interval_code:
 * the first and last (epoch seconds) and the longest interval between two consecutive ones.
 */
export interface QuerierIntervals {
  first: number;
  last: number;
  longest: number;
}

/** A v3 general query with a QQIC or Max Resp Code of 128 or more, judged at the end. */
export interface CodeCandidate {
  frame: number;
  querier: string;
  field: CodeReading['field'];
  code: number;
  offset: number;
}

/** A rule's severity for this run, or 'off'. */
export type RuleSetting = Severity | 'off';

export interface RuleTally {
  count: number;
  /** The first frames it fired on (at most FIRST_FRAMES). */
  frames: number[];
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];
const FIRST_FRAMES = 10;
/** Distinct keys of unfollowed traffic kept (bounded: memory must not grow with the capture). */
const MAX_UNFOLLOWED_KEYS = 64;
/** v1 queries held until the end of a file (bounded: memory must not grow with the capture). */
const MAX_PENDING_V1_QUERIES = 10_000;
/** Queries with codes of 128 or more held until the end of a file (bounded likewise). */
const MAX_CODE_CANDIDATES = 10_000;
/** Queriers whose intervals are followed (bounded likewise; past it, new ones are not followed). */
const MAX_QUERIERS = 4_096;

/**
 * Checks the frames of one capture: the decoders' problems and every rule of rules.ts, with
 * the run's severities. Findings go to `onFinding` as they are found; the tallies feed the
 * summaries.
 */
export class CaptureValidator {
  readonly counts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  readonly tallies = new Map<string, RuleTally>();
  frames = 0;
  /** Frames whose innermost IPv4 carries IGMP: what the rules could check. */
  igmpFrames = 0;
  /**
   * Frames igmpscope met and could not follow (a key no protocol claims: an unknown ethertype,
   * UDP port, GRE protocol), by that key: a tunnel it does not know could hide IGMP there.
   */
  readonly unfollowed = new Map<string, number>();
  private newerQuerierSeen = false;
  /** The frame being checked, for the one emit function the checks share (no closure per frame). */
  private current = 0;
  private readonly emitCurrent = (rule: string, offset: number, message: string): void =>
    this.emit(this.current, rule, offset, message);
  private readonly pendingV1Queries: ValidatorPart['pendingV1Queries'] = [];
  private readonly queriers = new Map<string, QuerierIntervals>();
  private readonly codeCandidates: CodeCandidate[] = [];

  constructor(
    private readonly settings: ReadonlyMap<string, RuleSetting>,
    private readonly onFinding: (finding: Finding) => void,
  ) {}

  /** A frame dissected with `detail: false` is enough: the checks read the typed views. */
  frame(d: Dissection): void {
    this.frames++;
    const frameNumber = d.frame.number;
    this.current = frameNumber;
    const emit = this.emitCurrent;
    const ip = d.ip;
    const msg = d.igmp;
    // Frames that carry no IGMP are not findings of an IGMP validation (a UDP checksum left to
    // the NIC, a runt ARP frame). Those igmpscope could not follow are counted, by the key no
    // protocol claims or by the problem that stopped the walk (a tunnel header cut short).
    if (!ip || !d.isIgmp) {
      const stop = d.unfollowed ?? d.problems[0]?.id;
      if (stop !== undefined) this.countUnfollowed(stop, 1);
      return;
    }
    this.igmpFrames++;
    for (const p of d.problems) emit(PROBLEM_ALIASES.get(p.id) ?? p.id, p.offset, p.message);
    if (msg) {
      // A first fragment is the decoder's ip.fragment problem, aliased to encap.fragment above.
      checkEncapsulation(ip, msg, emit);
      checkProtocol(ip, msg, emit);
      this.noteQuerier(frameNumber, msg);
      if (msg.type === IGMP_QUERY && (msg.queryKind === 'general' || msg.version === 1))
        this.noteGeneralQuery(d, ip.src, msg);
    } else if (ip.fragment === 'later') {
      emit(
        'encap.fragment',
        ip.layer.offset + 6,
        `IGMP in a non-first IP fragment (offset ${ip.fragmentOffsetBytes})`,
      );
    }
    checkMacMapping(d, ip, emit);
  }

  /** Counts frames not followed by key; past MAX_UNFOLLOWED_KEYS, under one key for the rest. */
  private countUnfollowed(key: string, count: number): void {
    const counted = this.unfollowed.has(key) || this.unfollowed.size < MAX_UNFOLLOWED_KEYS;
    const at = counted ? key : 'other';
    this.unfollowed.set(at, (this.unfollowed.get(at) ?? 0) + count);
  }

  /** RFC 3376 §7.1: a v1 query among v2/v3 queriers is worth a note, once we know there are some. */
  private noteQuerier(frame: number, msg: NonNullable<Dissection['igmp']>): void {
    if (msg.type !== IGMP_QUERY || msg.version === undefined) return;
    if (msg.version >= 2) this.newerQuerierSeen = true;
    else if (this.pendingV1Queries.length < MAX_PENDING_V1_QUERIES)
      this.pendingV1Queries.push({ frame, offset: msg.start + 1 });
  }

  /**
   * A general query: the interval since its querier's last one, and its codes of 128 or more
   * for igmp.query.interval_code, which the whole capture's intervals judge in finish().
   */
  private noteGeneralQuery(d: Dissection, src: string, msg: IgmpMessage): void {
    const f = d.frame;
    const time = f.tsSec + f.tsFrac / 10 ** f.tsDigits;
    const querier = `${f.interfaceId}/${carrierPath(d)}/${src}`;
    const known = this.queriers.get(querier);
    if (known) {
      known.longest = Math.max(known.longest, time - known.last);
      known.last = time;
    } else if (this.queriers.size < MAX_QUERIERS) {
      this.queriers.set(querier, { first: time, last: time, longest: 0 });
    } else return;
    if (msg.version !== 3) return;
    const mrc = f.data[msg.start + 1];
    if (msg.qqic !== undefined && msg.qqic >= 128)
      this.candidate({
        frame: f.number,
        querier,
        field: 'qqic',
        code: msg.qqic,
        offset: msg.start + 9,
      });
    if (mrc >= 128)
      this.candidate({
        frame: f.number,
        querier,
        field: 'max_resp_code',
        code: mrc,
        offset: msg.start + 1,
      });
  }

  private candidate(c: CodeCandidate): void {
    if (this.codeCandidates.length < MAX_CODE_CANDIDATES) this.codeCandidates.push(c);
  }

  /**
   * What this validator found in its part of a capture (a segment checked in a worker thread),
   * before finish(): for the validator of the whole capture to absorb, in capture order.
   */
  part(): ValidatorPart {
    return {
      frames: this.frames,
      igmpFrames: this.igmpFrames,
      unfollowed: [...this.unfollowed],
      counts: { ...this.counts },
      tallies: [...this.tallies],
      newerQuerierSeen: this.newerQuerierSeen,
      pendingV1Queries: [...this.pendingV1Queries],
      queriers: [...this.queriers],
      codeCandidates: [...this.codeCandidates],
    };
  }

  /**
   * Adds the next part of the capture, as if its frames had been checked here: tallies keep
   * their first frames in capture order, and v1 queries wait for finish() as they would.
   */
  absorb(part: ValidatorPart): void {
    this.frames += part.frames;
    this.igmpFrames += part.igmpFrames;
    for (const [key, count] of part.unfollowed) this.countUnfollowed(key, count);
    for (const s of SEVERITIES) this.counts[s] += part.counts[s];
    for (const [rule, theirs] of part.tallies) {
      let tally = this.tallies.get(rule);
      if (!tally) {
        tally = { count: 0, frames: [] };
        this.tallies.set(rule, tally);
      }
      tally.count += theirs.count;
      for (const frame of theirs.frames) {
        if (tally.frames.length < FIRST_FRAMES && tally.frames[tally.frames.length - 1] !== frame)
          tally.frames.push(frame);
      }
    }
    if (part.newerQuerierSeen) this.newerQuerierSeen = true;
    for (const q of part.pendingV1Queries) {
      if (this.pendingV1Queries.length < MAX_PENDING_V1_QUERIES) this.pendingV1Queries.push(q);
    }
    // The interval that spans the two parts counts as one of the querier's intervals.
    for (const [querier, theirs] of part.queriers) {
      const ours = this.queriers.get(querier);
      if (ours) {
        ours.longest = Math.max(ours.longest, theirs.longest, theirs.first - ours.last);
        ours.last = theirs.last;
      } else if (this.queriers.size < MAX_QUERIERS) this.queriers.set(querier, { ...theirs });
    }
    for (const c of part.codeCandidates) this.candidate(c);
  }

  /** Ends the capture: emits what only the whole capture could tell. */
  finish(): void {
    if (this.newerQuerierSeen) {
      for (const q of this.pendingV1Queries) {
        this.emit(
          q.frame,
          'igmp.query.v1_among_newer',
          q.offset,
          'IGMPv1 query (Max Resp Time 0) while other queriers speak IGMPv2/v3',
        );
      }
    }
    this.pendingV1Queries.length = 0;
    for (const c of this.codeCandidates) {
      const intervals = this.queriers.get(c.querier);
      const observed = intervals && intervals.longest > 0 ? intervals.longest : undefined;
      const reading = readIntervalCode(c.field, c.code, observed);
      if (!reading?.implausible) continue;
      const qqic = c.field === 'qqic';
      const apart = `this querier's general queries come at most ${roundTo(reading.observed ?? 0, 3)} s apart`;
      const plain = `the plain number, ${reading.plainSeconds} s,`;
      const message = qqic
        ? `QQIC ${c.code} reads as ${reading.rfcSeconds} s (RFC 3376 §4.1.7), but ${apart}: ${plain} ${reading.reading === 'plain' ? 'fits them (the Linux bridge writes its query interval so)' : 'does not fit them either'}`
        : `Max Resp Code ${c.code} reads as ${reading.rfcSeconds} s (RFC 3376 §4.1.1), not shorter than the query interval as it must be (§8.3): ${apart}; ${plain} is (the Linux bridge writes its response interval so)`;
      this.emit(c.frame, 'igmp.query.interval_code', c.offset, message);
    }
    this.codeCandidates.length = 0;
  }

  private emit(frame: number, rule: string, offset: number, message: string): void {
    const def = RULES.get(rule);
    if (!def) throw new Error(`unknown rule ${rule}`);
    const setting = this.settings.get(rule) ?? def.severity;
    if (setting === 'off') return;
    this.counts[setting]++;
    let tally = this.tallies.get(rule);
    if (!tally) {
      tally = { count: 0, frames: [] };
      this.tallies.set(rule, tally);
    }
    tally.count++;
    if (tally.frames.length < FIRST_FRAMES && tally.frames[tally.frames.length - 1] !== frame)
      tally.frames.push(frame);
    this.onFinding({ frame, rule, severity: setting, layer: def.layer, offset, message });
  }
}

function roundTo(n: number, digits: number): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** Whether findings of `severity` make the run fail under `--fail-on`. */
export function fails(severity: Severity, failOn: Severity | 'never'): boolean {
  if (failOn === 'never') return false;
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(failOn);
}

export function verdict(
  counts: Record<Severity, number>,
  failOn: Severity | 'never',
): 'pass' | 'fail' {
  return SEVERITIES.some((s) => counts[s] > 0 && fails(s, failOn)) ? 'fail' : 'pass';
}
