/**
 * The membership tables' renderer: box-drawn like cli-table3's, in time linear in the rows
 * and their text. cli-table3 measures every cell line with an ANSI pattern built anew for each
 * call and re-measures a multi-line cell per line: a group of 150 hosts took 42 s to draw, and
 * even single-line rows cost 0.2 ms each — a 5,000-host group would cost more than replaying
 * its capture (issue 17). The cells here are plain text (addresses, times, words): their width
 * is their length.
 */

export interface Column {
  head: string;
  /**
   * Lists and explanations: these give up width first. Any column may wrap at its spaces when
   * the table is still too wide, but never narrower than its longest word: an address, a time
   * or a MAC is never cut.
   */
  wrap?: boolean;
}

/**
 * Draws a table within `width` columns (Infinity: each column as wide as its widest cell, for
 * a pipe). When the natural widths do not fit, the `wrap` columns give up space, widest first,
 * down to their longest word; then the others likewise; what still does not fit overflows
 * rather than cut a value. Cells (and headings) may hold several lines (`\n`); wrapping breaks
 * at spaces (after the commas of a list).
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly string[][],
  width: number,
): string {
  const n = columns.length;
  const natural = columns.map((c) => longestLine(c.head));
  const floor = columns.map((c) => longestWord(c.head));
  const fitting = Number.isFinite(width);
  for (const row of rows) {
    for (let i = 0; i < n; i++) {
      const cell = row[i] ?? '';
      const w = cell.includes('\n') ? longestLine(cell) : cell.length;
      if (w > natural[i]) natural[i] = w;
      // Only a table that may have to shrink needs its words measured.
      if (fitting && w > floor[i]) {
        const word = longestWord(cell);
        if (word > floor[i]) floor[i] = word;
      }
    }
  }
  const widths = fitting ? fit(columns, natural, floor, width) : natural;
  const render = (cells: readonly string[]): string[] => {
    const lines = cells.map((text, i) =>
      text.length > widths[i] || text.includes('\n') ? wrap(text, widths[i]) : [text],
    );
    let height = 1;
    for (const l of lines) if (l.length > height) height = l.length;
    const out: string[] = [];
    for (let l = 0; l < height; l++)
      out.push('│ ' + lines.map((c, i) => (c[l] ?? '').padEnd(widths[i])).join(' │ ') + ' │');
    return out;
  };
  const rule = (left: string, mid: string, right: string): string =>
    left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const body = rows.map((row) => render(columns.map((_, i) => row[i] ?? '')));
  const out: string[] = [rule('┌', '┬', '┐'), ...render(columns.map((c) => c.head))];
  out.push(rule('├', '┼', '┤'));
  // Rows of one line read well without rules between them; once some row wraps, a rule
  // between rows shows where each ends.
  const between = body.some((lines) => lines.length > 1) ? rule('├', '┼', '┤') : undefined;
  body.forEach((lines, i) => {
    if (i > 0 && between !== undefined) out.push(between);
    for (const line of lines) out.push(line);
  });
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}

function longestLine(text: string): number {
  let longest = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const length = (end < 0 ? text.length : end) - start;
    if (length > longest) longest = length;
    if (end < 0) return longest;
    start = end + 1;
  }
}

function longestWord(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10) run = 0;
    else if (++run > longest) longest = run;
  }
  return longest;
}

/** How narrow a list column gets before the other columns give up any width. */
const COMFORTABLE = 24;

/** Column widths within `width`: the `wrap` columns shrink first, then the others. */
function fit(
  columns: readonly Column[],
  natural: readonly number[],
  floor: readonly number[],
  width: number,
): number[] {
  const widths = [...natural];
  let excess = widths.reduce((a, b) => a + b, 0) + 3 * columns.length + 1 - width;
  // The lists first, down to a width where they still read well; then the other columns, to
  // their longest words; then the lists to theirs.
  const phases: [boolean, (i: number) => number][] = [
    [true, (i) => Math.max(floor[i], Math.min(natural[i], COMFORTABLE))],
    [false, (i) => floor[i]],
    [true, (i) => floor[i]],
  ];
  for (const [wrapped, least] of phases) {
    while (excess > 0) {
      // The widest column that can still give space gives it, down to the next widest.
      let widest = -1;
      let second = 0;
      for (let i = 0; i < columns.length; i++) {
        if (Boolean(columns[i].wrap) !== wrapped || widths[i] <= least(i)) continue;
        if (widest < 0 || widths[i] > widths[widest]) {
          if (widest >= 0) second = Math.max(second, widths[widest]);
          widest = i;
        } else second = Math.max(second, widths[i]);
      }
      if (widest < 0) break;
      const give = Math.max(1, Math.min(excess, widths[widest] - Math.max(least(widest), second)));
      widths[widest] -= give;
      excess -= give;
    }
  }
  return widths;
}

/**
 * A cell's lines within `width`: its own lines, each broken after `, ` or at a space so that
 * lists of addresses stay whole; a word longer than the width is cut.
 */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length <= width) {
      out.push(line);
      continue;
    }
    let current = '';
    for (const word of line.split(/(?<= )/)) {
      if (current.length + word.trimEnd().length <= width) {
        current += word;
        continue;
      }
      if (current !== '') out.push(current.trimEnd());
      let rest = word;
      while (rest.trimEnd().length > width) {
        out.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
      current = rest;
    }
    if (current.trimEnd() !== '' || out.length === 0) out.push(current.trimEnd());
  }
  return out;
}
