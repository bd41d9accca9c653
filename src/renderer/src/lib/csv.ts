import { stringify } from 'csv-stringify/browser/esm/sync';
import { neutralizeFormula } from '../../../shared/csv-safety';

/** RFC 4180 CSV with every cell made inert for spreadsheets (OWASP CSV injection). */
export function toCsv(header: readonly string[], rows: string[][]): string {
  return stringify([[...header], ...rows.map((row) => row.map(neutralizeFormula))]);
}
