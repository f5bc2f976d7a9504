import { startLayer } from '../../field-out.js';
import { field, hex, names } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { handOff, TABLES, type Dissection, type Protocol } from '../registry.js';
import { ETHERTYPE_NAMES } from './ethertypes.js';

const SAP_NAMES = names({
  0x00: 'NULL LSAP',
  0x06: 'TCP/IP',
  0x42: 'Spanning Tree BPDU',
  0xaa: 'SNAP',
  0xe0: 'NetWare',
  0xf0: 'NetBIOS',
  0xfe: 'ISO Network Layer',
});

const SAP_SNAP = 0xaa;
const SAP_IP = 0x06;
const CONTROL_UI = 0x03;

export const llcFields = {
  dsap: field({ abbrev: 'llc.dsap', name: 'DSAP', kind: 'uint', hexDigits: 2, names: SAP_NAMES }),
  dsapSap: field({
    abbrev: 'llc.dsap.sap',
    name: 'SAP',
    kind: 'uint',
    mask: 0xfe,
    bitWidth: 8,
    show: (n) => SAP_NAMES.get((n.value as number) << 1) ?? String(n.value),
  }),
  dsapIg: field({
    abbrev: 'llc.dsap.ig',
    name: 'IG Bit',
    kind: 'bool',
    mask: 0x01,
    bitWidth: 8,
    trueFalse: ['Group', 'Individual'],
  }),
  ssap: field({ abbrev: 'llc.ssap', name: 'SSAP', kind: 'uint', hexDigits: 2, names: SAP_NAMES }),
  ssapSap: field({
    abbrev: 'llc.ssap.sap',
    name: 'SAP',
    kind: 'uint',
    mask: 0xfe,
    bitWidth: 8,
    show: (n) => SAP_NAMES.get((n.value as number) << 1) ?? String(n.value),
  }),
  ssapCr: field({
    abbrev: 'llc.ssap.cr',
    name: 'CR Bit',
    kind: 'bool',
    mask: 0x01,
    bitWidth: 8,
    trueFalse: ['Response', 'Command'],
  }),
  control: field({
    abbrev: 'llc.control',
    name: 'Control field',
    kind: 'uint',
    hexDigits: 4,
    show: (n) =>
      (n.value as number) === CONTROL_UI ? 'U, func=UI (0x03)' : hex(n.value as number, 2),
  }),
  controlCommand: field({
    abbrev: 'llc.control.u_modifier_cmd',
    name: 'Command',
    kind: 'uint',
    hexDigits: 2,
    mask: 0xec,
    bitWidth: 8,
    names: names({ 0: 'Unnumbered Information' }),
  }),
  controlFtype: field({
    abbrev: 'llc.control.ftype',
    name: 'Frame type',
    kind: 'uint',
    hexDigits: 1,
    mask: 0x03,
    bitWidth: 8,
    names: names({ 0: 'Information frame', 1: 'Supervisory frame', 3: 'Unnumbered frame' }),
  }),
  oui: field({
    abbrev: 'llc.oui',
    name: 'Organization Code',
    kind: 'uint',
    show: (n) => {
      const v = n.value as number;
      const text = [v >>> 16, (v >>> 8) & 0xff, v & 0xff]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join(':');
      return v === 0 ? `${text} (Encapsulated Ethernet)` : text;
    },
  }),
  type: field({
    abbrev: 'llc.type',
    name: 'Type',
    kind: 'uint',
    hexDigits: 4,
    names: ETHERTYPE_NAMES,
  }),
  pid: field({ abbrev: 'llc.pid', name: 'PID', kind: 'uint', hexDigits: 4 }),
};

const LLC_HEADER = 3;
const SNAP_HEADER = 5;

/**
 * IEEE 802.2 LLC (after an 802.3 length, or an 802.11 frame body), with its SNAP extension
 * (RFC 1042): OUI 00-00-00 carries an ethertype. SAP 0x06 carries IPv4 directly (RFC 948).
 */
function decodeLlc(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'llc', start, Math.min(LLC_HEADER, end - start));
  if (end - start < LLC_HEADER) {
    report(d, 'llc.truncated', start, `LLC header needs 3 bytes, ${end - start} captured`, layer);
    return;
  }
  const dsap = data[start];
  const ssap = data[start + 1];
  const control = data[start + 2];
  const out = d.out;
  if (out) {
    out.open(llcFields.dsap, dsap, start, 1);
    out.add(llcFields.dsapSap, dsap >>> 1, start, 1, dsap);
    out.add(llcFields.dsapIg, (dsap & 1) === 1, start, 1, dsap);
    out.close();
    out.open(llcFields.ssap, ssap, start + 1, 1);
    out.add(llcFields.ssapSap, ssap >>> 1, start + 1, 1, ssap);
    out.add(llcFields.ssapCr, (ssap & 1) === 1, start + 1, 1, ssap);
    out.close();
    out.open(llcFields.control, control, start + 2, 1);
    out.add(llcFields.controlCommand, (control & 0xec) >>> 2, start + 2, 1, control);
    out.add(llcFields.controlFtype, control & 0x03, start + 2, 1, control);
    out.close();
  }
  const payload = start + LLC_HEADER;
  if (dsap === SAP_IP && ssap === SAP_IP && control === CONTROL_UI) {
    handOff(d, TABLES['ip.version'], 4, payload, end, wireEnd);
    return;
  }
  if (dsap !== SAP_SNAP || ssap !== SAP_SNAP || control !== CONTROL_UI) return;
  if (end - payload < SNAP_HEADER) {
    const message = `SNAP header needs 5 bytes, ${end - payload} captured`;
    report(d, 'llc.truncated', payload, message, layer);
    return;
  }
  layer.length = LLC_HEADER + SNAP_HEADER;
  const oui = data.readUIntBE(payload, 3);
  const type = u16(data, payload + 3);
  out?.add(llcFields.oui, oui, payload, 3);
  // OUI 00-00-00 (RFC 1042) and 00-00-F8 (IEEE 802.1H bridge tunnel) carry an ethertype.
  if (oui === 0 || oui === 0xf8) {
    out?.add(llcFields.type, type, payload + 3, 2);
    handOff(d, TABLES.ethertype, type, payload + SNAP_HEADER, end, wireEnd);
  } else {
    out?.add(llcFields.pid, type, payload + 3, 2);
  }
}

export const llc: Protocol = {
  name: 'llc',
  longName: 'Logical-Link Control',
  fields: Object.values(llcFields),
  problems: [
    {
      id: 'llc.truncated',
      severity: 'warning',
      layer: 'llc',
      description: 'LLC or SNAP header cut short',
    },
  ],
  decode: decodeLlc,
  title: () => 'Logical-Link Control',
  transparent: true,
};
