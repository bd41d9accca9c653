import type { ParsedInput } from '../../shared/contract';
import { DomainError } from '../domain-error';
import type { Range } from '../store/verification-queries';

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/** The optional period of the audit views and the findings (ISO times from the contract). */
export type TimeRangeInput = ParsedInput<'audit.patterns'>;

/** The period asked for, in milliseconds: by default the `defaultDays` up to `now`. */
export function rangeOf(input: TimeRangeInput, now: number, defaultDays: number): Range {
  const untilMs = input.until ? Date.parse(input.until) : now;
  const sinceMs = input.since ? Date.parse(input.since) : untilMs - defaultDays * DAY_MS;
  if (!(sinceMs < untilMs)) throw new DomainError('INVALID_INPUT', 'since: must be before until');
  return { sinceMs, untilMs };
}
