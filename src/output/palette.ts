import { Chalk, type ChalkInstance } from 'chalk';
import type { Severity } from '../fields.js';

/** The few colours text output uses; JSON never goes through here. */
export interface Palette {
  /** No colour at all: text can be written without going through the palette. */
  readonly plain: boolean;
  severity(severity: Severity, text: string): string;
  protocol(text: string): string;
  heading(text: string): string;
  dim(text: string): string;
}

export interface ColorChoice {
  /** --color / --no-color as given; undefined when not given. */
  flag?: boolean;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/**
 * Colour only where a person reads it: `--color`/`--no-color` win; then NO_COLOR (which chalk
 * itself ignores) and FORCE_COLOR; otherwise only on a terminal.
 */
export function colorLevel({ flag, env, isTTY }: ColorChoice): 0 | 1 | 2 | 3 {
  if (flag === false) return 0;
  if (flag === true) return 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  return isTTY ? 1 : 0;
}

export function makePalette(level: 0 | 1 | 2 | 3): Palette {
  if (level === 0) {
    const same = (text: string): string => text;
    return { plain: true, severity: (_s, t) => t, protocol: same, heading: same, dim: same };
  }
  const chalk: ChalkInstance = new Chalk({ level });
  const bySeverity: Record<Severity, (t: string) => string> = {
    error: chalk.red.bold,
    warning: chalk.yellow,
    note: chalk.cyan,
  };
  return {
    plain: false,
    severity: (s, t) => bySeverity[s](t),
    protocol: chalk.green,
    heading: chalk.bold,
    dim: chalk.dim,
  };
}

export const PLAIN: Palette = makePalette(0);
