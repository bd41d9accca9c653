/**
 * OWASP CSV injection: a cell starting with = + - @ tab or carriage return can run as a formula
 * when a spreadsheet opens the file. Prefixing a single quote makes it inert text and keeps
 * every character of the value. A value that itself starts with a quote gets one too, so the
 * guard can always be taken off again exactly (import does).
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r']/.test(value) ? `'${value}` : value;
}
