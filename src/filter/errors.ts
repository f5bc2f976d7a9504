/**
 * What is wrong with a display filter, and where: tshark 4.0 prints the message, then (for
 * most errors) the filter indented four spaces and a line with `^~~~` under the offending
 * part. Messages are worded as tshark 4.0.17 words them where igmpscope makes the same mistake.
 */
export interface FilterError {
  /** One line, without the program name: `Unexpected end of filter expression.` */
  readonly message: string;
  /** Where the offending part starts in the filter text (UTF-16 index). */
  readonly start: number;
  /** How long it is; 0 when tshark shows no caret line (the end of the filter, a regex error). */
  readonly length: number;
}

/** Thrown inside the compiler, caught by compileFilter(): a FilterError on its way out. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly length: number,
  ) {
    super(message);
  }
}

export function isFilterError(x: unknown): x is FilterError {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as FilterError).message === 'string' &&
    typeof (x as FilterError).start === 'number' &&
    typeof (x as FilterError).length === 'number' &&
    !('test' in x)
  );
}

/**
 * The lines tshark writes after its program-name line: the filter indented four spaces and a
 * caret line, `^` under the first character and `~` under the rest. None when the error has
 * no place (tshark shows none for "Unexpected end of filter expression." and regex errors).
 */
export function filterErrorLines(text: string, error: FilterError): string[] {
  if (error.length <= 0) return [];
  // Where the filter is cut short, tshark still points one past its end (a missing quote).
  const start = Math.min(error.start, text.length);
  return [`    ${text}`, `    ${' '.repeat(start)}^${'~'.repeat(error.length - 1)}`];
}

/** The whole report: `<program>: <message>` and the caret lines, as tshark prints it. */
export function filterErrorReport(program: string, text: string, error: FilterError): string[] {
  return [`${program}: ${error.message}`, ...filterErrorLines(text, error)];
}
