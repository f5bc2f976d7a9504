import { startLayer } from '../../field-out.js';
import { field, names } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { handOffTo, type Dissection, type Protocol } from '../registry.js';

export const pppoeFields = {
  version: field({
    abbrev: 'pppoe.version',
    name: 'Version',
    kind: 'uint',
    mask: 0xf0,
    bitWidth: 8,
  }),
  type: field({ abbrev: 'pppoe.type', name: 'Type', kind: 'uint', mask: 0x0f, bitWidth: 8 }),
  code: field({
    abbrev: 'pppoe.code',
    name: 'Code',
    kind: 'uint',
    hexDigits: 2,
    names: names({ 0x00: 'Session Data' }),
  }),
  sessionId: field({ abbrev: 'pppoe.session_id', name: 'Session ID', kind: 'uint', hexDigits: 4 }),
  payloadLength: field({ abbrev: 'pppoe.payload_length', name: 'Payload Length', kind: 'uint' }),
};

const PPPOE_HEADER = 6;

/** A PPPoE session header (RFC 2516 §4): its payload length bounds the PPP frame. */
function decodePppoe(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'pppoes', start, Math.min(PPPOE_HEADER, end - start));
  if (end - start < PPPOE_HEADER) {
    const message = `PPPoE header needs 6 bytes, ${end - start} captured`;
    report(d, 'pppoes.truncated', start, message, layer);
    return;
  }
  const versionType = data[start];
  const length = u16(data, start + 4);
  const out = d.out;
  if (out) {
    out.add(pppoeFields.version, versionType >>> 4, start, 1, versionType);
    out.add(pppoeFields.type, versionType & 0x0f, start, 1, versionType);
    out.add(pppoeFields.code, data[start + 1], start + 1, 1);
    out.add(pppoeFields.sessionId, u16(data, start + 2), start + 2, 2);
  }
  const lengthNode = out?.add(pppoeFields.payloadLength, length, start + 4, 2);
  const payload = start + PPPOE_HEADER;
  if (payload + length > wireEnd) {
    report(
      d,
      'pppoes.length.bad',
      start + 4,
      `PPPoE payload length ${length} runs past the ${wireEnd - payload} bytes that follow`,
      lengthNode ?? layer,
    );
  }
  handOffTo(
    d,
    'ppp',
    payload,
    Math.min(end, payload + length),
    Math.min(wireEnd, payload + length),
  );
}

export const pppoes: Protocol = {
  name: 'pppoes',
  longName: 'PPP-over-Ethernet Session',
  fields: Object.values(pppoeFields),
  problems: [
    {
      id: 'pppoes.truncated',
      severity: 'warning',
      layer: 'pppoes',
      description: 'PPPoE session header cut short',
    },
    {
      id: 'pppoes.length.bad',
      severity: 'error',
      layer: 'pppoes',
      description: 'PPPoE payload length runs past the frame',
      reference: 'RFC 2516 §4',
    },
  ],
  registrations: [{ table: 'ethertype', key: 0x8864 }],
  decode: decodePppoe,
  title: () => 'PPP-over-Ethernet Session',
  linkKey: (data, layer) =>
    layer.offset + 4 <= data.length ? `pppoe${u16(data, layer.offset + 2)}` : undefined,
};
