import { onesComplementSum } from '../checksum.js';
import type { ProblemTarget } from '../fields.js';
import { field, hex, type FieldDef } from '../fields.js';
import { report } from '../problems.js';
import type { Dissection } from './registry.js';
import {
  CHECKSUM_STATUS_TEXT,
  CHECKSUM_STATUS_CODES,
  CHECKSUM_STATUSES,
  type ChecksumStatus,
} from './views.js';

/** The fields every Internet-checksummed header shows: stored value, status, correct value. */
export interface ChecksumFields {
  readonly checksum: FieldDef;
  readonly status: FieldDef;
  readonly calculated: FieldDef;
}

/** Declares `<prefix>.checksum`, `<prefix>.checksum.status` and `<prefix>.checksum_calculated`. */
export function checksumFields(prefix: string, statusName = 'Checksum Status'): ChecksumFields {
  return {
    checksum: field({ abbrev: `${prefix}.checksum`, name: 'Checksum', kind: 'uint', hexDigits: 4 }),
    status: field({
      abbrev: `${prefix}.checksum.status`,
      name: statusName,
      kind: 'string',
      values: CHECKSUM_STATUSES,
      codes: CHECKSUM_STATUS_CODES,
      generated: true,
      show: (n) => CHECKSUM_STATUS_TEXT[n.value as ChecksumStatus],
    }),
    calculated: field({
      abbrev: `${prefix}.checksum_calculated`,
      name: 'Calculated Checksum',
      kind: 'uint',
      hexDigits: 4,
      generated: true,
    }),
  };
}

/** The shown value of a checksum field: stored value and verdict, as Wireshark words it. */
export function checksumText(stored: number, status: ChecksumStatus, expected: number): string {
  if (status === 'bad') return `${hex(stored, 4)} incorrect, should be ${hex(expected, 4)}`;
  if (status === 'not_present') return `${hex(stored, 4)} [zero-value ignored]`;
  return `${hex(stored, 4)} [${status === 'good' ? 'correct' : 'unverified'}]`;
}

/**
 * Checks and shows an Internet checksum (RFC 1071) stored at `at` over `[from, to)` plus
 * `extra` (a pseudo-header's sum, 0 for none): the three fields, and `problemId` when it is
 * wrong (`why` ends its message). `verify` false leaves it unverified (a message cut short).
 * Returns the status.
 */
export function putChecksum(
  d: Dissection,
  fields: ChecksumFields,
  problemId: string,
  what: string,
  at: number,
  from: number,
  to: number,
  verify: boolean,
  extra = 0,
  why = '',
): ChecksumStatus {
  const data = d.frame.data;
  const stored = (data[at] << 8) | data[at + 1];
  let status: ChecksumStatus = 'unverified';
  let expected = 0;
  if (verify) {
    let sum = onesComplementSum(data, from, to) + extra;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    status = sum === 0xffff ? 'good' : 'bad';
    if (status === 'bad') {
      let rest = onesComplementSum(data, from, to) + extra;
      rest += ~stored & 0xffff;
      while (rest > 0xffff) rest = (rest & 0xffff) + (rest >>> 16);
      expected = ~rest & 0xffff;
    }
  }
  const out = d.out;
  const node: ProblemTarget | undefined = out?.add(
    fields.checksum,
    stored,
    at,
    2,
    undefined,
    out.texts ? checksumText(stored, status, expected) : undefined,
  );
  if (status === 'bad') {
    report(
      d,
      problemId,
      at,
      `${what} checksum ${hex(stored, 4)} is wrong, should be ${hex(expected, 4)}${why}`,
      node ?? d.layers[d.layers.length - 1],
    );
  }
  if (out) {
    out.add(fields.status, status, at, 0);
    if (status === 'bad') out.add(fields.calculated, expected, at, 0);
  }
  return status;
}
