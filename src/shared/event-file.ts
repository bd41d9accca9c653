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

export const eventFileFormats = ['jsonl', 'csv'] as const;
export type EventFileFormat = (typeof eventFileFormats)[number];

/** Written as the last line of a JSON Lines export; skipped (and checked) on import. */
export const MANIFEST_KEY = 'org2faExportManifest';

/**
 * CSV has no room for the manifest in-band, so it goes beside the export: this file name, this
 * text (pretty JSON, so an auditor reads it as is). The CLI writes it; the console offers it.
 */
export function manifestFileOf(exportFile: string): string {
  return `${exportFile}.manifest.json`;
}

export function manifestFileText(manifest: object): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The caps on every event, at import (README "The event file format") and when the console
 * records one: a file can no longer make one event that every audit page must carry.
 * Text fields are measured as JavaScript measures them (UTF-16 units); details and lines in bytes.
 */
export const EVENT_LIMITS = {
  /** A known event name in any case; the cap only keeps a wrong one's message short. */
  typeLength: 200,
  userIdLength: 200,
  /** RFC 5321's longest usable address. */
  emailLength: 254,
  userAgentLength: 1_000,
  /** The details object as stored: canonical JSON (sorted keys, no spaces), UTF-8 bytes. */
  detailsBytes: 16_384,
  /** Levels of objects and arrays in details, the details object itself being level 1. */
  detailsDepth: 32,
  /**
   * One JSON Lines line or one CSV record, in bytes without its line break: room for every field
   * at its cap written with every character escaped (`\u00e9` for é, six bytes for one).
   */
  lineBytes: 131_072,
} as const;

/**
 * What a list of events (audit.query) holds of a stored value larger than the caps, as an older
 * database may hold one: the first this many characters; audit.getEvent gives the whole value.
 */
export const LISTED_PREVIEW_LENGTH = 1_000;
