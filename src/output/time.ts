import type { Frame } from '../capture/frame.js';

type Stamp = Pick<Frame, 'tsSec' | 'tsFrac' | 'tsDigits'>;

/**
 * Time relative to the first frame, exact at the capture's precision (no floating point on the
 * absolute times, which would lose nanoseconds).
 */
export class RelativeClock {
  private first: Stamp | undefined;

  /** Every frame read passes here, printed or not: times count from the capture's first frame. */
  see(frame: Stamp): void {
    this.first ??= { tsSec: frame.tsSec, tsFrac: frame.tsFrac, tsDigits: frame.tsDigits };
  }

  relative(frame: Stamp): string {
    this.see(frame);
    const first = this.first as Stamp;
    const digits = Math.max(first.tsDigits, frame.tsDigits);
    const unit = 10 ** digits;
    const diff =
      (frame.tsSec - first.tsSec) * unit +
      frame.tsFrac * 10 ** (digits - frame.tsDigits) -
      first.tsFrac * 10 ** (digits - first.tsDigits);
    const sign = diff < 0 ? '-' : '';
    const abs = Math.abs(diff);
    const whole = Math.floor(abs / unit);
    if (digits === 0) return sign + whole;
    return `${sign}${whole}.${String(abs - whole * unit).padStart(digits, '0')}`;
  }
}

/** ISO 8601 UTC with the capture's fraction digits (Wireshark's Arrival Time, in UTC). */
export function isoTime(frame: Stamp): string {
  const date = new Date(frame.tsSec * 1000);
  const base = Number.isNaN(date.getTime()) ? `@${frame.tsSec}` : date.toISOString().slice(0, 19);
  const frac = frame.tsDigits > 0 ? '.' + String(frame.tsFrac).padStart(frame.tsDigits, '0') : '';
  return `${base}${frac}Z`;
}
