/**
 * `matches` patterns: Wireshark compiles them with PCRE2, case-insensitive by default since
 * 3.6 (`(?-i)` at the start makes them case-sensitive). JavaScript's RegExp reads the common
 * part of PCRE's syntax the same; what differs is translated here: options set at the start
 * (`(?i)`, `(?-i)`, `(?s)`, `(?m)`, `(?x)`), `\x{hh}`, `\A`, `\z` and `\Z`. Bytes are matched one char
 * per byte, as PCRE matches them without UTF mode.
 */

/** PCRE2's words for the errors JavaScript reports differently. */
const PCRE_WORDING: readonly [RegExp, string][] = [
  [/Unterminated group/, 'missing closing parenthesis'],
  [/Unmatched '\)'/, 'unmatched closing parenthesis'],
  [/Nothing to repeat/, 'quantifier does not follow a repeatable item'],
  [/Unterminated character class/, 'missing terminating ] for character class'],
  [/Invalid capture group name/, 'syntax error in subpattern name (missing terminator?)'],
  [
    /Incomplete quantifier|Lone quantifier brackets/,
    'quantifier does not follow a repeatable item',
  ],
];

/**
 * The RegExp for a pattern given as bytes (one char per byte); for a string field the bytes
 * are read as UTF-8. A string when it is not a valid pattern: what is wrong, in PCRE2's words
 * where they are known.
 */
export function translateRegex(bytes: string, strings: boolean): RegExp | string {
  let pattern = strings ? Buffer.from(bytes, 'latin1').toString('utf8') : bytes;
  const flags = new Set(['i']);
  const options = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(pattern);
  if (options !== null) {
    for (const [letters, on] of [
      [options[1], true],
      [options[2] ?? '', false],
    ] as const)
      for (const letter of letters) {
        if (!'ismx'.includes(letter)) return `unrecognized character after (? or (?-`;
        if (on) flags.add(letter);
        else flags.delete(letter);
      }
    pattern = pattern.slice(options[0].length);
  }
  // PCRE's extended mode: whitespace and `#` comments outside classes are not part of it.
  const extended = flags.delete('x');
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c !== '\\') {
      if (extended && !inClass) {
        if (/\s/.test(c)) continue;
        if (c === '#') {
          while (i < pattern.length && pattern[i] !== '\n') i++;
          continue;
        }
      }
      if (c === '[' && !inClass) inClass = true;
      else if (c === ']' && inClass) inClass = false;
      out += c;
      continue;
    }
    const next = pattern[i + 1];
    if (next === undefined) return '\\ at end of pattern';
    if (next === 'x' && pattern[i + 2] === '{') {
      const close = pattern.indexOf('}', i + 3);
      const hex = close < 0 ? '' : pattern.slice(i + 3, close);
      if (!/^[0-9a-fA-F]{1,2}$/.test(hex))
        return 'character code point value in \\x{} or \\o{} is too large';
      out += `\\x${hex.padStart(2, '0')}`;
      i = close;
      continue;
    }
    if (next === 'A') out += '^';
    else if (next === 'z' || next === 'Z') out += '$';
    else out += c + next;
    i++;
  }
  try {
    return new RegExp(out, [...flags].join(''));
  } catch (e) {
    const message = (e as Error).message;
    const reason = message.slice(message.lastIndexOf(': ') + 2);
    for (const [js, pcre] of PCRE_WORDING) if (js.test(reason)) return pcre;
    return reason;
  }
}
