/**
 * The one file format for audit events, imported and exported alike: JSON Lines (an object per
 * line) or CSV with a header row, with exactly these fields.
 */
export const eventFileFields = [
  'type',
  'timestamp',
  'userId',
  'email',
  'ip',
  'userAgent',
  'method',
  'details',
] as const;
export type EventFileField = (typeof eventFileFields)[number];

export const eventFileFormats = ['jsonl', 'csv'] as const;
export type EventFileFormat = (typeof eventFileFormats)[number];

/** Written as the last line of a JSON Lines export; skipped (and checked) on import. */
export const MANIFEST_KEY = 'org2faExportManifest';
