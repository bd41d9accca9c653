/**
 * OWASP CSV injection: a cell starting with = + - @ tab or carriage return can run as a formula
 * when a spreadsheet opens the file. Prefixing a single quote makes it inert text and keeps
 * every character of the value.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
