import type { FieldDef, FieldValue } from '../fields.js';

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/**
 * A field's value as `tshark -T fields` prints it: hex-based integers as `0x` and the digits
 * of the field's whole unit (a masked field of a 16-bit word prints 4), other integers in
 * decimal, booleans as 1/0, addresses as text, byte strings as bare hex, named values as
 * Wireshark's number for them.
 */
export function fieldText(def: FieldDef, value: FieldValue): string {
  switch (def.kind) {
    case 'uint': {
      const v = value as number;
      if (def.hexDigits === undefined) return String(v);
      const digits =
        def.mask !== undefined && def.bitWidth !== undefined ? def.bitWidth / 4 : def.hexDigits;
      return '0x' + v.toString(16).padStart(digits, '0');
    }
    case 'bool':
      return value ? '1' : '0';
    case 'bytes': {
      const bytes = value as Buffer;
      if (bytes.length === 0) return '<none>';
      let text = '';
      for (let i = 0; i < bytes.length; i++) text += HEX_BYTE[bytes[i]];
      return text;
    }
    case 'string': {
      const code = def.codes?.[value as string];
      return code === undefined ? String(value) : String(code);
    }
    default:
      return String(value);
  }
}
