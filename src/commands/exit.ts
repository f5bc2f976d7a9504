import { CaptureError } from '../capture/frame.js';
import { escapeTerminal } from '../output/escape.js';

/** Exit statuses: 0 all read (and, for validate, passing), 1 findings, 2 usage or input. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INPUT = 2;

/** The stderr line for a file that could not be read to its end. */
export function captureErrorLine(file: string, error: unknown): string {
  const name = file === '-' ? 'standard input' : `"${escapeTerminal(file)}"`;
  if (error instanceof CaptureError) {
    // An offset says nothing about a file that never opened, or twice when the message has it.
    const unopened = error.kind === 'io' && error.offset === 0;
    const where =
      unopened || error.message.includes(String(error.offset))
        ? ''
        : ` (at byte offset ${error.offset})`;
    return `igmpscope: ${name}: ${escapeTerminal(error.message)}${where}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `igmpscope: ${name}: ${escapeTerminal(message)}`;
}
