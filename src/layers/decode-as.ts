import { allProtocols, decodeAs, TABLE_NAMES, type TableName } from './registry.js';

/** Tables `--decode-as` may add to (the link table is the capture's, not the user's). */
const USER_TABLES: readonly TableName[] = TABLE_NAMES.filter((t) => t !== 'link');
/** A range wider than this is a typo, not a wish. */
const MAX_RANGE = 65536;

/**
 * Applies tshark's `-d` requests (`udp.port==8472,vxlan`; a key may be a range, `4000-4010`,
 * and hex, `0x88b5`): each adds table entries for a protocol the registry knows. Returns what
 * is wrong with the first bad request, in one line, or undefined when all were applied. Every
 * thread that decodes applies the same requests.
 */
export function applyDecodeAs(requests: readonly string[] | undefined): string | undefined {
  for (const request of requests ?? []) {
    const match = /^([a-z0-9_.]+)==([0-9a-fx]+)(?:-([0-9a-fx]+))?,([a-z0-9_.]+)$/i.exec(
      request.trim(),
    );
    if (!match)
      return `--decode-as "${request}": expected TABLE==KEY,PROTOCOL, e.g. udp.port==8472,vxlan`;
    const [, table, first, last, protocol] = match;
    if (!USER_TABLES.includes(table as TableName)) {
      return `--decode-as "${request}": no table "${table}" (tables: ${USER_TABLES.join(', ')})`;
    }
    const from = Number(first);
    const to = last === undefined ? from : Number(last);
    if (
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      from < 0 ||
      to < from ||
      to - from >= MAX_RANGE
    ) {
      return `--decode-as "${request}": "${first}${last === undefined ? '' : `-${last}`}" is not a key or range of keys`;
    }
    if (!allProtocols().some((p) => p.name === protocol)) {
      const names = allProtocols()
        .map((p) => p.name)
        .sort()
        .join(', ');
      return `--decode-as "${request}": no protocol "${protocol}" (protocols: ${names})`;
    }
    for (let key = from; key <= to; key++) decodeAs(table as TableName, key, protocol);
  }
  return undefined;
}
