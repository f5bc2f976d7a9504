/**
 * Byte strings: strings whose chars are the UTF-8 bytes of the text (each < 256), written with
 * the 'latin1' encoding. Used by the high-volume outputs (summary, NDJSON) to keep V8's
 * one-byte string fast path (see OutputWriter).
 */
export function utf8ByteString(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u007f]*$/.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/** U+2192 RIGHTWARDS ARROW, as tshark puts between source and destination, in UTF-8 bytes. */
export const ARROW_BYTES = utf8ByteString('→');

/** A JSON string literal in pure ASCII: anything outside it is a \\u escape (valid JSON). */
export function asciiJsonString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}
