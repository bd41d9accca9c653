import { describe, expect, it } from 'vitest';
import {
  asOneLine,
  hiddenCharacterProblem,
  lineBreakProblem,
  splitAtHiddenCharacters,
  visibleText,
  withoutHiddenCharacters,
} from './text-safety';

describe('text safety: characters a person cannot see', () => {
  it('writes each one out, so the spoofed names of issue 13 read as what they hold', () => {
    expect(visibleText('\u202Enimda\u202C Admin\u200B')).toBe(
      '⟨U+202E⟩nimda⟨U+202C⟩ Admin⟨U+200B⟩',
    );
    expect(visibleText('admin\u200B@acme.test')).toBe('admin⟨U+200B⟩@acme.test');
    expect(visibleText('a\r\nb\tc\u0085d\u2028e\u2029f')).toBe(
      'a⟨U+000D⟩⟨U+000A⟩b⟨U+0009⟩c⟨U+0085⟩d⟨U+2028⟩e⟨U+2029⟩f',
    );
    // Bidi controls, zero-width, soft hyphen, BOM, Mongolian vowel separator, tags, fillers.
    for (const code of [
      0x061c, 0x200e, 0x200f, 0x202a, 0x202d, 0x2066, 0x2069, 0x200b, 0x200c, 0x200d, 0x2060,
      0xfeff, 0x180e, 0x00ad, 0xe0041, 0x3164, 0x007f, 0x009b,
    ]) {
      const character = String.fromCodePoint(code);
      expect(visibleText(`x${character}y`)).toBe(
        `x⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩y`,
      );
    }
  });

  it('leaves alone what people write: accents, other scripts, emoji, visible spaces', () => {
    for (const text of ['Zoë Ångström', '田中 太郎', 'أحمد', 'Łukasz ❤', 'a\u00A0b', 'a\u3000b']) {
      expect(visibleText(text)).toBe(text);
      expect(hiddenCharacterProblem(text)).toBeNull();
    }
  });

  it('splits into visible runs and single hidden characters, and strips them for initials', () => {
    expect(splitAtHiddenCharacters('\u202Enimda\u202C Admin')).toEqual([
      '',
      '\u202E',
      'nimda',
      '\u202C',
      ' Admin',
    ]);
    expect(splitAtHiddenCharacters('plain')).toEqual(['plain']);
    expect(withoutHiddenCharacters('\u202Enimda\u202C Admin\u200B')).toBe('nimda Admin');
  });

  it('says why a value is refused, naming each character once, by kind', () => {
    expect(hiddenCharacterProblem('\u202Enimda\u202C\u202E')).toBe(
      'must not contain invisible or direction-changing characters (U+202E, U+202C)',
    );
    expect(hiddenCharacterProblem('a\r\nb')).toBe('must not contain line breaks (U+000D, U+000A)');
    expect(hiddenCharacterProblem('a\tb\u001B')).toBe(
      'must not contain control characters (U+0009, U+001B)',
    );
    expect(hiddenCharacterProblem('a\u0000b')).toBe('must not contain a NUL character (U+0000)');
    expect(hiddenCharacterProblem('a\n\u200Bb')).toBe(
      'must not contain line breaks (U+000A) or invisible or direction-changing characters (U+200B)',
    );
  });

  it('puts text on one line whatever line break it holds, and names them', () => {
    expect(asOneLine('a\r\nb\vc\fd\u0085e\u2028f\u2029g\rh\ni')).toBe('a b c d e f g h i');
    expect(asOneLine('a\r\n\r\nb')).toBe('a b');
    expect(lineBreakProblem('one line')).toBeNull();
    expect(lineBreakProblem('a\u2028b\u0085c\u2028')).toBe(
      'must be one line: it holds line breaks (U+2028, U+0085)',
    );
  });
});
