import type { Frame } from '../capture/frame.js';
import type { ByteBuffer } from './bytes.js';

const POWERS: readonly number[] = Array.from({ length: 19 }, (_, i) => 10 ** i);

function decimalDigits(value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return digits;
}

type Stamp = Pick<Frame, 'tsSec' | 'tsFrac' | 'tsDigits'>;

/**
 * Time relative to the first frame, exact at the capture's precision (no floating point on the
 * absolute times, which would lose nanoseconds).
 */
export class RelativeClock {
  private first: Stamp | undefined;

  /** The first frame's timestamp, once a frame has been seen. */
  get origin(): Stamp | undefined {
    return this.first;
  }

  /** Every frame read passes here, printed or not: times count from the capture's first frame. */
  see(frame: Stamp): void {
    this.first ??= { tsSec: frame.tsSec, tsFrac: frame.tsFrac, tsDigits: frame.tsDigits };
  }

  /** The relative time of a frame as sign, whole seconds and fraction (reused object). */
  private measure(frame: Stamp): {
    negative: boolean;
    whole: number;
    fraction: number;
    digits: number;
  } {
    this.see(frame);
    const first = this.first as Stamp;
    const digits = Math.max(first.tsDigits, frame.tsDigits);
    const unit = POWERS[digits];
    const diff =
      (frame.tsSec - first.tsSec) * unit +
      frame.tsFrac * POWERS[digits - frame.tsDigits] -
      first.tsFrac * POWERS[digits - first.tsDigits];
    const abs = Math.abs(diff);
    const whole = Math.floor(abs / unit);
    const parts = this.parts;
    parts.negative = diff < 0;
    parts.whole = whole;
    parts.fraction = abs - whole * unit;
    parts.digits = digits;
    return parts;
  }

  private readonly parts = { negative: false, whole: 0, fraction: 0, digits: 0 };

  relative(frame: Stamp): string {
    const { negative, whole, fraction, digits } = this.measure(frame);
    const sign = negative ? '-' : '';
    if (digits === 0) return sign + whole;
    return `${sign}${whole}.${String(fraction).padStart(digits, '0')}`;
  }

  /** The same, written into a byte buffer right-aligned to `width` (the summary's hot path). */
  writeRelative(out: ByteBuffer, frame: Stamp, width: number): void {
    const { negative, whole, fraction, digits } = this.measure(frame);
    const length = (negative ? 1 : 0) + decimalDigits(whole) + (digits > 0 ? digits + 1 : 0);
    out.spaces(width - length);
    if (negative) out.byte(45);
    out.uint(whole);
    if (digits > 0) {
      out.byte(46);
      out.zeroPadded(fraction, digits);
    }
  }
}

/** isoTime(), written into a byte buffer (the `-V` hot path). */
export function writeIsoTime(out: ByteBuffer, frame: Stamp): void {
  out.ascii(isoSecond(frame.tsSec));
  writeFraction(out, frame.tsFrac, frame.tsDigits);
  out.byte(90);
}

/**
 * `.` and the fraction of a second to `digits` digits, as epochString writes it: a fraction
 * that does not fit (a damaged record's microseconds of a million or more) keeps all its digits.
 */
export function writeFraction(out: ByteBuffer, fraction: number, digits: number): void {
  if (digits === 0) return;
  out.byte(46);
  if (fraction >= 0 && fraction < POWERS[digits]) out.zeroPadded(fraction, digits);
  else out.ascii(String(fraction).padStart(digits, '0'));
}

/** ISO 8601 UTC with the capture's fraction digits (Wireshark's Arrival Time, in UTC). */
export function isoTime(frame: Stamp): string {
  const base = isoSecond(frame.tsSec);
  const frac = frame.tsDigits > 0 ? '.' + String(frame.tsFrac).padStart(frame.tsDigits, '0') : '';
  return `${base}${frac}Z`;
}

/** Frames come many to a second: the date part is made once per second, not per frame. */
let lastSecond = Number.NaN;
let lastSecondText = '';

function isoSecond(tsSec: number): string {
  if (tsSec !== lastSecond) {
    const date = new Date(tsSec * 1000);
    lastSecondText = Number.isNaN(date.getTime()) ? `@${tsSec}` : date.toISOString().slice(0, 19);
    lastSecond = tsSec;
  }
  return lastSecondText;
}
