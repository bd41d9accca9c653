const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** The English name of an ISO 3166-1 alpha-2 code ("DE" → "Germany"); the code if unknown. */
export function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    // A code Intl refuses (not two letters): shown as it is.
    return code;
  }
}

/** "Germany (DE)": the name to read, the code to match against other tools. */
export function countryLabel(code: string): string {
  const name = countryName(code);
  return name === code ? code : `${name} (${code})`;
}
