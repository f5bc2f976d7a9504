/**
 * Makes any string safe for a terminal: C0 and C1 control characters, DEL and the Unicode
 * line/paragraph separators become visible `\xNN` / `\u{…}` escapes, so bytes from a capture
 * (or a hostile file name) can never move the cursor, change colours or retitle the window.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The same set, without the global flag: a cheap test for the usual case of nothing to escape. */
// eslint-disable-next-line no-control-regex
const HAS_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export function escapeTerminal(text: string): string {
  if (!HAS_UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (code <= 0xff) return '\\x' + code.toString(16).padStart(2, '0');
    return '\\u{' + code.toString(16) + '}';
  });
}
