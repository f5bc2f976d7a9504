import { startLayer, type FieldOut } from '../../field-out.js';
import { field, type FieldDef } from '../../fields.js';
import { report } from '../../problems.js';
import { LINKTYPE_IEEE802_11_RADIOTAP } from '../link/linktypes.js';
import { handOffTo, type Dissection, type Protocol } from '../registry.js';

/** The present bits of the default namespace (radiotap.org/fields/defined), by bit. */
const PRESENT_BITS: readonly [string, string][] = [
  ['tsft', 'TSFT'],
  ['flags', 'Flags'],
  ['rate', 'Rate'],
  ['channel', 'Channel'],
  ['fhss', 'FHSS'],
  ['dbm_antsignal', 'dBm Antenna Signal'],
  ['dbm_antnoise', 'dBm Antenna Noise'],
  ['lock_quality', 'Lock Quality'],
  ['tx_attenuation', 'TX Attenuation'],
  ['db_tx_attenuation', 'dB TX Attenuation'],
  ['dbm_tx_power', 'dBm TX Power'],
  ['antenna', 'Antenna'],
  ['db_antsignal', 'dB Antenna Signal'],
  ['db_antnoise', 'dB Antenna Noise'],
  ['rxflags', 'RX flags'],
  ['txflags', 'TX flags'],
  ['rts_retries', 'RTS retries'],
  ['data_retries', 'data retries'],
  ['xchannel', 'Channel+'],
  ['mcs', 'MCS information'],
  ['ampdu', 'A-MPDU Status'],
  ['vht', 'VHT information'],
  ['timestamp', 'frame timestamp'],
  ['he', 'HE information'],
  ['he_mu', 'HE-MU information'],
  ['reserved', 'Reserved'],
  ['0_length.psdu', '0 Length PSDU'],
  ['l_sig', 'L-SIG'],
  ['tlv', 'TLVs'],
  ['rtap_ns', 'Radiotap NS next'],
  ['vendor_ns', 'Vendor NS next'],
  ['ext', 'Ext'],
];

/** Alignment and size of each field of the default namespace, by present bit. */
const FIELD_LAYOUT: readonly (readonly [number, number] | undefined)[] = [
  [8, 8],
  [1, 1],
  [1, 1],
  [2, 4],
  [1, 2],
  [1, 1],
  [1, 1],
  [2, 2],
  [2, 2],
  [2, 2],
  [1, 1],
  [1, 1],
  [1, 1],
  [1, 1],
  [2, 2],
  [2, 2],
  [1, 1],
  [1, 1],
  [4, 8],
  [1, 3],
  [4, 8],
  [2, 12],
  [8, 12],
  [2, 12],
  [2, 6],
  undefined,
  [1, 1],
  [2, 4],
];

const presentField = (bit: number): FieldDef => {
  const [abbrev, name] = PRESENT_BITS[bit];
  const isNs = bit === 29 || bit === 30;
  return field({
    abbrev: `radiotap.present.${abbrev}`,
    name,
    kind: 'bool',
    mask: 2 ** bit,
    bitWidth: 32,
    trueFalse: isNs ? ['True', 'False'] : ['Present', 'Absent'],
  });
};

const flagBit = (abbrev: string, name: string, mask: number, texts?: readonly [string, string]) =>
  field({
    abbrev: `radiotap.flags.${abbrev}`,
    name,
    kind: 'bool',
    mask,
    bitWidth: 8,
    trueFalse: texts,
  });

const channelBit = (abbrev: string, name: string, mask: number) =>
  field({ abbrev: `radiotap.channel.flags.${abbrev}`, name, kind: 'bool', mask, bitWidth: 16 });

export const radiotapFields = {
  version: field({ abbrev: 'radiotap.version', name: 'Header revision', kind: 'uint' }),
  pad: field({ abbrev: 'radiotap.pad', name: 'Header pad', kind: 'uint' }),
  length: field({ abbrev: 'radiotap.length', name: 'Header length', kind: 'uint' }),
  presentWord: field({
    abbrev: 'radiotap.present.word',
    name: 'Present flags word',
    kind: 'uint',
    hexDigits: 8,
    repeats: true,
  }),
  flags: field({ abbrev: 'radiotap.flags', name: 'Flags', kind: 'uint', hexDigits: 2 }),
  datarate: field({
    abbrev: 'radiotap.datarate',
    name: 'Data Rate',
    kind: 'uint',
    fractional: true,
    show: (n) => `${(n.value as number).toFixed(1)} Mb/s`,
  }),
  channelFreq: field({ abbrev: 'radiotap.channel.freq', name: 'Channel frequency', kind: 'uint' }),
  channelFlags: field({
    abbrev: 'radiotap.channel.flags',
    name: 'Channel flags',
    kind: 'uint',
    hexDigits: 4,
  }),
  dbmAntsignal: field({
    abbrev: 'radiotap.dbm_antsignal',
    name: 'Antenna signal',
    kind: 'int',
    show: (n) => `${n.value as number} dBm`,
  }),
  dbmAntnoise: field({
    abbrev: 'radiotap.dbm_antnoise',
    name: 'Antenna noise',
    kind: 'int',
    show: (n) => `${n.value as number} dBm`,
  }),
  antenna: field({ abbrev: 'radiotap.antenna', name: 'Antenna', kind: 'uint' }),
};

const PRESENT_FIELDS = PRESENT_BITS.map((_, bit) => presentField(bit));

export const radiotapFlagFields = [
  flagBit('cfp', 'CFP', 0x01),
  flagBit('preamble', 'Preamble', 0x02, ['Short', 'Long']),
  flagBit('wep', 'WEP', 0x04),
  flagBit('frag', 'Fragmentation', 0x08),
  flagBit('fcs', 'FCS at end', 0x10),
  flagBit('datapad', 'Data Pad', 0x20),
  flagBit('badfcs', 'Bad FCS', 0x40),
  flagBit('shortgi', 'Short GI', 0x80),
];

export const radiotapChannelFields = [
  channelBit('700mhz', '700 MHz spectrum', 0x0001),
  channelBit('800mhz', '800 MHz spectrum', 0x0002),
  channelBit('900mhz', '900 MHz spectrum', 0x0004),
  channelBit('turbo', 'Turbo', 0x0010),
  channelBit('cck', 'Complementary Code Keying (CCK)', 0x0020),
  channelBit('ofdm', 'Orthogonal Frequency-Division Multiplexing (OFDM)', 0x0040),
  channelBit('2ghz', '2 GHz spectrum', 0x0080),
  channelBit('5ghz', '5 GHz spectrum', 0x0100),
  channelBit('passive', 'Passive', 0x0200),
  channelBit('dynamic', 'Dynamic CCK-OFDM', 0x0400),
  channelBit('gfsk', 'Gaussian Frequency Shift Keying (GFSK)', 0x0800),
  channelBit('gsm', 'GSM (900MHz)', 0x1000),
  channelBit('sturbo', 'Static Turbo', 0x2000),
  channelBit('half', 'Half Rate Channel (10MHz Channel Width)', 0x4000),
  channelBit('quarter', 'Quarter Rate Channel (5MHz Channel Width)', 0x8000),
];

const FLAG_FCS = 0x10;
const HEADER = 8;
const EXT = 31;

/**
 * A radiotap header (radiotap.org): version, length, the present words, then the fields of
 * the default namespace igmpscope knows, aligned as the standard says. Its length says where
 * the 802.11 frame starts; its FCS flag, whether the frame ends with one.
 */
function decodeRadiotap(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'radiotap', start, Math.min(HEADER, end - start));
  if (end - start < HEADER) {
    report(
      d,
      'radiotap.truncated',
      start,
      `radiotap header needs 8 bytes, ${end - start} captured`,
      layer,
    );
    return;
  }
  const length = data.readUInt16LE(start + 2);
  const out = d.out;
  if (out) {
    out.add(radiotapFields.version, data[start], start, 1);
    out.add(radiotapFields.pad, data[start + 1], start + 1, 1);
  }
  const lengthNode = out?.add(radiotapFields.length, length, start + 2, 2);
  if (length < HEADER || start + length > end) {
    const message = `radiotap length ${length} does not fit the ${end - start} bytes captured`;
    report(d, 'radiotap.length.bad', start + 2, message, lengthNode ?? layer);
    return;
  }
  layer.length = length;
  const headerEnd = start + length;
  const words: number[] = [];
  let at = start + 4;
  do {
    if (at + 4 > headerEnd) {
      report(d, 'radiotap.length.bad', at, 'radiotap present words run past its length', layer);
      return;
    }
    words.push(data.readUInt32LE(at));
    at += 4;
  } while (((words[words.length - 1] >>> EXT) & 1) === 1);
  if (out) {
    for (let w = 0; w < words.length; w++) {
      out.open(radiotapFields.presentWord, words[w], start + 4 + 4 * w, 4);
      if (w === 0)
        for (let bit = 0; bit < 32; bit++)
          out.add(PRESENT_FIELDS[bit], ((words[0] >>> bit) & 1) === 1, start + 4, 4, words[0]);
      out.close();
    }
  }
  const flags = readFields(d, out, words[0], start, at, headerEnd);
  d.fcsLength = flags !== undefined && (flags & FLAG_FCS) !== 0 ? 4 : 0;
  handOffTo(d, 'wlan', headerEnd, end, wireEnd);
}

/**
 * The fields of the first present word, in bit order and aligned from the header's start;
 * stops at the first it does not know. Returns the flags byte, when present.
 */
function readFields(
  d: Dissection,
  out: FieldOut | undefined,
  present: number,
  start: number,
  from: number,
  headerEnd: number,
): number | undefined {
  const data = d.frame.data;
  let at = from;
  let flags: number | undefined;
  for (let bit = 0; bit < 29; bit++) {
    if (((present >>> bit) & 1) === 0) continue;
    const layout = FIELD_LAYOUT[bit];
    if (layout === undefined) return flags;
    const [align, size] = layout;
    at = start + Math.ceil((at - start) / align) * align;
    if (at + size > headerEnd) return flags;
    switch (bit) {
      case 1:
        flags = data[at];
        if (out) {
          out.open(radiotapFields.flags, flags, at, 1);
          for (const f of radiotapFlagFields)
            out.add(f, (flags & (f.mask as number)) !== 0, at, 1, flags);
          out.close();
        }
        break;
      case 2:
        out?.add(radiotapFields.datarate, data[at] / 2, at, 1);
        break;
      case 3:
        if (out) {
          const channelFlags = data.readUInt16LE(at + 2);
          out.add(radiotapFields.channelFreq, data.readUInt16LE(at), at, 2);
          out.open(radiotapFields.channelFlags, channelFlags, at + 2, 2);
          for (const f of radiotapChannelFields)
            out.add(f, (channelFlags & (f.mask as number)) !== 0, at + 2, 2, channelFlags);
          out.close();
        }
        break;
      case 5:
        out?.add(radiotapFields.dbmAntsignal, data.readInt8(at), at, 1);
        break;
      case 6:
        out?.add(radiotapFields.dbmAntnoise, data.readInt8(at), at, 1);
        break;
      case 11:
        out?.add(radiotapFields.antenna, data[at], at, 1);
        break;
      default:
        break;
    }
    at += size;
  }
  return flags;
}

export const radiotap: Protocol = {
  name: 'radiotap',
  longName: 'Radiotap',
  fields: [
    ...Object.values(radiotapFields),
    ...PRESENT_FIELDS,
    ...radiotapFlagFields,
    ...radiotapChannelFields,
  ],
  problems: [
    {
      id: 'radiotap.truncated',
      severity: 'warning',
      layer: 'radiotap',
      description: 'radiotap header cut short by the capture',
    },
    {
      id: 'radiotap.length.bad',
      severity: 'error',
      layer: 'radiotap',
      description: 'radiotap length or present words do not fit the captured bytes',
    },
  ],
  registrations: [{ table: 'link', key: LINKTYPE_IEEE802_11_RADIOTAP }],
  decode: decodeRadiotap,
  titleFields: [radiotapFields.version, radiotapFields.length],
  title: (layer, nodes) => {
    const version = nodes.find((n) => n.field === radiotapFields.version)?.value ?? 0;
    return `Radiotap Header v${String(version)}, Length ${layer.length}`;
  },
  // tshark lists its 802.11 radio summary (wlan_radio) after radiotap.
  chainName: 'radiotap:wlan_radio',
};
