import type { z } from 'zod';

/**
 * Characters a person cannot see, or that change how the text around them is shown: a name
 * holding them can pass for another (`\u202Enimda` reads "admin", `admin\u200B@acme.test` reads
 * `admin@acme.test`) or break a header onto a second line. One class, used both to refuse them
 * where names, e-mails and one-line values are taken and to show them where they are stored:
 * - controls (C0, DEL, C1): tab, CR, LF, VT, FF and NEL included;
 * - line and paragraph separators (U+2028, U+2029);
 * - format characters and every default-ignorable code point: bidi controls (U+061C,
 *   U+200E/U+200F, U+202A–U+202E, U+2066–U+2069), zero-width characters (U+200B–U+200D, U+2060,
 *   U+FEFF), U+180E, the soft hyphen U+00AD (invisible except at a line end, so "ad\u00ADmin"
 *   reads "admin"), variation selectors, tag characters and the Hangul fillers.
 */
const HIDDEN_CHARACTER = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const HIDDEN_CHARACTERS = new RegExp(HIDDEN_CHARACTER.source, 'gu');
/** The same class, captured, so `split` keeps each hidden character between the visible runs. */
const HIDDEN_CHARACTER_SPLIT = new RegExp(`(${HIDDEN_CHARACTER.source})`, 'u');

/** Every kind of line break a mail client or a text viewer may honour. */
const LINE_BREAK = /[\n\v\f\r\u0085\u2028\u2029]/;
const LINE_BREAK_RUNS = /[\n\v\f\r\u0085\u2028\u2029]+/g;

/** `U+202E` for a character. */
export function codePointLabel(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What the common ones are called, for a hint where one is shown. */
const CHARACTER_NAMES: Record<string, string> = {
  '\u0000': 'null',
  '\t': 'tab',
  '\n': 'line feed',
  '\v': 'vertical tab',
  '\f': 'form feed',
  '\r': 'carriage return',
  '\u0085': 'next line',
  '\u00AD': 'soft hyphen',
  '\u061C': 'Arabic letter mark',
  '\u180E': 'Mongolian vowel separator',
  '\u200B': 'zero-width space',
  '\u200C': 'zero-width non-joiner',
  '\u200D': 'zero-width joiner',
  '\u200E': 'left-to-right mark',
  '\u200F': 'right-to-left mark',
  '\u2028': 'line separator',
  '\u2029': 'paragraph separator',
  '\u202A': 'left-to-right embedding',
  '\u202B': 'right-to-left embedding',
  '\u202C': 'pop directional formatting',
  '\u202D': 'left-to-right override',
  '\u202E': 'right-to-left override',
  '\u2060': 'word joiner',
  '\u2066': 'left-to-right isolate',
  '\u2067': 'right-to-left isolate',
  '\u2068': 'first strong isolate',
  '\u2069': 'pop directional isolate',
  '\uFEFF': 'zero-width no-break space (byte order mark)',
};

/** `U+202E right-to-left override`: a hidden character described for a hint. */
export function describeHiddenCharacter(character: string): string {
  const name = CHARACTER_NAMES[character];
  return `${codePointLabel(character)} ${name ?? 'invisible or control character'}`;
}

export function hasHiddenCharacters(text: string): boolean {
  return HIDDEN_CHARACTER.test(text);
}

/** The text with each hidden character written out as `⟨U+202E⟩`, for people and logs alike. */
export function visibleText(text: string): string {
  return text.replace(HIDDEN_CHARACTERS, (character) => `⟨${codePointLabel(character)}⟩`);
}

/** Visible runs at even indexes, one hidden character at each odd index. */
export function splitAtHiddenCharacters(text: string): string[] {
  return text.split(HIDDEN_CHARACTER_SPLIT);
}

/** The text without its hidden characters (for initials and the like, never for comparison). */
export function withoutHiddenCharacters(text: string): string {
  return text.replace(HIDDEN_CHARACTERS, '');
}

export function hasLineBreak(text: string): boolean {
  return LINE_BREAK.test(text);
}

/** The text on one line: each run of line breaks (CRLF, U+2028, NEL, …) becomes one space. */
export function asOneLine(text: string): string {
  return text.replace(LINE_BREAK_RUNS, ' ');
}

/**
 * Why a name, e-mail or one-line value cannot be taken as written, naming the characters:
 * `must not contain line breaks (U+000D, U+000A)`, `must not contain invisible or
 * direction-changing characters (U+202E)`; null when it holds none.
 */
export function hiddenCharacterProblem(text: string): string | null {
  const found = text.match(HIDDEN_CHARACTERS);
  if (!found) return null;
  const kinds = new Map<string, string[]>();
  for (const character of new Set(found)) {
    // Worded as the router words U+0000 for every other field.
    const kind =
      character === '\u0000'
        ? 'a NUL character'
        : LINE_BREAK.test(character)
          ? 'line breaks'
          : /\p{Cc}/u.test(character)
            ? 'control characters'
            : 'invisible or direction-changing characters';
    kinds.set(kind, [...(kinds.get(kind) ?? []), codePointLabel(character)]);
  }
  const clauses = [...kinds].map(([kind, labels]) => `${kind} (${labels.join(', ')})`);
  return `must not contain ${clauses.join(' or ')}`;
}

/** For a one-line value that may hold anything else (a subject): why not, or null. */
export function lineBreakProblem(text: string): string | null {
  const found = text.match(new RegExp(LINE_BREAK.source, 'g'));
  if (!found) return null;
  return `must be one line: it holds line breaks (${[...new Set(found)].map(codePointLabel).join(', ')})`;
}

/** zod refinement: a name, e-mail or one-line value as a person sees it, or refused. */
export function refuseHiddenCharacters(text: string, ctx: z.RefinementCtx): void {
  const problem = hiddenCharacterProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}

/** zod refinement: a one-line value (a subject), refused with every line break kind. */
export function refuseLineBreaks(text: string, ctx: z.RefinementCtx): void {
  const problem = lineBreakProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}
