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
 * The formats of the summary's time column, as tshark's `-t`: r relative to the first frame
 * (the default), a / ad / adoy local time of day, date and time, year and day of year; u / ud /
 * udoy the same in UTC; e seconds since the epoch; d delta to the previous frame read, dd to
 * the previous frame shown.
 */
export const TIME_FORMATS = ['r', 'a', 'ad', 'adoy', 'd', 'dd', 'e', 'u', 'ud', 'udoy'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

/**
 * Time relative to the first frame, exact at the capture's precision (no floating point on the
 * absolute times, which would lose nanoseconds); and the summary's other time formats, which
 * need the frames before.
 */
export class RelativeClock {
  private first: Stamp | undefined;
  /** The frame read before the current one, and the one shown last (for `-t d` and `dd`). */
  private previous: Stamp | undefined;
  private previousShown: Stamp | undefined;

  /** The first frame's timestamp, once a frame has been seen. */
  get origin(): Stamp | undefined {
    return this.first;
  }

  /** Every frame read passes here, printed or not: times count from the capture's first frame. */
  see(frame: Stamp): void {
    this.first ??= { tsSec: frame.tsSec, tsFrac: frame.tsFrac, tsDigits: frame.tsDigits };
  }

  /** A frame was read (shown or not): `-t d` counts from it. */
  read(frame: Stamp): void {
    const previous = (this.previous ??= { tsSec: 0, tsFrac: 0, tsDigits: 0 });
    previous.tsSec = frame.tsSec;
    previous.tsFrac = frame.tsFrac;
    previous.tsDigits = frame.tsDigits;
  }

  /**
   * The summary's time column in `format`, right-aligned to `width`; the frame counts as shown
   * (`-t dd`). Call before read() of the same frame.
   */
  writeTime(out: ByteBuffer, frame: Stamp, format: TimeFormat, width: number): void {
    const shownBefore = this.previousShown;
    const shown = (this.previousShown ??= { tsSec: 0, tsFrac: 0, tsDigits: 0 });
    const since = format === 'd' ? this.previous : format === 'dd' ? shownBefore : undefined;
    if (format === 'r' || format === 'd' || format === 'dd') {
      this.writeSince(out, frame, format === 'r' ? undefined : (since ?? frame), width);
    } else if (format === 'e') {
      const text = epochText(frame);
      out.spaces(width - text.length);
      out.ascii(text);
    } else {
      out.ascii(absoluteText(frame, format));
    }
    shown.tsSec = frame.tsSec;
    shown.tsFrac = frame.tsFrac;
    shown.tsDigits = frame.tsDigits;
  }

  /** Time since `origin` (or the first frame), right-aligned to `width`. */
  private writeSince(
    out: ByteBuffer,
    frame: Stamp,
    origin: Stamp | undefined,
    width: number,
  ): void {
    const { negative, whole, fraction, digits } = this.measure(frame, origin);
    const length = (negative ? 1 : 0) + decimalDigits(whole) + (digits > 0 ? digits + 1 : 0);
    out.spaces(width - length);
    if (negative) out.byte(45);
    out.uint(whole);
    if (digits > 0) {
      out.byte(46);
      out.zeroPadded(fraction, digits);
    }
  }

  /** The time of a frame since `origin` (the first frame by default) as sign, whole seconds and fraction (reused object). */
  private measure(
    frame: Stamp,
    origin?: Stamp,
  ): {
    negative: boolean;
    whole: number;
    fraction: number;
    digits: number;
  } {
    this.see(frame);
    const first = origin ?? (this.first as Stamp);
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
    this.writeSince(out, frame, undefined, width);
  }
}

function epochText(frame: Stamp): string {
  const fraction =
    frame.tsDigits > 0 ? '.' + String(frame.tsFrac).padStart(frame.tsDigits, '0') : '';
  return `${frame.tsSec}${fraction}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `-t a/ad/adoy` (local time, as tshark) and `u/ud/udoy` (UTC), at the capture's precision. */
function absoluteText(frame: Stamp, format: TimeFormat): string {
  const date = new Date(frame.tsSec * 1000);
  if (Number.isNaN(date.getTime())) return epochText(frame);
  const utc = format.startsWith('u');
  const year = utc ? date.getUTCFullYear() : date.getFullYear();
  const month = (utc ? date.getUTCMonth() : date.getMonth()) + 1;
  const day = utc ? date.getUTCDate() : date.getDate();
  const time = [
    utc ? date.getUTCHours() : date.getHours(),
    utc ? date.getUTCMinutes() : date.getMinutes(),
    utc ? date.getUTCSeconds() : date.getSeconds(),
  ]
    .map(pad2)
    .join(':');
  const fraction =
    frame.tsDigits > 0 ? '.' + String(frame.tsFrac).padStart(frame.tsDigits, '0') : '';
  if (format === 'a' || format === 'u') return `${time}${fraction}`;
  if (format === 'ad' || format === 'ud')
    return `${year}-${pad2(month)}-${pad2(day)} ${time}${fraction}`;
  const startOfYear = utc ? Date.UTC(year, 0, 1) : new Date(year, 0, 1).getTime();
  const startOfDay = utc
    ? Date.UTC(year, month - 1, day)
    : new Date(year, month - 1, day).getTime();
  const dayOfYear = Math.round((startOfDay - startOfYear) / 86_400_000) + 1;
  return `${year}/${String(dayOfYear).padStart(3, '0')} ${time}${fraction}`;
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
