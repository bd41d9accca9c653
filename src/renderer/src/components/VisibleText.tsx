import { Text, type StyleProp } from '@mantine/core';
import type { CSSProperties } from 'react';
import {
  codePointLabel,
  describeHiddenCharacter,
  splitAtHiddenCharacters,
  visibleText,
} from '../../../shared/text-safety';

const WRAP: CSSProperties = { overflowWrap: 'anywhere' };
const MULTILINE: CSSProperties = { overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' };
const TRUNCATE: CSSProperties = {
  display: 'inline-block',
  maxWidth: '100%',
  verticalAlign: 'bottom',
};

/** One hidden character, written out and marked so it is seen for what it is. */
function HiddenCharacter(props: { character: string }) {
  return (
    <Text
      span
      inherit
      ff="monospace"
      fz="0.85em"
      fw={600}
      px={2}
      c="var(--mantine-color-orange-light-color)"
      bg="var(--mantine-color-orange-light)"
      style={{ borderRadius: 3 }}
      title={`${describeHiddenCharacter(props.character)}: a hidden character, shown by the console`}
      data-hidden-character={codePointLabel(props.character)}
    >
      ⟨{codePointLabel(props.character)}⟩
    </Text>
  );
}

/**
 * Text that someone else chose (names, e-mails, user ids, user agents, details, org names) as it
 * really is. Each character a person cannot see, or that would turn the text around (U+202E,
 * U+200B, CR LF, …), is written out as ⟨U+202E⟩ and never interpreted; the text's direction is
 * isolated from its surroundings (`<bdi>`), so even right-to-left letters cannot reorder the
 * sentence it sits in; a long unbroken run wraps. With `truncate` it stays on one line, ends in
 * "…" within `maw`, and shows all of it on hover. With `multiline`, line feeds stay line breaks
 * (for JSON and messages whose lines are theirs).
 */
export function VisibleText(props: {
  children: string | null | undefined;
  /** Shown for null, undefined or empty text. */
  fallback?: string;
  truncate?: boolean;
  /** With `truncate`: the widest it gets before it ends in "…". */
  maw?: StyleProp<CSSProperties['maxWidth']>;
  multiline?: boolean;
}) {
  const text = props.children;
  if (!text) return <>{props.fallback ?? ''}</>;
  const parts = splitAtHiddenCharacters(text);
  const style = props.truncate ? TRUNCATE : props.multiline ? MULTILINE : WRAP;
  return (
    <Text
      component="bdi"
      inherit
      maw={props.truncate ? props.maw : undefined}
      truncate={props.truncate ? 'end' : undefined}
      title={props.truncate ? visibleText(text) : undefined}
      style={style}
    >
      {parts.map((part, index) =>
        index % 2 === 0 ? (
          part
        ) : props.multiline && part === '\n' ? (
          part
        ) : (
          <HiddenCharacter key={index} character={part} />
        ),
      )}
    </Text>
  );
}
