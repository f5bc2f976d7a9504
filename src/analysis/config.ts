import { existsSync, readFileSync } from 'node:fs';
import type { Severity } from '../fields.js';
import { RULES } from './rules.js';
import { SEVERITIES, type RuleSetting } from './validate.js';

/** The config file `validate` picks up from the working directory when --config is not given. */
export const DEFAULT_CONFIG = '.igmpscope.json';

export interface ValidateConfig {
  rules: Map<string, RuleSetting>;
  failOn?: Severity | 'never';
}

/** Bad usage: an unknown rule, a bad setting, an unreadable config. Exits 2. */
export class UsageError extends Error {}

const SETTINGS: readonly string[] = [...SEVERITIES, 'off'];

function setting(rule: string, value: unknown, where: string): RuleSetting {
  if (!RULES.has(rule))
    throw new UsageError(`${where}: unknown rule '${rule}' (igmpscope rules lists them)`);
  if (typeof value !== 'string' || !SETTINGS.includes(value)) {
    throw new UsageError(
      `${where}: rule '${rule}' takes one of ${SETTINGS.join(', ')}, not '${String(value)}'`,
    );
  }
  return value as RuleSetting;
}

/** `--rule id=severity|off`, as often as needed. */
export function parseRuleArgs(
  args: readonly string[],
  into = new Map<string, RuleSetting>(),
): Map<string, RuleSetting> {
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 1) throw new UsageError(`--rule ${arg}: expected RULE=${SETTINGS.join('|')}`);
    const rule = arg.slice(0, eq);
    into.set(rule, setting(rule, arg.slice(eq + 1), '--rule'));
  }
  return into;
}

/**
 * Reads the JSON config: `{"rules": {"encap.router_alert": "off"}, "failOn": "warning"}`.
 * Without an explicit path, `.igmpscope.json` in the working directory is used if it exists.
 */
export function loadConfig(path: string | undefined, cwd = process.cwd()): ValidateConfig {
  const file = path ?? `${cwd}/${DEFAULT_CONFIG}`;
  if (path === undefined && !existsSync(file)) return { rules: new Map() };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`config ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`config ${file}: expected a JSON object`);
  }
  const { rules = {}, failOn, ...rest } = parsed as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new UsageError(`config ${file}: unknown key '${unknown[0]}' (expected rules, failOn)`);
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
    throw new UsageError(`config ${file}: "rules" must be an object of rule → severity|off`);
  }
  const config: ValidateConfig = { rules: new Map() };
  for (const [rule, value] of Object.entries(rules))
    config.rules.set(rule, setting(rule, value, `config ${file}`));
  if (failOn !== undefined) {
    if (typeof failOn !== 'string' || ![...SEVERITIES, 'never'].includes(failOn)) {
      throw new UsageError(`config ${file}: failOn must be error, warning, note or never`);
    }
    config.failOn = failOn as Severity | 'never';
  }
  return config;
}
