/** First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_PREFIXES = ['=', '+', '-', '@', '\t', '\r'] as const;

/**
 * Character codes of the first characters that get the guard: the formula prefixes, and the
 * guard's own quote so it can always be taken off again exactly (import does).
 */
export const FORMULA_PREFIX_CODES: ReadonlySet<number> = new Set(
  [...FORMULA_PREFIXES, "'"].map((c) => c.charCodeAt(0)),
);

/**
 * A cell starting with = + - @ tab or carriage return can run as a formula when a spreadsheet
 * opens the file. Prefixing a single quote makes it inert text and keeps every character of the
 * value. A value that itself starts with a quote gets one too, so the guard is reversible.
 */
export function neutralizeFormula(value: string): string {
  return value !== '' && FORMULA_PREFIX_CODES.has(value.charCodeAt(0)) ? `'${value}` : value;
}
