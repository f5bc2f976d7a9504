import type { Frame } from '../src/capture/frame.js';
import { dissect, type Dissection } from '../src/dissect.js';
import { frameJson } from '../src/output/json.js';
import { RelativeClock } from '../src/output/time.js';

/** A frame as a capture reader would hand it over. */
export function frameOf(data: Buffer, options: Partial<Frame> = {}): Frame {
  return {
    number: 1,
    data,
    origLen: data.length,
    tsSec: 1700000000,
    tsFrac: 0,
    tsDigits: 6,
    interfaceId: 0,
    linkType: 1,
    snapLen: 65535,
    fileOffset: 24,
    ...options,
  };
}

export function dissectBytes(data: Buffer, options: Partial<Frame> = {}): Dissection {
  return dissect(frameOf(data, options));
}

/** The NDJSON object of a frame, parsed: the easiest way to assert typed field values. */
export function jsonOf(d: Dissection): Record<string, unknown> & {
  igmp?: Record<string, unknown>;
  ip?: Record<string, unknown>;
  eth?: Record<string, unknown>;
  problems: { id: string; severity: string; offset: number; message: string; layer: string }[];
} {
  return JSON.parse(frameJson(d, new RelativeClock()));
}

export function problemIds(d: Dissection): string[] {
  return d.problems.map((p) => p.id);
}
